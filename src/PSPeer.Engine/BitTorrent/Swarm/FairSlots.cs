using System;
using System.Collections.Generic;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Which connection gives up its slot when a node is full: the rule of "useful" and the choice of a victim. Pure
    /// functions of the connections' state (called under the node's lock), so the rule is stated and tested once.
    /// </summary>
    /// <remarks>
    /// A connection is useful while it is interested in what we have (a choked leecher waiting for an unchoke counts),
    /// has pieces we lack, or moved payload either way within <see cref="RecentPayload"/>; and during a grace period
    /// after its handshake, when an honest peer has not yet had time to show any of that. Anything else (a peer that only
    /// sends keep-alives, or a bitfield of pieces we already have) holds a slot an honest peer could use. As libtorrent
    /// replaces useless peers when its connection limit is reached, a full node evicts one such connection for a
    /// newcomer, from the remote address holding the most connections first.
    /// </remarks>
    static class FairSlots
    {
        /// <summary>
        /// A new connection is never evicted this soon: long enough for a bitfield, interest and a first block over a
        /// slow link, short enough that a slot squatter loses its slot within a minute of an honest peer asking.
        /// </summary>
        public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
        /// <summary>Payload moved this recently makes a connection useful (the snub time of the choker).</summary>
        public static readonly TimeSpan RecentPayload = TimeSpan.FromSeconds(60);

        public static bool IsUseful(SwarmConnection c, bool weHaveAny, DateTimeOffset now) =>
            now - c.ConnectedAt < Grace
            || (c.PeerInterested && weHaveAny)
            || c.Interesting > 0
            || now - c.LastPayloadAt < RecentPayload;

        public static int CountFrom(IReadOnlyList<SwarmConnection> connections, string host)
        {
            int n = 0;
            foreach (var c in connections) if (c.RemoteHost == host) n++;
            return n;
        }

        /// <summary>
        /// The useless connection to evict (only from <paramref name="onlyHost"/> when given): from the address with the
        /// most connections, then the one we heard from longest ago; null when every candidate is useful.
        /// </summary>
        public static SwarmConnection PickVictim(IReadOnlyList<SwarmConnection> connections, string onlyHost, bool weHaveAny, DateTimeOffset now)
        {
            Dictionary<string, int> perHost = null;
            SwarmConnection victim = null;
            int victimHostCount = 0;
            foreach (var c in connections)
            {
                if (onlyHost != null && c.RemoteHost != onlyHost) continue;
                if (IsUseful(c, weHaveAny, now)) continue;
                if (perHost == null)
                {
                    perHost = new Dictionary<string, int>(StringComparer.Ordinal);
                    foreach (var x in connections) perHost[x.RemoteHost] = perHost.TryGetValue(x.RemoteHost, out var k) ? k + 1 : 1;
                }
                int count = perHost[c.RemoteHost];
                if (victim == null || count > victimHostCount || (count == victimHostCount && c.LastReceived < victim.LastReceived))
                {
                    victim = c;
                    victimHostCount = count;
                }
            }
            return victim;
        }
    }
}
