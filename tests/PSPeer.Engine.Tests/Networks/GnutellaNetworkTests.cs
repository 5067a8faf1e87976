using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Networks;
using PSPeer.Engine.Tests.Content;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;
using Xunit.Abstractions;

namespace PSPeer.Engine.Tests.Networks
{
    /// <summary>Composed Gnutella networks on the simulated runtime: flooding, reverse paths, QRP, scale, churn.</summary>
    public class GnutellaNetworkTests
    {
        const int HeyJude = 0;   // title index in the synthetic library
        readonly ITestOutputHelper _output;
        public GnutellaNetworkTests(ITestOutputHelper output) => _output = output;

        static GnutellaNetwork Build(int count, TopologyKind kind = TopologyKind.Random, int degree = 4, double ultrapeers = 1.0, int seed = 1,
            double sharing = 0.1, bool trace = true) =>
            GnutellaNetwork.CreateSimulated(new GnutellaNetworkOptions
            {
                Count = count, Topology = kind, Degree = degree, UltrapeerFraction = ultrapeers, Seed = seed, SharingFraction = sharing,
                TraceQueries = trace,
            });

        static bool SharesHeyJude(GnutellaNetwork net, int node) => net.SharedTitles(node)?.Contains(HeyJude) == true;

        [Fact]
        public void A_small_network_links_as_planned_and_finds_every_copy_of_hey_jude()
        {
            using (var net = Build(60))
            {
                Assert.Equal(0, net.FailedLinks);
                Assert.All(Enumerable.Range(0, 60), i => Assert.Equal(net.Topology.Degree(i), net.Nodes[i].ConnectionCount));
                var within = net.Topology.Distances(0);
                var hits = net.Search(0, "Hey Jude", ttl: 7);
                var sharers = Enumerable.Range(1, 59).Where(i => SharesHeyJude(net, i) && within[i] <= 7).ToList();
                Assert.NotEmpty(sharers);
                Assert.Equal(sharers.Count, hits.Select(h => h.Source).Distinct().Count());
                Assert.All(hits, h => Assert.Equal("The Beatles - Hey Jude.mp3", h.Name));
                // A hit arrives with the hops it travelled back: the sharer's distance from the searcher.
                foreach (var hit in hits)
                {
                    int sharer = Enumerable.Range(0, 60).Single(i => net.HostOf(i).HostAddress + ":" + GnutellaNetwork.SimulatedPort == hit.Source);
                    Assert.Equal(within[sharer], hit.Hops);
                }
                var m = net.Measure();
                Assert.Equal(1, m.Searches);
                Assert.Equal(hits.Count, m.Hits);
                Assert.Equal(1, m.Floods);
                Assert.Equal(within.Count(d => d > 0 && d <= 7), m.MeanReach);
            }
        }

        [Fact]
        public void Building_reports_progress_between_steps_and_stops_when_cancelled()
        {
            var steps = new List<(string what, double fraction)>();
            using (var net = GnutellaNetwork.CreateSimulated(new GnutellaNetworkOptions { Count = 50 }, "n", (w, f) => steps.Add((w, f))))
                Assert.Equal(50, net.Nodes.Count);
            Assert.Equal(new[] { "Creating", "Starting", "Making", "Letting" }, steps.Select(s => s.what.Split(' ')[0]).Distinct());
            Assert.Equal(steps.Select(s => s.fraction).OrderBy(f => f), steps.Select(s => s.fraction));

            var cancelled = new System.Threading.CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() => GnutellaNetwork.CreateSimulated(new GnutellaNetworkOptions { Count = 50 }, "n",
                (w, f) => { if (w.StartsWith("Starting")) cancelled.Cancel(); }, cancelled.Token));
        }

        [Fact]
        public void A_full_flood_over_a_connected_random_graph_sends_at_most_two_query_messages_per_link()
        {
            using (var net = Build(400, degree: 6, sharing: 0))
            {
                int edges = net.Topology.EdgeCount;
                var distances = net.Topology.Distances(5);
                Assert.True(distances.Max() <= 7, "the flood must cover the graph: its eccentricity from the source is " + distances.Max());
                net.Search(5, "nothing matches this", ttl: 7, timeout: TimeSpan.FromSeconds(3));
                var m = net.Measure();
                var flood = net.Floods.Single();
                Assert.Equal(399, flood.Reached);
                Assert.True(m.QueryMessages <= 2 * edges, $"{m.QueryMessages} query messages over {edges} links");
                Assert.True(m.MessagesByType["Query"] <= 2 * edges);
                // Every node forwards once on each link but the one it heard first on: exactly 2|E| - (N - 1) copies.
                Assert.Equal(2 * edges - 399, m.QueryMessages);
                Assert.Equal(m.QueryMessages - 399, m.Duplicates);
                _output.WriteLine($"|E| = {edges}: {m.QueryMessages} query messages, {m.Duplicates} duplicates");
            }
        }

        [Theory]
        [InlineData(TopologyKind.Random)]
        [InlineData(TopologyKind.PowerLaw)]
        [InlineData(TopologyKind.Ring)]
        public void Reach_per_ttl_equals_breadth_first_search_from_the_source(TopologyKind kind)
        {
            using (var net = Build(1000, kind, degree: 4, sharing: 0))
            {
                const int origin = 17;
                var expected = net.Topology.ReachByTtl(origin, 6);
                for (int ttl = 1; ttl <= 6; ttl++)
                {
                    net.Search(origin, "no such song " + ttl, ttl: ttl, timeout: TimeSpan.FromSeconds(2));
                    var flood = net.Floods.Last();
                    Assert.Equal(expected[ttl - 1], flood.Reached);
                    Assert.DoesNotContain(origin, flood.ReachedNodes);
                }
                var m = net.Measure();
                Assert.Equal(expected.Select(x => (double)x).ToArray(), m.AnalyticReachByTtl.Take(6).ToArray());
                _output.WriteLine($"{kind}: reach by TTL 1..6 = {string.Join(", ", expected)}");
            }
        }

        [Fact]
        public void Every_hit_returns_along_the_reverse_path_through_nodes_that_forwarded_the_query()
        {
            using (var net = Build(800, degree: 4, sharing: 0.3, seed: 4))
            {
                const int origin = 3;
                var hits = net.Search(origin, "Hey Jude", ttl: 5);
                var flood = net.Floods.Single();
                var reached = flood.ReachedNodes;
                int answering = reached.Count(i => SharesHeyJude(net, i));
                Assert.True(answering > 5);
                Assert.Equal(answering, hits.Count);
                Assert.Equal(0, flood.HitsDropped);
                Assert.Equal(0, net.Measure().HitsDropped);
                // A hit is only passed on by a node that forwarded the query: routes exist nowhere else.
                Assert.NotEmpty(flood.HitRouters);
                Assert.Subset(flood.Forwarders, flood.HitRouters);
                // A hit from distance d is routed back by the d - 1 nodes between: the routed count adds up exactly.
                var d = net.Topology.Distances(origin);
                long expectedRoutings = reached.Where(i => SharesHeyJude(net, i)).Sum(i => (long)(d[i] - 1));
                Assert.Equal(expectedRoutings, flood.HitsRoutedBack);
            }
        }

        [Fact]
        public void With_ultrapeers_leaves_receive_only_queries_their_route_tables_match()
        {
            using (var net = Build(600, degree: 6, ultrapeers: 0.2, sharing: 0.3, seed: 8))
            {
                int origin = net.Ultrapeers[0];
                var hits = net.Search(origin, "Hey Jude", ttl: 4);
                var flood = net.Floods.Single();
                var leavesReached = flood.ReachedNodes.Where(i => !net.IsUltrapeer(i)).ToList();
                Assert.NotEmpty(leavesReached);
                Assert.All(leavesReached, leaf => Assert.True(SharesHeyJude(net, leaf), $"leaf {leaf} got a query it cannot answer"));
                var m = net.Measure();
                Assert.True(m.QueriesFilteredByQrp > 0);
                Assert.Equal(leavesReached.Count, hits.Count(h => net.IsUltrapeer(SourceIndex(net, h)) == false));
                _output.WriteLine($"{leavesReached.Count} leaves reached, {m.QueriesFilteredByQrp} copies held back by QRP, {hits.Count} hits");
            }
        }

        static int SourceIndex(GnutellaNetwork net, SearchHit hit)
        {
            for (int i = 0; i < net.Nodes.Count; i++)
                if (net.HostOf(i).HostAddress + ":" + GnutellaNetwork.SimulatedPort == hit.Source) return i;
            return -1;
        }

        [Fact]
        public void The_same_seed_gives_the_same_network_and_the_same_answers()
        {
            string Run()
            {
                using (var net = Build(300, TopologyKind.PowerLaw, degree: 4, ultrapeers: 0.5, seed: 21))
                {
                    var hits = net.Search(9, "Hey Jude");
                    var m = net.Measure();
                    return string.Join(";", hits.Select(h => h.Source + "/" + h.Hops + "/" + h.Latency.Ticks)) + "|" + m.MessagesSent + "|" + m.Floods;
                }
            }
            Assert.Equal(Run(), Run());
        }

        [Fact]
        public void The_same_seed_gives_the_same_event_trace()
        {
            List<string> Trace()
            {
                var trace = new List<string>();
                using (var net = Build(150, TopologyKind.Random, degree: 4, ultrapeers: 0.4, seed: 13, sharing: 0.3))
                {
                    foreach (var node in net.Nodes) node.Events.Subscribe(e => trace.Add(e.ToJson()));
                    net.Search(2, "Hey Jude", ttl: 3);
                    net.Search(40, "Let It Be");
                    net.RunFor(TimeSpan.FromSeconds(10));
                }
                return trace;
            }
            var first = Trace();
            Assert.True(first.Count > 100, $"only {first.Count} events");
            Assert.Equal(first, Trace());
        }

        [Fact]
        public void A_ten_thousand_node_network_answers_a_query()
        {
            var clock = Stopwatch.StartNew();
            using (var net = Build(10_000, degree: 4, ultrapeers: 0.3, seed: 2, trace: false))
            {
                var built = clock.Elapsed;
                clock.Restart();
                long before = net.Simulation.ExecutedWorkItems;
                var hits = net.Search(net.Ultrapeers[1], "Hey Jude", ttl: 4);
                Assert.NotEmpty(hits);
                var m = net.Measure();
                _output.WriteLine($"10,000 nodes: built in {built.TotalSeconds:0.0} s wall ({net.Elapsed} virtual), query in {clock.Elapsed.TotalSeconds:0.00} s wall, " +
                                  $"{net.Simulation.ExecutedWorkItems - before} simulator events, {hits.Count} hits, {m.QueryMessages} query messages");
            }
        }

        [Fact]
        public void Churn_takes_nodes_away_and_brings_them_back_and_searches_still_succeed()
        {
            using (var net = Build(200, degree: 4, sharing: 0.3, seed: 5))
            {
                net.SetChurn(leavesPerSecond: 1, downtime: TimeSpan.FromSeconds(5));
                net.RunFor(TimeSpan.FromSeconds(30));
                var m = net.Measure();
                Assert.InRange(m.NodesLeft, 10, 60);
                Assert.InRange(m.NodesJoined, m.NodesLeft - 10, m.NodesLeft);
                int origin = Enumerable.Range(0, 200).First(i => net.Nodes[i].State == NodeState.Running);
                Assert.NotEmpty(net.Search(origin, "Hey Jude"));
                net.SetChurn(0, TimeSpan.Zero);
                net.RunFor(TimeSpan.FromSeconds(10));
                Assert.Equal(0, net.NodesDown);
            }
        }

        [Fact]
        public void Nodes_configured_alike_share_one_options_object_and_index_by_their_names()
        {
            using (var net = Build(300, ultrapeers: 0.3, sharing: 0.2))
            {
                var distinct = net.Nodes.Select(n => n.Options).Distinct().ToList();
                Assert.InRange(distinct.Count, 2, 150);   // kinds of node (role, degree, leaves, sharing), not nodes
                foreach (var group in net.Nodes.GroupBy(n => n.Options))
                    Assert.All(group, n => Assert.True(n.Options.SameAs(group.First().Options)));
                // Each still has what its own place in the plan asks for.
                for (int i = 0; i < 300; i++)
                {
                    Assert.Equal(net.IsUltrapeer(i) ? PSPeer.Engine.Gnutella.GnutellaRole.Ultrapeer : PSPeer.Engine.Gnutella.GnutellaRole.Leaf, net.Nodes[i].Options.Role);
                    Assert.Equal(net.SharedTitles(i) != null, net.Nodes[i].Options.SharedPath != null);
                    Assert.Equal(i, net.IndexOf(net.Nodes[i]));
                }
                // A servent of the same name that is not this network's node has no index here.
                var sim = new PSPeer.Engine.Runtime.Simulated.Simulation(new PSPeer.Engine.Runtime.Simulated.SimulationOptions { Seed = 1 });
                var stranger = new PSPeer.Engine.Gnutella.GnutellaServent(sim.AddHost("x"), net.Nodes[7].Name, new PSPeer.Engine.Gnutella.GnutellaOptions());
                Assert.Equal(-1, net.IndexOf(stranger));
                Assert.False(net.Contains(stranger));
                Assert.Equal(-1, net.IndexOf(null));
            }
        }

        [Fact]
        public async Task A_live_network_on_loopback_finds_hey_jude()
        {
            using (var folder = new TempFolder())
            {
                var net = await GnutellaNetwork.CreateLiveAsync(new GnutellaNetworkOptions
                {
                    Count = 8, Degree = 3, Seed = 3, Simulated = false, SharingFraction = 0.5, LiveSharedRoot = folder.Path,
                });
                try
                {
                    Assert.Equal(0, net.FailedLinks);
                    // Each live node on its own loopback address, so per-address rules see eight hosts.
                    Assert.Equal(Enumerable.Range(0, 8).Select(i => $"127.0.0.{i + 2}"), net.Nodes.Select(n => HostPort.Parse(n.EndPoint).Host));
                    // ...and keep the limits strangers would meet: the default per address, not one raised for the network.
                    var defaults = ConnectionLimits.For(ServerKind.GnutellaServent);
                    Assert.All(net.Nodes, n => Assert.Equal(defaults.MaxConnectionsPerAddress, n.Limits.MaxConnectionsPerAddress));
                    Assert.All(net.Nodes, n => Assert.Equal(defaults.MaxConnectionsPerAddress / 2, n.LinksPerAddressLimit));
                    var hits = new List<SearchHit>();
                    await net.SearchAsync(net.Nodes[0], "Hey Jude", new SearchOptions { Ttl = 7, Timeout = TimeSpan.FromSeconds(3) }, h => { lock (hits) hits.Add(h); });
                    int sharers = Enumerable.Range(1, 7).Count(i => SharesHeyJude(net, i));
                    Assert.Equal(sharers, hits.Count);
                }
                finally
                {
                    await net.StopAsync();
                }
            }
        }

        [Fact]
        public void A_live_network_the_descriptor_budget_cannot_hold_says_what_it_needs()
        {
            // Past the old cap of 256 nodes: what decides is the descriptors, a listener per node and two per link.
            var options = new GnutellaNetworkOptions { Count = 1000, Degree = 4, Simulated = false };
            Assert.True(GnutellaNetwork.LiveFits(options, new DescriptorBudget(10_000), out string none));
            Assert.Null(none);
            Assert.False(GnutellaNetwork.LiveFits(options, new DescriptorBudget(1_000), out string problem));
            int needed = GnutellaNetwork.LiveDescriptorsNeeded(1000, 2000);
            Assert.Equal(5000, needed);
            Assert.Contains("needs 5,000 file descriptors", problem);
            Assert.Contains("ulimit -n", problem);
        }

        [Fact]
        public async Task A_live_network_past_the_old_cap_floods_every_node_and_loses_no_descriptor()
        {
            // 260 servents, each on its own 127.0.x.y (past 127.0.0.255): a TTL-7 flood reaches every one, and every query
            // copy sent is received (live links coalesce their writes; nothing may be lost or doubled on the way).
            const int Count = 260;
            using var folder = new TempFolder();
            var net = await GnutellaNetwork.CreateLiveAsync(new GnutellaNetworkOptions
            {
                Count = Count, Degree = 6, Seed = 5, Simulated = false, SharingFraction = 0, TraceQueries = false, LiveSharedRoot = folder.Path,
            });
            try
            {
                Assert.Equal(0, net.FailedLinks);
                Assert.Equal("127.0.1.7", HostPort.Parse(net.Nodes[Count - 1].EndPoint).Host);
                // The most central origin (4 hops from everyone at this degree) leaves 3 hops of slack for copies that
                // take a longer way first.
                int origin = Enumerable.Range(0, Count).OrderBy(i => net.Topology.Distances(i).Max()).First();
                Assert.True(net.Topology.Distances(origin).Max() <= 4);
                net.ResetMeasurement();
                await net.SearchAsync(net.Nodes[origin], "nothing shares this", new SearchOptions { Ttl = 7, Timeout = TimeSpan.FromSeconds(1) }, null);
                long Sent() => net.Nodes.Sum(n => n.Counters.SentByType.TryGetValue(GnutellaPayloadType.Query, out long v) ? v : 0);
                long Received() => net.Nodes.Sum(n => n.Counters.ReceivedByType.TryGetValue(GnutellaPayloadType.Query, out long v) ? v : 0);
                for (int i = 0; i < 200 && Received() < Sent(); i++) await Task.Delay(50);
                Assert.Equal(Sent(), Received());
                Assert.All(Enumerable.Range(0, Count).Where(i => i != origin), i => Assert.True(net.Nodes[i].Counters.QueriesReceived > 0, $"node {i} never got the query"));
                Assert.True(Sent() <= 2 * net.Links.Count, $"{Sent()} query copies over {net.Links.Count} links");
            }
            finally
            {
                await net.StopAsync();
            }
        }

        [Fact]
        public async Task A_live_network_refuses_more_nodes_than_loopback_should_carry()
        {
            var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => GnutellaNetwork.CreateLiveAsync(new GnutellaNetworkOptions { Count = 5000, Simulated = false }));
            Assert.Contains("simulated", e.Message);
        }
    }
}
