using System.Linq;
using PSPeer.Engine.Networks;
using PSPeer.Engine.Runtime;
using Xunit;

namespace PSPeer.Engine.Tests.Networks
{
    public class TopologyBuilderTests
    {
        [Theory]
        [InlineData(TopologyKind.Random, 1000, 4)]
        [InlineData(TopologyKind.Random, 50, 2)]
        [InlineData(TopologyKind.PowerLaw, 1000, 4)]
        [InlineData(TopologyKind.PowerLaw, 30, 6)]
        [InlineData(TopologyKind.Ring, 100, 4)]
        [InlineData(TopologyKind.Ring, 7, 1)]
        public void Every_topology_is_connected_without_self_loops_or_duplicates(TopologyKind kind, int n, int degree)
        {
            var t = TopologyBuilder.Build(kind, n, degree, new SeededRandom(3));
            Assert.True(t.IsConnected);
            Assert.All(t.Edges, e => Assert.True(e.A < e.B && e.B < n));
            Assert.Equal(t.EdgeCount, t.Edges.Select(e => e.Key).Distinct().Count());
        }

        [Fact]
        public void Random_graph_has_the_requested_mean_degree()
        {
            var t = TopologyBuilder.Random(2000, 6, new SeededRandom(1));
            Assert.Equal(6000, t.EdgeCount);
            Assert.Equal(6.0, t.MeanDegree, 3);
        }

        [Fact]
        public void Power_law_graph_attaches_m_links_per_node_and_grows_hubs()
        {
            var t = TopologyBuilder.PowerLaw(5000, 4, new SeededRandom(9));
            // clique of 3 (3 links) + 2 links for each of the other 4997 nodes
            Assert.Equal(3 + 2 * 4997, t.EdgeCount);
            int maxDegree = Enumerable.Range(0, t.NodeCount).Max(t.Degree);
            // A random graph of this degree tops out near 15; preferential attachment makes hubs far above that.
            Assert.True(maxDegree > 50, $"max degree {maxDegree}");
        }

        [Fact]
        public void Ring_links_each_node_to_its_nearest_neighbours()
        {
            var t = TopologyBuilder.Ring(10, 4);
            Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(4, t.Degree(i)));
            Assert.Equal(new[] { 1, 2, 8, 9 }, t.Neighbours(0).OrderBy(x => x));
            // Reach grows by 4 per hop on a ring of degree 4 until it wraps.
            Assert.Equal(new[] { 4, 8, 9 }, t.ReachByTtl(0, 3));
        }

        [Fact]
        public void Same_seed_gives_the_same_links_and_another_seed_does_not()
        {
            var a = TopologyBuilder.Random(300, 4, new SeededRandom(5)).Edges;
            var b = TopologyBuilder.Random(300, 4, new SeededRandom(5)).Edges;
            var c = TopologyBuilder.Random(300, 4, new SeededRandom(6)).Edges;
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
        }

        [Fact]
        public void Reach_by_ttl_matches_breadth_first_distances()
        {
            var t = TopologyBuilder.Random(500, 3, new SeededRandom(2));
            var d = t.Distances(7);
            var reach = t.ReachByTtl(7, 5);
            for (int ttl = 1; ttl <= 5; ttl++)
                Assert.Equal(d.Count(x => x > 0 && x <= ttl), reach[ttl - 1]);
            Assert.True(reach[4] > reach[0]);
        }
    }
}
