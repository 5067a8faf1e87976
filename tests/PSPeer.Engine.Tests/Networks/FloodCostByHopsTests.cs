using System;
using System.Linq;
using PSPeer.Engine.Networks;
using Xunit;
using Xunit.Abstractions;

namespace PSPeer.Engine.Tests.Networks
{
    /// <summary>
    /// What a flood costs hop by hop (NetworkMeasurement.QueryMessagesByHops, FloodTtl, MessageBound): the figures the
    /// flooding chart draws against the 2|E| bound.
    /// </summary>
    public class FloodCostByHopsTests
    {
        readonly ITestOutputHelper _output;
        public FloodCostByHopsTests(ITestOutputHelper output) => _output = output;

        static GnutellaNetwork Build() =>
            GnutellaNetwork.CreateSimulated(new GnutellaNetworkOptions
            {
                Count = 400, Topology = TopologyKind.Random, Degree = 4, UltrapeerFraction = 1.0, Seed = 3, SharingFraction = 0, TraceQueries = true,
            });

        [Fact]
        public void One_flood_counts_every_query_message_within_its_ttl_and_names_the_ttl_it_was_sent_with()
        {
            using (var net = Build())
            {
                for (int ttl = 1; ttl <= 4; ttl++)
                {
                    net.Search(9, "no such song " + ttl, ttl: ttl, timeout: TimeSpan.FromSeconds(2));
                    var m = net.Measure();
                    net.ResetMeasurement();
                    Assert.Equal(ttl, m.FloodTtl);
                    Assert.Equal(2L * m.Links, m.MessageBound);
                    // Every copy of a TTL-t flood arrived within t hops: the last element is the whole flood.
                    Assert.Equal(m.QueryMessages, m.QueryMessagesByHops[ttl - 1]);
                    Assert.Equal(m.QueryMessagesByHops[ttl - 1], m.QueryMessagesByHops[6]);
                    // Within fewer hops, fewer messages: hop 1 is the searcher's own sends, one per neighbour.
                    Assert.Equal(net.Topology.Degree(9), m.QueryMessagesByHops[0]);
                    Assert.True(m.QueryMessagesByHops[6] <= m.MessageBound, $"{m.QueryMessagesByHops[6]} messages over the 2|E| = {m.MessageBound} bound");
                }
            }
        }

        [Fact]
        public void A_wide_flood_gives_the_cost_of_each_smaller_ttl()
        {
            using (var net = Build())
            {
                var costByTtl = new double[5];
                for (int ttl = 1; ttl <= 4; ttl++)
                {
                    net.Search(9, "no such song " + ttl, ttl: ttl, timeout: TimeSpan.FromSeconds(2));
                    costByTtl[ttl] = net.Measure().QueryMessages;
                    net.ResetMeasurement();
                }
                net.Search(9, "no such song at all", ttl: 7, timeout: TimeSpan.FromSeconds(3));
                var wide = net.Measure();
                Assert.Equal(7, wide.FloodTtl);
                for (int ttl = 1; ttl <= 4; ttl++)
                    Assert.Equal(costByTtl[ttl], wide.QueryMessagesByHops[ttl - 1]);
                Assert.Equal(wide.QueryMessages, wide.QueryMessagesByHops[6]);
                _output.WriteLine($"messages within 1..7 hops: {string.Join(", ", wide.QueryMessagesByHops)}; 2|E| = {wide.MessageBound}");
            }
        }
    }
}
