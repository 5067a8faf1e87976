using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Networks
{
    /// <summary>
    /// The plan of a network before any node runs: who is an ultrapeer, which links exist (ultrapeers per the
    /// topology, each leaf to a few ultrapeers) and which files each node shares. Pure and seeded, so the same
    /// options give the same plan live and simulated.
    /// </summary>
    internal sealed class NetworkLayout
    {
        public int Count;
        public bool[] IsUltrapeer;
        public int[] Ultrapeers;                 // node indices, ascending
        public Topology Core;                    // among ultrapeers, by position in Ultrapeers
        public List<TopologyEdge> Links;         // by node index; for a leaf link, A or B is the leaf
        public bool[] LeafLink;                  // per link: does it attach a leaf (the leaf initiates it)
        public int[] CoreDegree;                 // per node: ultrapeer links it will have
        public int[] LeafCount;                  // per node: leaves it shields
        public IReadOnlyList<int>[] Files;       // per node: library titles it shares (null = none)
        public Topology All;                     // every link, by node index

        public static NetworkLayout Plan(GnutellaNetworkOptions options, IRandomSource random)
        {
            int n = options.Count;
            var layout = new NetworkLayout { Count = n, IsUltrapeer = new bool[n], CoreDegree = new int[n], LeafCount = new int[n] };
            int ultrapeerCount = Math.Max(1, Math.Min(n, (int)Math.Round(n * options.UltrapeerFraction)));
            var order = TopologyBuilder.Permutation(n, random);
            for (int i = 0; i < ultrapeerCount; i++) layout.IsUltrapeer[order[i]] = true;
            var ultrapeers = new List<int>(ultrapeerCount);
            for (int i = 0; i < n; i++) if (layout.IsUltrapeer[i]) ultrapeers.Add(i);
            layout.Ultrapeers = ultrapeers.ToArray();

            layout.Core = TopologyBuilder.Build(options.Topology, ultrapeerCount, options.Degree, random);
            layout.Links = new List<TopologyEdge>(layout.Core.EdgeCount + (n - ultrapeerCount) * options.LeafUltrapeerLinks);
            var leafLink = new List<bool>(layout.Links.Capacity);
            foreach (var e in layout.Core.Edges)
            {
                int a = layout.Ultrapeers[e.A], b = layout.Ultrapeers[e.B];
                layout.Links.Add(new TopologyEdge(a, b));
                leafLink.Add(false);
                layout.CoreDegree[a]++;
                layout.CoreDegree[b]++;
            }
            int perLeaf = Math.Min(options.LeafUltrapeerLinks, ultrapeerCount);
            var chosen = new List<int>(perLeaf);
            for (int leaf = 0; leaf < n; leaf++)
            {
                if (layout.IsUltrapeer[leaf]) continue;
                chosen.Clear();
                while (chosen.Count < perLeaf)
                {
                    int up = layout.Ultrapeers[random.Next(ultrapeerCount)];
                    if (!chosen.Contains(up)) chosen.Add(up);
                }
                foreach (int up in chosen)
                {
                    layout.Links.Add(new TopologyEdge(leaf, up));
                    leafLink.Add(true);
                    layout.LeafCount[up]++;
                }
            }
            layout.LeafLink = leafLink.ToArray();
            layout.All = new Topology(options.Topology, n, layout.Links);

            layout.Files = new IReadOnlyList<int>[n];
            bool anyHeyJude = false;
            for (int i = 0; i < n; i++)
            {
                if (random.NextDouble() >= options.SharingFraction) continue;
                layout.Files[i] = SyntheticLibrary.Pick(random, options.FilesPerSharingNode);
                if (layout.Files[i].Contains(0)) anyHeyJude = true;
            }
            // Searches for the most popular title must have an answer somewhere, even in a tiny network.
            if (!anyHeyJude)
            {
                int sharer = order[n - 1];
                var files = new List<int> { 0 };
                if (layout.Files[sharer] != null) foreach (int f in layout.Files[sharer]) if (f != 0) files.Add(f);
                layout.Files[sharer] = files;
            }
            return layout;
        }
    }
}
