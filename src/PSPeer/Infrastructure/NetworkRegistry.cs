using System;
using System.Collections.Generic;
using System.Linq;

namespace PSPeer
{
    /// <summary>
    /// The networks New-PeerNetwork composed, by session. Their nodes are not in <see cref="NodeRegistry"/> (a
    /// 10,000-node network would drown Get-PeerNode); cmdlets find a node's network here. Removing the module or
    /// closing the runspace stops a session's networks with its nodes.
    /// </summary>
    internal static class NetworkRegistry
    {
        static readonly SessionLists<PeerNetwork> Sessions = new SessionLists<PeerNetwork>();

        public static IReadOnlyList<PeerNetwork> GetNetworks(Guid session) => Sessions.Get(session);

        public static void Add(Guid session, PeerNetwork network) => Sessions.Add(session, network);

        public static void Remove(PeerNetwork network) => Sessions.Remove(network);

        /// <summary>The network (of any session) that <paramref name="node"/> belongs to, or null for a standalone node.</summary>
        public static PeerNetwork Find(PeerNode node)
        {
            if (node == null) return null;
            return Sessions.All().FirstOrDefault(n => n.Owns(node));
        }

        /// <summary>The first "Gnutella-Network-N" not used in the session.</summary>
        public static string NextName(Guid session, string protocol)
        {
            var names = new HashSet<string>(GetNetworks(session).Select(n => n.Name), StringComparer.OrdinalIgnoreCase);
            for (int n = 1; ; n++)
            {
                string name = $"{protocol}-Network-{n}";
                if (!names.Contains(name)) return name;
            }
        }

        /// <summary>Stops and forgets a session's networks.</summary>
        public static void StopSession(Guid session)
        {
            foreach (var network in Sessions.TakeSession(session))
            {
                try { network.Stop(); }
                catch (Exception) { /* a network that fails to stop cleanly is still forgotten */ }
            }
        }
    }
}
