using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Networks.Chord;
using Xunit;
using Xunit.Abstractions;

namespace PSPeer.Engine.Tests.Networks.Chord
{
    /// <summary>
    /// The Chord paper's §6 figures, reproduced on small seeded simulations with tolerances: path length ½·log2 N,
    /// load balance with virtual nodes, keys lost to simultaneous failures (p without replicas, about p^R with them),
    /// lookups that still find the live successor after stabilization, and real joins that converge.
    /// </summary>
    public class ChordPaperTests
    {
        readonly ITestOutputHelper _output;
        public ChordPaperTests(ITestOutputHelper output) => _output = output;

        static ChordNetwork Ring(int hosts, int virtualNodes = 1, bool maintenance = false, int replicas = 1, int seed = 1,
            ChordBuildMode build = ChordBuildMode.Precomputed) =>
            ChordNetwork.CreateSimulated(new ChordNetworkOptions
            {
                Count = hosts, VirtualNodes = virtualNodes, Maintenance = maintenance, Replicas = replicas, Seed = seed, Build = build,
            });

        /// <remarks>
        /// Hops follow the rule (the asking node is hop 0; each further node asked adds 1; the step to the owner
        /// is not counted): that is the number of finger jumps to the key's predecessor, ½·log2 N − 1.1 on these rings.
        /// The paper's path length counts the nodes a lookup traverses, the owner included: hops + 1, which lands on
        /// ½·log2 N. The slope — half a hop per doubling of N — is the paper's result either way.
        /// </remarks>
        [Fact]
        public void Mean_path_length_is_half_log2_N_from_8_to_1024_nodes()
        {
            var means = new List<double>();
            for (int e = 3; e <= 10; e++)
            {
                int n = 1 << e;
                using (var ring = Ring(n, seed: e))
                {
                    Assert.Equal(0, ring.RunLookups(2000, ChordLookupMode.Iterative));
                    var m = ring.Measure();
                    _output.WriteLine($"N = {n,5}: hops mean {m.Hops.Mean:0.00}, nodes traversed {m.PathLength.Mean:0.00} (½·log2 N = {m.ExpectedHops:0.00}), p1 {m.Hops.P1}, p99 {m.Hops.P99}");
                    Assert.Equal(2000, m.Lookups);
                    Assert.InRange(m.PathLength.Mean, m.ExpectedHops - 0.75, m.ExpectedHops + 0.25);
                    Assert.True(m.Hops.P99 <= Math.Log(n, 2), $"p99 {m.Hops.P99} at N = {n}");
                    means.Add(m.Hops.Mean);
                }
            }
            // Seven doublings add 3.5 hops in the paper's model.
            Assert.InRange(means[means.Count - 1] - means[0], 3.0, 3.8);
        }

        [Fact]
        public void Recursive_lookups_take_the_same_path_length_as_iterative_ones()
        {
            using (var ring = Ring(512, seed: 3))
            {
                ring.RunLookups(1000, ChordLookupMode.Iterative);
                var iterative = ring.Measure();
                ring.ResetMeasurement();
                ring.RunLookups(1000, ChordLookupMode.Recursive);
                var recursive = ring.Measure();
                _output.WriteLine($"iterative: {iterative}; {iterative.MessagesPerLookup:0.0} messages, {iterative.LatencyMs.Mean:0} ms");
                _output.WriteLine($"recursive: {recursive}; {recursive.MessagesPerLookup:0.0} messages, {recursive.LatencyMs.Mean:0} ms");
                Assert.Equal(0, iterative.FailedLookups + iterative.WrongOwner);
                Assert.Equal(0, recursive.FailedLookups + recursive.WrongOwner);
                Assert.InRange(recursive.Hops.Mean, iterative.Hops.Mean - 0.3, iterative.Hops.Mean + 0.3);
            }
        }

        [Fact]
        public void Virtual_nodes_even_out_the_keys_per_host()
        {
            // 1,000 hosts, 100,000 keys: without virtual nodes the 99th percentile is several times the mean (the
            // paper's 4.6x at 10^4 hosts; ln 100 for exponential gaps), and it falls toward 1.6x as r grows.
            var ratios = new Dictionary<int, double>();
            foreach (int r in new[] { 1, 5, 20 })
                using (var ring = Ring(1000, virtualNodes: r, seed: 5))
                {
                    ring.AssignKeys(100_000);
                    var load = ring.Measure().KeyLoad;
                    _output.WriteLine($"r = {r,2}: keys per host mean {load.Mean:0.0}, p1 {load.P1}, p99 {load.P99}, max {load.Max}, p99/mean {load.P99OverMean:0.00}");
                    Assert.Equal(100.0, load.Mean, 6);
                    ratios[r] = load.P99OverMean;
                }
            Assert.InRange(ratios[1], 3.5, 6.0);
            Assert.True(ratios[5] < ratios[1] && ratios[20] < ratios[5], string.Join(", ", ratios));
            Assert.InRange(ratios[20], 1.2, 2.0);
        }

        [Fact]
        public void Keys_really_stored_lie_where_the_oracle_places_them()
        {
            using (var ring = Ring(200, seed: 8))
            {
                Assert.Equal(0, ring.StoreKeys(2000));
                var truth = new int[ring.Nodes.Count];
                for (int k = 0; k < 2000; k++) truth[ring.OwnerOf(ChordId.FromKey("key-" + k))]++;
                for (int i = 0; i < ring.Nodes.Count; i++)
                    Assert.Equal(truth[i], ring.Nodes[i].StoredKeyCount);
                var m = ring.Measure();
                Assert.Equal(2000, m.Keys);
                Assert.Equal(0, m.KeysLost);
                Assert.Equal(10.0, m.KeyLoad.Mean, 6);
            }
        }

        [Theory]
        [InlineData(1, 0.3)]
        public void Simultaneous_failures_lose_about_p_to_the_R_of_the_keys_and_lookups_still_find_the_live_successor(int replicas, double p)
        {
            using (var ring = Ring(400, maintenance: true, replicas: replicas, seed: 13))
            {
                Assert.Equal(0, ring.StoreKeys(2000, concurrency: 200));
                ring.ResetMeasurement();
                ring.FailFraction(p);
                var right = ring.Measure();
                double expected = Math.Pow(p, replicas);
                _output.WriteLine($"R = {replicas}, p = {p}: {right.KeysLost} of {right.Keys} keys lost ({right.KeysLostFraction:P1}; p^R = {expected:P1}), ring {right.RingCorrectness:P0} right");
                Assert.Equal((int)Math.Round(p * 400), right.NodesFailed);
                // Binomial spread on 2,000 keys: ± 3 standard deviations, and never below zero.
                double sd = Math.Sqrt(expected * (1 - expected) / 2000) + Math.Sqrt(expected * (1 - expected) / 400);
                Assert.InRange(right.KeysLostFraction, Math.Max(0, expected - 4 * sd), expected + 4 * sd);

                ring.RunFor(TimeSpan.FromSeconds(40));
                var stable = ring.Measure();
                _output.WriteLine($"after 40 s: ring {stable.RingCorrectness:P1} right, predecessors {stable.PredecessorCorrectness:P1}; {stable.KeysLost} lost");
                Assert.Equal(1.0, stable.RingCorrectness);
                ring.ResetMeasurement();
                ring.RunLookups(500, ChordLookupMode.Iterative, concurrency: 50);
                var after = ring.Measure();
                _output.WriteLine($"lookups after: {after}");
                Assert.Equal(0, after.FailedLookups + after.WrongOwner);
            }
        }

        [Theory]
        [InlineData(3, 0.3)]
        [InlineData(3, 0.5)]
        public void Simultaneous_failures_with_replicas_lose_about_p_to_the_R(int replicas, double p) =>
            Simultaneous_failures_lose_about_p_to_the_R_of_the_keys_and_lookups_still_find_the_live_successor(replicas, p);

        [Fact]
        public void A_ring_built_by_real_joins_converges_and_routes_in_half_log2_N()
        {
            using (var ring = ChordNetwork.CreateSimulated(new ChordNetworkOptions
            {
                Count = 300, Build = ChordBuildMode.Joins, Replicas = 1, Seed = 17,
            }))
            {
                var m = ring.Measure();
                _output.WriteLine($"converged {ring.Converged} in {ring.ConvergenceRounds} rounds after the last join; {ring.Simulation.Elapsed.TotalSeconds:0} s virtual");
                Assert.True(ring.Converged);
                Assert.Equal(300, m.Nodes);
                Assert.Equal(1.0, m.RingCorrectness);
                Assert.InRange(ring.ConvergenceRounds, 0, 10);
                ring.RunFor(TimeSpan.FromSeconds(60));   // fingers keep improving
                ring.ResetMeasurement();
                ring.RunLookups(500, ChordLookupMode.Iterative, concurrency: 50);
                var after = ring.Measure();
                _output.WriteLine($"lookups: {after}");
                Assert.Equal(0, after.FailedLookups + after.WrongOwner);
                Assert.InRange(after.PathLength.Mean, after.ExpectedHops - 0.75, after.ExpectedHops + 0.5);
            }
        }

        [Fact]
        public void The_same_seed_gives_the_same_measurement()
        {
            string Run()
            {
                using (var ring = Ring(150, maintenance: true, replicas: 2, seed: 23))
                {
                    ring.StoreKeys(300);
                    ring.FailFraction(0.2);
                    ring.StartChurn(0.5, 0.5, 5);
                    ring.RunFor(TimeSpan.FromSeconds(30));
                    ring.StopChurn();
                    ring.RunLookups(200, ChordLookupMode.Recursive, concurrency: 20);
                    var m = ring.Measure();
                    return $"{m} | {m.Hops} | {m.LatencyMs} | {m.Retries} {m.MessagesPerLookup} {m.Datagrams} {m.NodesJoined} {m.NodesFailed} {m.KeyLoad} {ring.Simulation.ExecutedWorkItems}";
                }
            }
            string first = Run(), second = Run();
            _output.WriteLine(first);
            Assert.Equal(first, second);
        }
    }
}
