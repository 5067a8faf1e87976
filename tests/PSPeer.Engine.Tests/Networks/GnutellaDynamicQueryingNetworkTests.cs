using System;
using System.Linq;
using PSPeer.Engine.Networks;
using Xunit;
using Xunit.Abstractions;

namespace PSPeer.Engine.Tests.Networks
{
    /// <summary>
    /// Dynamic querying against the plain flood on the same simulated two-tier network (same seed, same graph, same
    /// files): query messages and results per search from leaves, for a popular title and a rare one. The figures are
    /// printed; a rare title costs more than a flood (the probe, and wider copies that cross the first ones).
    /// </summary>
    public class GnutellaDynamicQueryingNetworkTests
    {
        const int Count = 1000;
        readonly ITestOutputHelper _output;
        public GnutellaDynamicQueryingNetworkTests(ITestOutputHelper output) => _output = output;

        static GnutellaNetwork Build(bool dynamic) => GnutellaNetwork.CreateSimulated(new GnutellaNetworkOptions
        {
            Count = Count, Topology = TopologyKind.PowerLaw, Degree = 6, UltrapeerFraction = 0.2, Seed = 7, SharingFraction = 0.1,
            TraceQueries = false, DynamicQuerying = dynamic, UltrapeerQueryRouting = dynamic,
        });

        /// <summary>Mean query messages and hits per search over the first five leaves.</summary>
        static (double messages, double hits) Measure(GnutellaNetwork net, string title, int? ttl)
        {
            var leaves = Enumerable.Range(0, Count).Where(i => !net.IsUltrapeer(i)).Take(5).ToList();
            net.ResetMeasurement();
            double hits = 0;
            foreach (int leaf in leaves) hits += net.Search(leaf, title, ttl, TimeSpan.FromSeconds(20)).Count;
            var m = net.Measure();
            return (m.QueryMessages / (double)leaves.Count, hits / leaves.Count);
        }

        [Fact]
        public void Dynamic_queries_cost_less_than_a_flood_for_popular_files_and_still_find_rare_ones()
        {
            string popular = SyntheticLibrary.Titles[0], rare = SyntheticLibrary.Titles[SyntheticLibrary.Titles.Count - 1];
            (double messages, double hits) floodPopular, floodRare, dqPopular, dqRare;
            using (var flood = Build(dynamic: false))
            {
                floodPopular = Measure(flood, popular, 7);
                floodRare = Measure(flood, rare, 7);
            }
            using (var dq = Build(dynamic: true))
            {
                dqPopular = Measure(dq, popular, null);
                dqRare = Measure(dq, rare, null);
            }
            _output.WriteLine($"{Count} nodes, power law degree 6, 20% ultrapeers; per search from a leaf (mean of 5):");
            _output.WriteLine($"  '{popular}': flood TTL 7 {floodPopular.messages:0} query messages, {floodPopular.hits:0.0} hits; dynamic {dqPopular.messages:0} messages, {dqPopular.hits:0.0} hits");
            _output.WriteLine($"  '{rare}': flood TTL 7 {floodRare.messages:0} query messages, {floodRare.hits:0.0} hits; dynamic {dqRare.messages:0} messages, {dqRare.hits:0.0} hits");

            // The saving grows with how far the results outnumber what a query wants (50): here Hey Jude has about 60
            // copies within reach, so dynamic querying saves about a quarter; with 2000 nodes (127 copies), more than half.
            Assert.True(dqPopular.messages < floodPopular.messages * 0.9, $"popular: {dqPopular.messages} vs flood {floodPopular.messages}");
            Assert.True(dqPopular.hits >= Math.Min(50, floodPopular.hits) * 0.8, $"popular hits: {dqPopular.hits} vs flood {floodPopular.hits}");
            Assert.True(dqRare.hits >= floodRare.hits * 0.8, $"rare hits: {dqRare.hits} vs flood {floodRare.hits}");
        }
    }
}
