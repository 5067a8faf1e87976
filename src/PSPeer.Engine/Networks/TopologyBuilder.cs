using System;
using System.Collections.Generic;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Networks
{
    /// <summary>
    /// Builds connected graphs from a seeded random source: the same seed gives the same links. Degrees are means:
    /// a Random graph of N nodes and degree d has max(N-1, N·d/2) links (capped at the complete graph).
    /// </summary>
    public static class TopologyBuilder
    {
        public static Topology Build(TopologyKind kind, int nodeCount, int degree, IRandomSource random)
        {
            switch (kind)
            {
                case TopologyKind.Random: return Random(nodeCount, degree, random);
                case TopologyKind.PowerLaw: return PowerLaw(nodeCount, degree, random);
                case TopologyKind.Ring: return Ring(nodeCount, degree);
                default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown topology.");
            }
        }

        /// <summary>A random recursive tree (each node joins a uniformly chosen earlier node) plus random extra links.</summary>
        public static Topology Random(int nodeCount, int degree, IRandomSource random)
        {
            Check(nodeCount, degree, random);
            var edges = new EdgeSet(nodeCount);
            // Shuffle the order nodes join, so the tree's old, high-degree nodes are not always the low indices.
            var order = Permutation(nodeCount, random);
            for (int i = 1; i < nodeCount; i++) edges.TryAdd(order[i], order[random.Next(i)]);
            long complete = (long)nodeCount * (nodeCount - 1) / 2;
            long target = Math.Min(complete, Math.Max(nodeCount - 1, (long)nodeCount * degree / 2));
            while (edges.Count < target) edges.TryAdd(random.Next(nodeCount), random.Next(nodeCount));
            return new Topology(TopologyKind.Random, nodeCount, edges.Edges);
        }

        /// <summary>
        /// Barabási–Albert: a clique of m+1 nodes, then each new node links to m distinct nodes picked with probability
        /// proportional to their degree (by sampling the list of link endpoints). Connected by construction.
        /// </summary>
        public static Topology PowerLaw(int nodeCount, int degree, IRandomSource random)
        {
            Check(nodeCount, degree, random);
            int m = Math.Max(1, degree / 2);
            var edges = new EdgeSet(nodeCount);
            var endpoints = new List<int>(nodeCount * m * 2);
            int seedSize = Math.Min(nodeCount, m + 1);
            for (int a = 0; a < seedSize; a++)
                for (int b = a + 1; b < seedSize; b++)
                {
                    edges.TryAdd(a, b);
                    endpoints.Add(a);
                    endpoints.Add(b);
                }
            var chosen = new List<int>(m);
            for (int node = seedSize; node < nodeCount; node++)
            {
                chosen.Clear();
                int want = Math.Min(m, node);
                while (chosen.Count < want)
                {
                    int target = endpoints.Count == 0 ? random.Next(node) : endpoints[random.Next(endpoints.Count)];
                    if (!chosen.Contains(target)) chosen.Add(target);
                }
                foreach (int target in chosen)
                {
                    edges.TryAdd(node, target);
                    endpoints.Add(node);
                    endpoints.Add(target);
                }
            }
            return new Topology(TopologyKind.PowerLaw, nodeCount, edges.Edges);
        }

        /// <summary>A ring lattice: node i links to i±1 .. i±degree/2 (at least its two ring neighbours).</summary>
        public static Topology Ring(int nodeCount, int degree)
        {
            Check(nodeCount, degree);
            int half = Math.Max(1, degree / 2);
            var edges = new EdgeSet(nodeCount);
            for (int i = 0; i < nodeCount; i++)
                for (int k = 1; k <= half; k++)
                    edges.TryAdd(i, (i + k) % nodeCount);
            return new Topology(TopologyKind.Ring, nodeCount, edges.Edges);
        }

        /// <summary>0..n-1 in a seeded random order (Fisher–Yates).</summary>
        public static int[] Permutation(int count, IRandomSource random)
        {
            var order = new int[count];
            for (int i = 0; i < count; i++) order[i] = i;
            for (int i = count - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                int t = order[i]; order[i] = order[j]; order[j] = t;
            }
            return order;
        }

        static void Check(int nodeCount, int degree)
        {
            if (nodeCount < 1) throw new ArgumentOutOfRangeException(nameof(nodeCount), nodeCount, "A network has at least one node.");
            if (degree < 1) throw new ArgumentOutOfRangeException(nameof(degree), degree, "The degree is at least 1.");
        }

        static void Check(int nodeCount, int degree, IRandomSource random)
        {
            Check(nodeCount, degree);
            if (random == null) throw new ArgumentNullException(nameof(random));
        }

        /// <summary>Links without duplicates or self-loops, in the order they were added (so runs are reproducible).</summary>
        sealed class EdgeSet
        {
            readonly HashSet<long> _keys;
            public readonly List<TopologyEdge> Edges;

            public EdgeSet(int nodeCount)
            {
                _keys = new HashSet<long>();
                Edges = new List<TopologyEdge>(nodeCount * 2);
            }

            public int Count => Edges.Count;

            public bool TryAdd(int a, int b)
            {
                if (a == b) return false;
                var edge = new TopologyEdge(a, b);
                if (!_keys.Add(edge.Key)) return false;
                Edges.Add(edge);
                return true;
            }
        }
    }
}
