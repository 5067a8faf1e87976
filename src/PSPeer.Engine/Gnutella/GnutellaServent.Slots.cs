using System;
using System.Linq;
using System.Threading;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>Who gets a slot: the limits per kind and per address, and fair eviction of useless links.</summary>
    /// <remarks>
    /// A link is useful while it carries queries or hits: a fresh Query from it, or a QueryHit it routed back for a
    /// query we know, marks it (<see cref="GnutellaLink.MarkUseful"/>). Pings, Pongs and QRP tables cost nothing to fake
    /// and never count. A new link has <see cref="GnutellaOptions.LinkGrace"/> before it is judged; after that, one
    /// that was never useful, or not for <see cref="GnutellaOptions.UselessAfter"/>, is useless. When the slots of a
    /// kind (ultrapeer links, leaves) are full, a newcomer takes the slot of the useless link of that kind idle the
    /// longest — so links that only ping keep nothing for long, and honest servents that search are never the ones
    /// pushed out. At most <see cref="GnutellaOptions.MaxLinksPerAddress"/> links come from one remote address, so
    /// one host cannot hold every slot either.
    /// </remarks>
    public sealed partial class GnutellaServent
    {
        /// <summary>
        /// A link that lived this long (or carried a query or hit) was a real link: only then does its host's dial
        /// back-off start over. A servent that drops us right after the handshake keeps doubling its back-off.
        /// </summary>
        static readonly TimeSpan ProvenAfter = TimeSpan.FromSeconds(60);

        /// <summary>Most links one remote address may hold (0 = no limit): the option, else half the per-address connection limit.</summary>
        public int LinksPerAddressLimit => Options.MaxLinksPerAddress ?? Math.Max(1, Limits.MaxConnectionsPerAddress / 2);

        /// <summary>
        /// Why a new link cannot have a slot, or null when it can — evicting a useless link of its kind when the slots
        /// are full. <paramref name="remoteAddress"/> is the connection's IP address (null for links we dialled); <paramref name="newcomer"/>
        /// is its connection, whose endpoint an eviction names.
        /// </summary>
        string TakeSlot(bool remoteUltrapeer, HostPort listen, string remoteAddress, IConnection newcomer)
        {
            if (listen != null && listen.Equals(_listenEndPoint)) return "Connected to self";
            // Counted in one pass over the links that hold a slot (a loop, not queries: every accepted link asks).
            int ultrapeers = 0, leaves = 0, fromAddress = 0;
            foreach (var l in Volatile.Read(ref _links))
            {
                if (l.IsClosed || l.IsEvicted) continue;
                if (l.RemoteIsUltrapeer) ultrapeers++;
                else leaves++;
                if (remoteAddress != null && l.RemoteAddress == remoteAddress) fromAddress++;
            }
            int perAddress = LinksPerAddressLimit;
            if (perAddress > 0 && remoteAddress != null && fromAddress >= perAddress)
                return $"Too many links from {remoteAddress} ({perAddress} max)";
            if (IsLeaf)
            {
                if (!remoteUltrapeer) return "Leaves do not accept leaves";
                if (ultrapeers >= Options.LeafUltrapeerLinks) return "Leaf has all the ultrapeers it needs";
                return null;
            }
            string full = remoteUltrapeer
                ? (ultrapeers >= Options.MaxUltrapeerLinks ? "Ultrapeer slots full" : null)
                : (leaves >= Options.MaxLeaves ? "Leaf slots full" : null);
            if (full == null) return null;
            return EvictUseless(remoteUltrapeer, newcomer) ? null : full;
        }

        bool IsUseless(GnutellaLink link, DateTimeOffset now)
        {
            if (now - link.ConnectedAt < Options.LinkGrace) return false;
            var useful = link.LastUseful;
            return useful == null || now - useful.Value >= Options.UselessAfter;
        }

        /// <summary>Says Bye to the useless link of this kind idle the longest, if there is one; true when a slot was freed.</summary>
        bool EvictUseless(bool ultrapeerSlot, IConnection newcomer)
        {
            var now = Runtime.Clock.Now;
            var candidates = Volatile.Read(ref _links)
                .Where(l => !l.IsClosed && !l.IsEvicted && l.RemoteIsUltrapeer == ultrapeerSlot && IsUseless(l, now))
                .OrderBy(l => l.LastUseful ?? l.ConnectedAt);
            foreach (var victim in candidates)
            {
                if (!victim.TryClaimEviction()) continue;   // another newcomer took this one a moment ago
                var idle = now - (victim.LastUseful ?? victim.ConnectedAt);
                string reason = victim.LastUseful == null
                    ? $"useless link: no query or hit in {idle.TotalSeconds:0} s"
                    : $"useless link: no query or hit for {idle.TotalSeconds:0} s";
                Emit(PeerEventTypes.LinkEvicted, victim.Remote, reason, D("Reason", reason), D("Ultrapeer", victim.RemoteIsUltrapeer),
                    D("IdleSeconds", Math.Round(idle.TotalSeconds)), D("For", newcomer.RemoteEndPoint));
                _ = victim.SayByeAndCloseAsync(503, "Making room: " + reason);
                return true;
            }
            return false;
        }

        /// <summary>At the end of a link we dialled: its host's back-off starts over only if the link was a real one.</summary>
        void JudgeDialledHost(GnutellaLink link)
        {
            if (!link.Outgoing || link.ListenEndPoint == null) return;
            var now = Runtime.Clock.Now;
            if (link.LastUseful != null || now - link.ConnectedAt >= ProvenAfter) _hosts.Succeeded(link.ListenEndPoint);
            else _hosts.Failed(link.ListenEndPoint, now);
        }
    }
}
