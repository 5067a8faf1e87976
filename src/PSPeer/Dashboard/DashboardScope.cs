using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Napster;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// What one dashboard watches: given networks and nodes, or (given neither) the whole session, whose networks and
    /// nodes are looked up afresh each time so that what starts later shows too. Turns them into
    /// <see cref="DashboardSystem"/>s: a network's nodes, sampled breadth-first from its first node when there are more
    /// than <see cref="MaxNodes"/>; standalone nodes grouped by protocol, linked where one knows the other's endpoint.
    /// </summary>
    internal sealed class DashboardScope
    {
        readonly Guid _session;
        readonly IReadOnlyList<PeerNetwork> _networks;   // null: the session's
        readonly IReadOnlyList<PeerNode> _nodes;         // null: the session's
        // Per network: the nodes drawn and the links among them, by position. A network's layout never changes (churn
        // replaces a node in its place), so both are worked out once, not on every status tick.
        readonly Dictionary<PeerNetwork, (int[] Nodes, List<int[]> Links)> _samples = new Dictionary<PeerNetwork, (int[], List<int[]>)>();

        public DashboardScope(Guid session, IReadOnlyList<PeerNetwork> networks, IReadOnlyList<PeerNode> nodes, int maxNodes)
        {
            _session = session;
            bool wholeSession = (networks == null || networks.Count == 0) && (nodes == null || nodes.Count == 0);
            _networks = wholeSession ? null : (networks ?? Array.Empty<PeerNetwork>());
            _nodes = wholeSession ? null : (nodes ?? Array.Empty<PeerNode>());
            MaxNodes = maxNodes;
        }

        public int MaxNodes { get; }
        public bool IsWholeSession => _networks == null;

        public IReadOnlyList<PeerNetwork> Networks => _networks ?? NetworkRegistry.GetNetworks(_session);

        IReadOnlyList<PeerNode> Nodes => _nodes ?? NodeRegistry.GetNodes(_session);

        /// <summary>What the dashboard shows, in words: "Gnutella-Network-1", "3 nodes", "session".</summary>
        public string Title
        {
            get
            {
                if (IsWholeSession) return "session";
                var parts = _networks.Select(n => n.Name).ToList();
                if (_nodes.Count > 0) parts.Add(_nodes.Count == 1 ? _nodes[0].Name : $"{_nodes.Count} nodes");
                return string.Join(", ", parts);
            }
        }

        /// <summary>Whether the scope was given networks only, all of them now stopped (the dashboard then stops too).</summary>
        public bool AllNetworksStopped => !IsWholeSession && _nodes.Count == 0 && _networks.Count > 0 && _networks.All(n => n.IsStopped);

        public int TotalNodes => Networks.Where(n => !n.IsStopped).Sum(n => n.Count) + Nodes.Count;

        /// <summary>The systems as they are now.</summary>
        public List<DashboardSystem> Systems()
        {
            var systems = new List<DashboardSystem>();
            foreach (var network in Networks)
                if (!network.IsStopped) systems.Add(NetworkSystem(network));
            foreach (var group in Nodes.GroupBy(n => n.Protocol))
                systems.Add(NodeSystem(group.Key, group.ToList()));
            return systems;
        }

        DashboardSystem NetworkSystem(PeerNetwork network)
        {
            var nodes = DashboardNetworks.Nodes(network);
            int total = nodes.Count;
            var system = new DashboardSystem("net:" + network.Name, network.Name,
                network.Protocol, DashboardNetworks.Layout(network), network.Simulated, total);
            var (shown, links) = SampleOf(network, total);
            foreach (int node in shown) system.Shown.Add(nodes[node]);
            system.Links.AddRange(links);
            // A ring is drawn from its routing state as it is now (successors settle as it stabilises), not cached links.
            if (system.Layout == "ring") DashboardChord.Arrange(system);
            if (shown.Length < total)
                system.SampleNote = string.Format(CultureInfo.InvariantCulture,
                    "Showing a sample: the {0:N0} nodes nearest {1} (breadth-first) of {2:N0}; events and counts of the others are not drawn.",
                    shown.Length, nodes[0].Name, total);
            return system;
        }

        // A breadth-first ball around node 0: the sample stays connected, so a flood from there can be followed.
        (int[] Nodes, List<int[]> Links) SampleOf(PeerNetwork network, int total)
        {
            lock (_samples)
            {
                if (_samples.TryGetValue(network, out var cached) && cached.Nodes.Length == Math.Min(total, MaxNodes)) return cached;
                int[] sample;
                if (total <= MaxNodes) sample = Enumerable.Range(0, total).ToArray();
                else
                {
                    var seen = new HashSet<int> { 0 };
                    var order = new List<int> { 0 };
                    var neighbours = DashboardNetworks.NeighboursOf(network);
                    for (int i = 0; i < order.Count && order.Count < MaxNodes; i++)
                        foreach (int next in neighbours(order[i]))
                            if (order.Count < MaxNodes && seen.Add(next)) order.Add(next);
                    // A disconnected remainder fills the rest in index order.
                    for (int n = 0; order.Count < MaxNodes && n < total; n++)
                        if (seen.Add(n)) order.Add(n);
                    sample = order.ToArray();
                }
                var position = new Dictionary<int, int>(sample.Length);
                for (int i = 0; i < sample.Length; i++) position[sample[i]] = i;
                var links = new List<int[]>();
                foreach (var link in DashboardNetworks.Links(network))
                    if (position.TryGetValue(link.A, out int a) && position.TryGetValue(link.B, out int b))
                        links.Add(new[] { a, b });
                return _samples[network] = (sample, links);
            }
        }

        DashboardSystem NodeSystem(string protocol, List<PeerNode> nodes)
        {
            var shown = nodes.Take(MaxNodes).ToList();
            bool ring = string.Equals(protocol, "Chord", StringComparison.OrdinalIgnoreCase);
            var system = new DashboardSystem("nodes:" + protocol, protocol + " nodes", protocol, ring ? "ring" : "force",
                shown.Any(n => n.Engine.Runtime.IsSimulated), nodes.Count);
            var byEndPoint = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var node in shown)
            {
                if (node.EndPoint != null) byEndPoint[node.EndPoint] = system.Shown.Count;
                system.Shown.Add(node.Engine);
            }
            var seen = new HashSet<long>();
            void Link(int a, string remote)
            {
                if (remote == null || !byEndPoint.TryGetValue(remote, out int b) || a == b) return;
                long key = Math.Min(a, b) * 1_000_000L + Math.Max(a, b);
                if (seen.Add(key)) system.Links.Add(new[] { a, b });
            }
            for (int i = 0; i < system.Shown.Count; i++)
            {
                switch (system.Shown[i])
                {
                    case GnutellaServent servent:
                        foreach (string remote in servent.Neighbors) Link(i, remote);
                        break;
                    case NapsterPeer peer:
                        Link(i, peer.IndexServer?.ToString());
                        break;
                    case BitTorrentPeer swarm:
                        foreach (var peer in swarm.Peers) Link(i, peer.EndPoint);
                        foreach (string tracker in swarm.Trackers) Link(i, TrackerEndPoint(tracker));
                        break;
                }
            }
            if (ring) DashboardChord.Arrange(system);
            if (shown.Count < nodes.Count)
                system.SampleNote = string.Format(CultureInfo.InvariantCulture, "Showing the first {0:N0} of {1:N0} nodes.", shown.Count, nodes.Count);
            return system;
        }

        static string TrackerEndPoint(string url) =>
            Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture) : null;
    }
}
