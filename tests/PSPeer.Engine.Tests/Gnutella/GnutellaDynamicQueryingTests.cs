using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// Dynamic querying and ultrapeer-to-ultrapeer QRP (issue 10, item 9), counted in messages on hand-built graphs.
    /// </summary>
    public class GnutellaDynamicQueryingTests
    {
        static void Modern(GnutellaOptions o)
        {
            o.DynamicQuerying = true;
            o.UltrapeerQueryRouting = true;
        }

        /// <summary>
        /// A hub with eight ultrapeer neighbours n1..n8 (each sharing "popular song i"), a searching leaf on the hub, and
        /// "rare tune" two hops out, on "far" behind n8.
        /// </summary>
        sealed class Star
        {
            public readonly GnutellaWorld World = new GnutellaWorld();
            public readonly GnutellaServent Hub, Searcher, Far;
            public readonly List<GnutellaServent> Neighbours = new List<GnutellaServent>();

            public Star(bool dynamic, int wanted = 3)
            {
                // Truthful X-Degree (the horizon estimates use it): the hub keeps 8 ultrapeer links, n1..n7 one, n8 two.
                Hub = World.Add("hub", configure: o => { o.DynamicQuerying = dynamic; o.DynamicQueryResults = wanted; o.UltrapeerLinkTarget = 8; });
                Searcher = World.Add("searcher", GnutellaRole.Leaf);
                World.Link(Searcher, Hub);
                for (int i = 1; i <= 8; i++)
                {
                    int degree = i == 8 ? 2 : 1;
                    var n = World.Add("n" + i, configure: o => o.UltrapeerLinkTarget = degree, files: $"popular song {i}.mp3");
                    World.Link(Hub, n);
                    Neighbours.Add(n);
                }
                Far = World.Add("far", configure: o => o.UltrapeerLinkTarget = 1, files: "rare tune.mp3");
                World.Link(Neighbours[7], Far);
                World.Settle(2);
            }

            public long HubQueriesToUltrapeers => GnutellaWorld.Sent(Hub, GnutellaPayloadType.Query);
            public long QueriesInNetwork => World.Nodes.Sum(n => GnutellaWorld.Sent(n, GnutellaPayloadType.Query));
        }

        [Fact]
        public void A_popular_query_stops_after_the_probe_once_enough_results_arrive()
        {
            var flood = new Star(dynamic: false);
            var floodHits = flood.World.Search(flood.Searcher, "popular song", 3, timeoutSeconds: 5);
            var dq = new Star(dynamic: true);
            var dqHits = dq.World.Search(dq.Searcher, "popular song", 3, timeoutSeconds: 5);

            Assert.Equal(8, floodHits.Count);
            Assert.Equal(8, flood.HubQueriesToUltrapeers);                  // the flood: every ultrapeer link
            Assert.True(dqHits.Count >= 3, $"{dqHits.Count} hits");
            Assert.Equal(3, dq.HubQueriesToUltrapeers);                      // the probe found the 3 wanted: no widening
            Assert.True(dq.QueriesInNetwork < flood.QueriesInNetwork, $"{dq.QueriesInNetwork} vs {flood.QueriesInNetwork}");
            Assert.All(dq.Neighbours.Skip(3), n => Assert.Equal(0, n.Counters.QueriesReceived));
            Assert.Equal(1, dq.Hub.Counters.DynamicQueries);
        }

        [Fact]
        public void A_rare_query_widens_link_by_link_until_it_is_found()
        {
            var dq = new Star(dynamic: true);
            var hits = dq.World.Search(dq.Searcher, "rare tune", 3, timeoutSeconds: 10);

            Assert.Equal("rare tune.mp3", Assert.Single(hits).Name);
            Assert.Equal(3, hits[0].Hops);                                   // hub -> n8 -> far, seen from the leaf
            Assert.Equal(8, dq.HubQueriesToUltrapeers);                      // nothing came back: every link had it, one at a time
            var copies = dq.World.Events.Where(e => e.Type == PeerEventTypes.QueryForwarded && e.Node == "hub" && e.Data.ContainsKey("Dynamic"))
                .Select(e => (e.Time, Ttl: (int)e.Data["ttl"])).ToList();
            Assert.Equal(8, copies.Count);
            Assert.All(copies.Take(3), c => Assert.Equal(2, c.Ttl));         // the probe: low TTL
            Assert.All(copies.Skip(3), c => Assert.True(c.Ttl > 2));         // no results yet: wider
            Assert.Equal(6, copies.Skip(3).Select(c => c.Time).Distinct().Count() + 1);   // one link per step (the 4th to 8th)
        }

        [Fact]
        public void A_live_ultrapeer_without_ttl_searches_dynamically_and_with_ttl_floods()
        {
            var world = new GnutellaWorld();
            var hub = world.Add("hub", configure: o => { o.DynamicQuerying = true; });
            for (int i = 1; i <= 8; i++) world.Link(hub, world.Add("n" + i, files: $"popular song {i}.mp3"));
            world.Settle(2);

            var dynamicHits = world.Search(hub, "popular song", null, max: 2, timeoutSeconds: 5);
            long afterDynamic = GnutellaWorld.Sent(hub, GnutellaPayloadType.Query);
            var floodHits = world.Search(hub, "popular song", 1, max: 100, timeoutSeconds: 2);

            Assert.True(dynamicHits.Count >= 2);
            Assert.Equal(3, afterDynamic);                                                   // probe of 3 was enough for 2
            Assert.Equal(8, GnutellaWorld.Sent(hub, GnutellaPayloadType.Query) - afterDynamic);   // -Ttl 1: one plain flood
            Assert.Equal(8, floodHits.Count);
        }

        /// <summary>
        /// a - b, and b's other ultrapeers c1..c4. c1 shares "needle"; c3 has a leaf that shares "needle" (its table is
        /// merged into c3's); c2 and c4 share only hay.
        /// </summary>
        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void The_last_hop_skips_ultrapeers_whose_tables_cannot_match(bool ultrapeerQrp)
        {
            var world = new GnutellaWorld();
            Action<GnutellaOptions> qrp = o => o.UltrapeerQueryRouting = ultrapeerQrp;
            var a = world.Add("a", configure: qrp);
            var b = world.Add("b", configure: qrp);
            var c1 = world.Add("c1", configure: qrp, files: "needle one.mp3");
            var c2 = world.Add("c2", configure: qrp, files: "hay two.mp3");
            var c3 = world.Add("c3", configure: qrp, files: "hay three.mp3");
            var c4 = world.Add("c4", configure: qrp, files: "hay four.mp3");
            var leaf = world.Add("leaf3", GnutellaRole.Leaf, files: "needle leaf.mp3");
            world.Link(a, b);
            foreach (var c in new[] { c1, c2, c3, c4 }) world.Link(b, c);
            world.Link(leaf, c3);
            world.Settle(3);   // the leaf's table reaches c3, c3's merged table reaches b

            var hits = world.Search(a, "needle", 2, timeoutSeconds: 2);   // arrives at b with TTL 2: its last hop is to c1..c4

            Assert.Equal("needle one.mp3", Assert.Single(hits).Name);
            Assert.Equal(1, c1.Counters.QueriesReceived);
            Assert.Equal(1, c3.Counters.QueriesReceived);                   // its leaf's keywords are in its table
            Assert.Equal(ultrapeerQrp ? 0 : 1, c2.Counters.QueriesReceived);
            Assert.Equal(ultrapeerQrp ? 0 : 1, c4.Counters.QueriesReceived);
            Assert.Equal(ultrapeerQrp ? 2 : 0, b.Counters.QueriesSkippedLastHop);
            // Not the last hop: TTL 3 from a reaches every ultrapeer whatever its table.
            world.Search(a, "needle", 3, timeoutSeconds: 2);
            Assert.Equal(ultrapeerQrp ? 1 : 2, c2.Counters.QueriesReceived);
        }

        [Fact]
        public void A_copy_with_a_higher_ttl_after_a_probe_is_passed_on_not_dropped()
        {
            // hub - a - b - hub (a triangle), "deep song" on b's leaf. The probe goes to a with TTL 2, so b first gets
            // the query from a with its TTL spent (not for its leaves); then the hub sends it to b directly, wider.
            var world = new GnutellaWorld();
            Action<GnutellaOptions> dynamic = o => o.DynamicQuerying = true;
            var hub = world.Add("hub", configure: dynamic);
            var searcher = world.Add("searcher", GnutellaRole.Leaf);
            var a = world.Add("a", configure: dynamic);
            var b = world.Add("b", configure: dynamic);
            var deep = world.Add("deep", GnutellaRole.Leaf, files: "deep song.mp3");
            world.Link(searcher, hub);
            world.Link(hub, a);
            world.Link(hub, b);
            world.Link(a, b);
            world.Link(deep, b);
            world.Settle(2);

            var hits = world.Search(searcher, "deep song", 3, timeoutSeconds: 5);

            Assert.Equal("deep song.mp3", Assert.Single(hits).Name);
            Assert.True(b.Counters.QueriesWidened >= 1);
            Assert.Equal(1, deep.Counters.QueriesReceived);
        }

        [Fact]
        public void Leaves_send_one_query_when_their_ultrapeers_query_dynamically()
        {
            var world = new GnutellaWorld();
            var up = world.Add("up", configure: Modern);
            var leaf = world.Add("leaf", GnutellaRole.Leaf);
            world.Link(leaf, up);
            world.Link(up, world.Add("n1", files: "some song.mp3"));
            world.Settle();
            var hits = world.Search(leaf, "song", null, timeoutSeconds: 3);
            Assert.Single(hits);
            Assert.Equal(1, GnutellaWorld.Sent(leaf, GnutellaPayloadType.Query));   // an expanding ring would have sent 7
        }

        [Fact]
        public void An_ultrapeer_with_only_leaves_waits_for_their_hits_before_ending_its_dynamic_search()
        {
            // Found across a real NAT: with no ultrapeer link to probe, the search ended before the leaf's hit came back.
            var world = new GnutellaWorld();
            var up = world.Add("up", configure: Modern);
            world.Link(world.Add("leaf", GnutellaRole.Leaf, files: "home movie.avi"), up);
            world.Settle(2);
            var hits = world.Search(up, "home movie", null, timeoutSeconds: 5);
            Assert.Single(hits);
        }

        [Theory]
        [InlineData(32, 1, 1.0)]
        [InlineData(32, 2, (1 + 31) * 0.8)]
        [InlineData(4, 3, (1 + 3 + 9) * 0.64)]
        public void The_horizon_counts_ultrapeers_within_ttl_hops_discounted_per_hop(int degree, int ttl, double expected)
        {
            Assert.Equal(expected, GnutellaServent.Horizon(degree, ttl), 6);
        }
    }
}
