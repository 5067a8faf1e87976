using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Networks
{
    /// <summary>
    /// An undirected graph over nodes 0..NodeCount-1: the links a network builder makes. Adjacency is kept in one
    /// compressed array (offsets + neighbours), so a 100,000-node graph costs a few bytes per link, and breadth-first
    /// search from any node gives what a perfect flood reaches (the analytic yardstick for measurements).
    /// </summary>
    public sealed class Topology
    {
        readonly TopologyEdge[] _edges;
        readonly int[] _offsets;     // neighbours of i are _neighbours[_offsets[i] .. _offsets[i+1])
        readonly int[] _neighbours;

        public Topology(TopologyKind kind, int nodeCount, IEnumerable<TopologyEdge> edges)
        {
            if (nodeCount < 0) throw new ArgumentOutOfRangeException(nameof(nodeCount));
            Kind = kind;
            NodeCount = nodeCount;
            _edges = new List<TopologyEdge>(edges ?? throw new ArgumentNullException(nameof(edges))).ToArray();
            _offsets = new int[nodeCount + 1];
            foreach (var e in _edges)
            {
                if (e.B >= nodeCount) throw new ArgumentException($"Link {e} names a node beyond {nodeCount - 1}.", nameof(edges));
                _offsets[e.A + 1]++;
                _offsets[e.B + 1]++;
            }
            for (int i = 0; i < nodeCount; i++) _offsets[i + 1] += _offsets[i];
            _neighbours = new int[_edges.Length * 2];
            var fill = new int[nodeCount];
            foreach (var e in _edges)
            {
                _neighbours[_offsets[e.A] + fill[e.A]++] = e.B;
                _neighbours[_offsets[e.B] + fill[e.B]++] = e.A;
            }
        }

        public TopologyKind Kind { get; }
        public int NodeCount { get; }
        public IReadOnlyList<TopologyEdge> Edges => _edges;
        public int EdgeCount => _edges.Length;
        public double MeanDegree => NodeCount == 0 ? 0 : 2.0 * _edges.Length / NodeCount;

        public int Degree(int node) => _offsets[node + 1] - _offsets[node];

        public IEnumerable<int> Neighbours(int node)
        {
            for (int i = _offsets[node]; i < _offsets[node + 1]; i++) yield return _neighbours[i];
        }

        /// <summary>Hop distance from <paramref name="source"/> to every node (-1 where unreachable).</summary>
        public int[] Distances(int source)
        {
            if (source < 0 || source >= NodeCount) throw new ArgumentOutOfRangeException(nameof(source));
            var distance = new int[NodeCount];
            for (int i = 0; i < distance.Length; i++) distance[i] = -1;
            var queue = new int[NodeCount];
            int head = 0, tail = 0;
            distance[source] = 0;
            queue[tail++] = source;
            while (head < tail)
            {
                int node = queue[head++];
                for (int i = _offsets[node]; i < _offsets[node + 1]; i++)
                {
                    int next = _neighbours[i];
                    if (distance[next] >= 0) continue;
                    distance[next] = distance[node] + 1;
                    queue[tail++] = next;
                }
            }
            return distance;
        }

        /// <summary>
        /// Nodes a flood with <paramref name="ttl"/> reaches from <paramref name="source"/>, not counting the source:
        /// element t-1 is the count within t hops, for t = 1..ttl. A query with TTL t is received by exactly these.
        /// </summary>
        public int[] ReachByTtl(int source, int ttl)
        {
            var reach = new int[Math.Max(0, ttl)];
            foreach (int d in Distances(source))
                if (d > 0 && d <= ttl)
                    for (int t = d; t <= ttl; t++) reach[t - 1]++;
            return reach;
        }

        public bool IsConnected
        {
            get
            {
                if (NodeCount == 0) return true;
                foreach (int d in Distances(0)) if (d < 0) return false;
                return true;
            }
        }
    }
}
