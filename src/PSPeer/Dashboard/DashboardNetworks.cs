using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Networks;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// The one place the dashboard reads a composed network's protocol-specific shape: its nodes, its links, the
    /// neighbours a sample grows through, and which layout draws it. Gnutella networks give their planned links; any
    /// other network (Chord, once New-PeerNetwork builds rings) is drawn from its nodes, on a "ring" layout for Chord.
    /// Written against PeerNetwork.Engine as an object, so it reads the same whether Engine is the Gnutella network or a
    /// protocol-neutral engine interface.
    /// </summary>
    internal static class DashboardNetworks
    {
        static GnutellaNetwork Gnutella(PeerNetwork network) => (object)network.Engine as GnutellaNetwork;

        public static IReadOnlyList<PeerNodeBase> Nodes(PeerNetwork network)
        {
            var gnutella = Gnutella(network);
            if (gnutella != null) return gnutella.Nodes;
            return network.Nodes.Select(n => n.Engine).ToArray();
        }

        public static IReadOnlyList<TopologyEdge> Links(PeerNetwork network) =>
            Gnutella(network)?.Links ?? (IReadOnlyList<TopologyEdge>)Array.Empty<TopologyEdge>();

        /// <summary>The nodes linked to a node (by index), along which a sample grows breadth-first: a Gnutella node's planned
        /// links, a Chord node's successors and fingers.</summary>
        public static Func<int, IEnumerable<int>> NeighboursOf(PeerNetwork network)
        {
            var gnutella = Gnutella(network);
            if (gnutella != null) return node => gnutella.Topology.Neighbours(node);
            if (!IsChord(network)) return node => Enumerable.Empty<int>();
            var nodes = Nodes(network);
            var index = DashboardChord.IndexById(nodes);
            return node => DashboardChord.Neighbours(nodes, index, node);
        }

        static bool IsChord(PeerNetwork network) => string.Equals(network.Protocol, "Chord", StringComparison.OrdinalIgnoreCase);

        /// <summary>"ring" for systems whose nodes sit on an identifier circle (Chord), else "force".</summary>
        public static string Layout(PeerNetwork network) => IsChord(network) ? "ring" : "force";

        /// <summary>The role the page colours a node by (a Gnutella servent's ultrapeer or leaf role, else the node's role).</summary>
        public static string RoleOf(PeerNodeBase node) => node is GnutellaServent g ? g.GnutellaRole.ToString() : node.Role;
    }
}
