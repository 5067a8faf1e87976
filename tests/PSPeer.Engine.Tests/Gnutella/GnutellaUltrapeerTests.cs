using System;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>Two tiers: ultrapeers route, leaves get only what their QRP tables may match, and find new ultrapeers.</summary>
    public class GnutellaUltrapeerTests
    {
        sealed class TwoTier
        {
            public GnutellaWorld World = new GnutellaWorld();
            public GnutellaServent U1, U2, Beatles, Stones, Beatles2;

            public TwoTier()
            {
                U1 = World.Add("u1");
                U2 = World.Add("u2");
                Beatles = World.Add("l-beatles", GnutellaRole.Leaf, null, "beatles hey jude.mp3");
                Stones = World.Add("l-stones", GnutellaRole.Leaf, null, "stones paint it black.mp3");
                Beatles2 = World.Add("l-beatles2", GnutellaRole.Leaf, null, "beatles let it be.mp3");
                World.Link(U1, U2);
                World.Link(Beatles, U2);
                World.Link(Stones, U2);
                World.Link(Beatles2, U1);
                World.Settle(2);   // the leaves' QRP tables arrive
            }
        }

        [Fact]
        public void Leaves_receive_only_queries_their_tables_match()
        {
            var t = new TwoTier();
            var hits = t.World.Search(t.U1, "beatles", 2);
            Assert.Equal(new[] { "beatles hey jude.mp3", "beatles let it be.mp3" }, hits.Select(h => h.Name).OrderBy(n => n).ToArray());
            Assert.Equal(2, hits.Single(h => h.Name == "beatles hey jude.mp3").Hops);       // u1 -> u2 -> leaf
            Assert.Equal(1, hits.Single(h => h.Name == "beatles let it be.mp3").Hops);      // u1 -> its own leaf
            Assert.Equal(0, t.Stones.Counters.QueriesReceived);
            Assert.Equal(1, t.U2.Counters.QueriesFilteredByQrp);
            Assert.Equal(1, t.U2.Counters.QueriesDeliveredToLeaves);
        }

        [Fact]
        public void Leaves_never_route_and_search_through_their_ultrapeer()
        {
            var t = new TwoTier();
            var hits = t.World.Search(t.Stones, "beatles", 3);
            Assert.Equal(2, hits.Count);
            foreach (var leaf in new[] { t.Beatles, t.Stones, t.Beatles2 })
            {
                Assert.Equal(0, leaf.Counters.QueriesForwarded);
                Assert.Equal(0, leaf.Counters.HitsRoutedBack);
            }
            Assert.Equal(1, GnutellaWorld.Sent(t.Stones, GnutellaPayloadType.Query));   // its own query, to its ultrapeer
        }

        [Fact]
        public void A_search_by_content_hash_reaches_the_leaf_that_has_it()
        {
            var t = new TwoTier();
            var hash = t.Beatles.Shared.Files[0].ContentHash;
            var hits = t.World.Search(t.U1, hash.ToString(), 3);
            Assert.Single(hits);
            Assert.Equal(hash, hits[0].ContentHash);
            Assert.Equal(0, t.Stones.Counters.QueriesReceived);
        }

        [Fact]
        public void Publishing_sends_the_new_table_to_the_ultrapeers()
        {
            var t = new TwoTier();
            Assert.Empty(t.World.Search(t.U1, "yesterday", 3));
            t.World.Hosts[t.Stones].MemoryStorage.WriteFile("/extra/beatles yesterday.mp3", GnutellaWorld.Content("y", 3000));
            t.World.Run(() => t.Stones.PublishAsync(new[] { "/extra/beatles yesterday.mp3" }));
            t.World.Settle();
            var hits = t.World.Search(t.U1, "yesterday", 3);
            Assert.Equal("beatles yesterday.mp3", Assert.Single(hits).Name);
        }

        [Fact]
        public void The_hop_to_a_leaf_counts_against_the_ttl_so_every_hit_finds_its_way_back()
        {
            // searcher - u0 - u1 - ... - u6, with leaf "near" on u5 (7 hops from the searcher) and "far" on u6 (8 hops).
            var world = new GnutellaWorld();
            var searcher = world.Add("searcher", GnutellaRole.Leaf);
            var ups = Enumerable.Range(0, 7).Select(i => world.Add("u" + i)).ToList();
            var near = world.Add("near", GnutellaRole.Leaf, null, "album near.mp3");
            var far = world.Add("far", GnutellaRole.Leaf, null, "album far.mp3");
            world.Link(searcher, ups[0]);
            for (int i = 0; i + 1 < ups.Count; i++) world.Link(ups[i], ups[i + 1]);
            world.Link(near, ups[5]);
            world.Link(far, ups[6]);
            world.Settle(2);

            var hits = world.Search(searcher, "album", 7);
            Assert.Equal("album near.mp3", Assert.Single(hits).Name);
            Assert.Equal(7, hits[0].Hops);
            Assert.Equal(0, far.Counters.QueriesReceived);
            Assert.All(world.Nodes, n => Assert.Equal(0, n.Counters.HitsDroppedUnknownQuery));
        }

        [Fact]
        public void A_leaf_cut_off_from_its_ultrapeer_without_a_reset_notices_and_moves()
        {
            var world = new GnutellaWorld();
            var u1 = world.Add("u1");
            var u2 = world.Add("u2");
            world.Link(u1, u2);
            var leaf = world.Add("leaf", GnutellaRole.Leaf, o =>
            {
                o.AutoConnect = true;
                o.LeafUltrapeerLinks = 1;
                o.Bootstrap.Add(new HostPort(world.Hosts[u1].HostAddress, GnutellaWorld.Port));
            }, "rare bird.ogg");
            world.Settle(10);   // the link goes quiet: nothing in flight that a partition could time out
            Assert.Equal(new[] { world.Address(u1).ToString() }, leaf.Neighbors.ToArray());

            // A partition drops packets silently: no reset, no Bye. An idle link would never notice; the keepalive
            // Ping is what runs into the partition (and a link silent too long is closed in any case).
            using (world.Sim.Partition(new[] { world.Hosts[leaf] }, new[] { world.Hosts[u1] }))
            {
                string gone = world.Address(u1).ToString();
                Assert.True(world.Sim.RunUntil(() => leaf.UltrapeerLinkCount == 1 && leaf.Neighbors.Single() != gone, TimeSpan.FromSeconds(120)),
                    "the leaf never noticed its silent ultrapeer");
            }
        }

        [Fact]
        public void A_leaf_does_not_accept_a_leaf()
        {
            var t = new TwoTier();
            var ex = Assert.Throws<PeerException>(() => t.World.Run(() => t.Beatles.ConnectAsync(t.World.Address(t.Stones))));
            Assert.Equal(PeerErrorIds.HandshakeRefused, ex.ErrorId);
        }

        [Fact]
        public void A_leaf_whose_ultrapeer_vanishes_finds_another()
        {
            var world = new GnutellaWorld();
            var u1 = world.Add("u1");
            var u2 = world.Add("u2");
            var u3 = world.Add("u3");
            world.Link(u1, u2);
            world.Link(u2, u3);
            var leaf = world.Add("leaf", GnutellaRole.Leaf, o =>
            {
                o.AutoConnect = true;
                o.LeafUltrapeerLinks = 1;
                o.Bootstrap.Add(new HostPort(world.Hosts[u1].HostAddress, GnutellaWorld.Port));
            }, "rare bird.ogg");
            world.Settle(5);
            Assert.Equal(new[] { world.Address(u1).ToString() }, leaf.Neighbors.ToArray());

            world.Run(() => u1.StopAsync());
            string gone = world.Address(u1).ToString();
            Assert.True(world.Sim.RunUntil(() => leaf.UltrapeerLinkCount == 1 && leaf.Neighbors.Single() != gone, TimeSpan.FromSeconds(30)),
                "the leaf found no other ultrapeer");
            world.Settle(2);
            var hits = world.Search(u3, "rare bird", 3);
            Assert.Equal("rare bird.ogg", Assert.Single(hits).Name);
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.ConnectionClosed && e.Node == "leaf");
        }
    }
}
