using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>Flooding among ultrapeers on small graphs built by hand: reach, message bound, reverse path, hops.</summary>
    public class GnutellaFloodTests
    {
        /// <summary>Every node shares "song from nI.mp3", so a search for "song" finds every node it reaches.</summary>
        static GnutellaWorld Build(int count, IEnumerable<(int a, int b)> edges, int seed = 1)
        {
            var world = new GnutellaWorld(seed);
            for (int i = 0; i < count; i++) world.Add("n" + i, files: "song from n" + i + ".mp3");
            foreach (var (a, b) in edges) world.Link(world.Nodes[a], world.Nodes[b]);
            return world;
        }

        static IEnumerable<(int, int)> Line(int n) => Enumerable.Range(0, n - 1).Select(i => (i, i + 1));
        static IEnumerable<(int, int)> Ring(int n) => Enumerable.Range(0, n).Select(i => (i, (i + 1) % n));

        /// <summary>A connected 14-node mesh: a ring plus chords, so there are cycles of several lengths.</summary>
        static IEnumerable<(int, int)> Mesh() =>
            Ring(14).Concat(new[] { (0, 7), (2, 9), (3, 5), (4, 11), (6, 13), (8, 12), (1, 10) });

        sealed class Snapshot
        {
            public long[] First, QueriesSent, HitsReceived, Forwarded;
            public Snapshot(GnutellaWorld w)
            {
                First = w.Nodes.Select(GnutellaWorld.FirstCopies).ToArray();
                QueriesSent = w.Nodes.Select(n => GnutellaWorld.Sent(n, GnutellaPayloadType.Query)).ToArray();
                HitsReceived = w.Nodes.Select(n => GnutellaWorld.Received(n, GnutellaPayloadType.QueryHit)).ToArray();
                Forwarded = w.Nodes.Select(n => n.Counters.QueriesForwarded).ToArray();
            }
        }

        static int NodeOf(GnutellaWorld w, SearchHit hit) => w.Nodes.FindIndex(n => n.ServentId.ToString() == hit.ServentId);

        public static IEnumerable<object[]> Graphs()
        {
            yield return new object[] { "line", 6 };
            yield return new object[] { "ring", 9 };
            yield return new object[] { "mesh", 14 };
        }

        static IEnumerable<(int, int)> EdgesOf(string shape, int n) => shape == "line" ? Line(n) : shape == "ring" ? Ring(n) : Mesh();

        [Theory]
        [MemberData(nameof(Graphs))]
        public void Reach_grows_with_ttl_exactly_as_breadth_first_search_predicts(string shape, int count)
        {
            var world = Build(count, EdgesOf(shape, count));
            var dist = world.Distances(0);
            for (int ttl = 1; ttl <= 6; ttl++)
            {
                var before = new Snapshot(world);
                var hits = world.Search(world.Nodes[0], "song", ttl);
                var after = new Snapshot(world);

                var reached = Enumerable.Range(1, count - 1).Where(i => after.First[i] > before.First[i]).ToList();
                var predicted = Enumerable.Range(1, count - 1).Where(i => dist[i] <= ttl).ToList();
                Assert.Equal(predicted, reached);
                // Every reached node answered, once, and its hit says how far away it is.
                Assert.Equal(predicted, hits.Select(h => NodeOf(world, h)).OrderBy(i => i).ToList());
                foreach (var h in hits) Assert.Equal(dist[NodeOf(world, h)], h.Hops);
            }
        }

        [Theory]
        [MemberData(nameof(Graphs))]
        public void A_full_flood_sends_at_most_two_queries_per_edge(string shape, int count)
        {
            var world = Build(count, EdgesOf(shape, count));
            var before = new Snapshot(world);
            var hits = world.Search(world.Nodes[0], "song", 7);
            var after = new Snapshot(world);
            long sent = Enumerable.Range(0, count).Sum(i => after.QueriesSent[i] - before.QueriesSent[i]);
            Assert.Equal(count - 1, hits.Count);
            Assert.InRange(sent, world.Edges.Count, 2 * world.Edges.Count);
        }

        [Theory]
        [MemberData(nameof(Graphs))]
        public void Hits_travel_only_back_along_the_reverse_path(string shape, int count)
        {
            var world = Build(count, EdgesOf(shape, count));
            var before = new Snapshot(world);
            var hits = world.Search(world.Nodes[0], "song", 7);
            var after = new Snapshot(world);
            Assert.Equal(count - 1, hits.Count);
            for (int i = 1; i < count; i++)
            {
                // A node that received any QueryHit must have forwarded the query: hits are never flooded.
                if (after.HitsReceived[i] > before.HitsReceived[i])
                    Assert.True(after.Forwarded[i] > before.Forwarded[i], $"n{i} received a QueryHit but never forwarded the query");
            }
            // The searcher receives exactly one hit per answering node: no duplicates reach it.
            Assert.Equal(count - 1, after.HitsReceived[0] - before.HitsReceived[0]);
            Assert.All(world.Nodes, n => Assert.Equal(0, n.Counters.HitsDroppedUnknownQuery));
            // Every hop of every hit except the last was a routed-back hop.
            long routed = world.Nodes.Sum(n => n.Counters.HitsRoutedBack);
            Assert.Equal(hits.Sum(h => h.Hops - 1), routed);
        }

        [Fact]
        public void Duplicates_are_dropped_and_counted_on_a_cycle()
        {
            var world = Build(3, Ring(3));
            var hits = world.Search(world.Nodes[0], "song", 3);
            Assert.Equal(2, hits.Count);
            // n1 and n2 each pass the query on to the other (never back to n0, where it came from): one duplicate each.
            Assert.Equal(new long[] { 0, 1, 1 }, world.Nodes.Select(n => n.Counters.QueriesDroppedDuplicate).ToArray());
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.QueryDroppedDuplicate);
            Assert.All(world.Nodes.Skip(1), n => Assert.Equal(1, n.Counters.HitsSent));
        }

        [Fact]
        public void Expanding_ring_finds_near_hits_first_and_stops_at_max_results()
        {
            var world = Build(6, Line(6));
            var hits = world.Search(world.Nodes[0], "song", null, max: 2, timeoutSeconds: 20);
            Assert.Equal(2, hits.Count);
            Assert.Equal(new[] { 1, 2 }, hits.Select(h => h.Hops).OrderBy(h => h).ToArray());
            // The ring stopped before flooding the far end of the line.
            Assert.Equal(0, GnutellaWorld.FirstCopies(world.Nodes[5]));
        }

        [Fact]
        public void Expanding_ring_without_enough_results_widens_to_max_ttl()
        {
            var world = Build(6, Line(6));
            var hits = world.Search(world.Nodes[0], "song", null, max: 100, timeoutSeconds: 30);
            Assert.Equal(5, hits.Count);   // each node once, though rings 1..5 each found the near ones again
            Assert.Equal(new[] { 1, 2, 3, 4, 5 }, hits.Select(h => h.Hops).OrderBy(h => h).ToArray());
        }

        [Fact]
        public void Query_events_carry_guid_ttl_and_hops()
        {
            var world = Build(3, Line(3));
            world.Search(world.Nodes[0], "song", 2);
            var received = world.Events.Where(e => e.Type == PeerEventTypes.QueryReceived && e.Node == "n2").ToList();
            Assert.Single(received);
            Assert.Equal(2, received[0].Data["hops"]);
            Assert.Equal(0, received[0].Data["ttl"]);
            Assert.Equal(32, ((string)received[0].Data["guid"]).Length);
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.QueryDroppedTtl && e.Node == "n2");
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.HitRoutedBack && e.Node == "n1");
        }
    }
}
