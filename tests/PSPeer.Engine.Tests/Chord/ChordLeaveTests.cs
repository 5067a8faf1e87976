using System;
using System.Linq;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>
    /// Voluntary departure on the wire (notify with "leaving"): on rings where no maintenance round ever runs, so only
    /// the leave itself can have told anyone. The successor takes the keys (with their ages) and points back past the
    /// leaver; the predecessor points forward past it.
    /// </summary>
    public class ChordLeaveTests
    {
        [Fact]
        public void After_a_graceful_leave_both_neighbours_point_past_the_departed_node_before_any_stabilize_round()
        {
            var world = ChordWorld.Precomputed(8, 41, ChordWorld.NoMaintenance());
            var ring = world.Sorted();
            var leaver = ring[3];
            var predecessor = ring[2];
            var successor = ring[4];
            Assert.Equal(leaver.Self.Id, predecessor.Successors[0].Id);
            Assert.Equal(leaver.Self.Id, successor.Predecessor.Id);

            world.Run(() => leaver.LeaveAsync());

            Assert.Equal(NodeState.Stopped, leaver.State);
            Assert.Equal(predecessor.Self.Id, successor.Predecessor.Id);
            Assert.Equal(successor.Self.Id, predecessor.Successors[0].Id);
            Assert.DoesNotContain(predecessor.Successors, c => c.Id == leaver.Self.Id);
            // The predecessor's list stays full: the leaver's list filled the gap.
            Assert.Equal(Enumerable.Range(4, 7).Select(i => ring[i % 8].Self.Id).Where(id => id != predecessor.Self.Id),
                predecessor.Successors.Select(c => c.Id));
            Assert.DoesNotContain(predecessor.Fingers, c => c != null && c.Id == leaver.Self.Id);
            // Nobody else heard anything: the others still name the leaver until their own rounds would run.
            Assert.Equal(leaver.Self.Id, ring[1].Successors[1].Id);
        }

        [Fact]
        public void The_successor_takes_the_leavers_keys_with_the_lifetime_they_had_left()
        {
            var world = ChordWorld.Precomputed(8, 42, ChordWorld.NoMaintenance(replicas: 1));
            var ring = world.Sorted();
            var leaver = ring[5];
            var successor = ring[6];
            var keys = Enumerable.Range(0, 60).Select(i => "key " + i).ToList();
            var publisher = ring[0];
            foreach (var k in keys) Assert.True(world.Run(() => publisher.StoreAsync(k, "v-" + k)).Succeeded);
            var owned = keys.Where(k => world.OwnerOf(ChordId.FromKey(k)) == leaver).ToList();
            Assert.NotEmpty(owned);
            Assert.Empty(successor.StoredItems().Where(i => owned.Any(k => ChordId.FromKey(k) == i.KeyId))); // R = 1: not there yet

            world.RunFor(TimeSpan.FromMinutes(40));
            world.Run(() => leaver.LeaveAsync());

            Assert.Equal(ring[4].Self.Id, successor.Predecessor.Id);
            foreach (var k in owned) Assert.Equal(new[] { "v-" + k }, world.Run(() => ring[2].GetValuesAsync(k)));
            // Stored 40 minutes before the move: the copies end an hour after the store, not an hour after the move.
            world.RunFor(TimeSpan.FromMinutes(18));
            Assert.Equal(owned.Count, successor.StoredItems().Count(i => owned.Any(k => ChordId.FromKey(k) == i.KeyId)));
            world.RunFor(TimeSpan.FromMinutes(4));
            Assert.DoesNotContain(successor.StoredItems(), i => owned.Any(k => ChordId.FromKey(k) == i.KeyId));
        }

        [Fact]
        public void A_successor_that_does_not_take_the_keys_gets_them_pushed_to_the_next_holders_with_their_age()
        {
            var world = ChordWorld.Precomputed(6, 44, ChordWorld.NoMaintenance(replicas: 2));
            var ring = world.Sorted();
            var leaver = ring[2];
            var keys = Enumerable.Range(0, 60).Select(i => "key " + i).ToList();
            foreach (var k in keys) Assert.True(world.Run(() => ring[0].StoreAsync(k, "v-" + k)).Succeeded);
            var owned = keys.Where(k => world.OwnerOf(ChordId.FromKey(k)) == leaver).ToList();
            Assert.NotEmpty(owned);
            // Its successor is now another client that knows no "leaving": it answers the notify with its id alone.
            var foreign = new RawKrpcClient(world, "foreign", answerQueries: true);
            var next = ring[4];
            leaver.SeedRoutingState(ring[1].Self, new[] { foreign.Contact, next.Self }, null);
            world.RunFor(TimeSpan.FromMinutes(40));

            world.Run(() => leaver.LeaveAsync());

            var notify = Assert.Single(foreign.Queries, q => q.Method == KrpcMethod.Notify);
            Assert.Equal(new[] { ring[1].Self.Id }, notify.Leaving.Select(c => c.Id));
            // No "taken" came back: the leaver stored its keys at the holders after it with store_value, ages kept.
            foreach (var k in owned) Assert.Contains(next.StoredItems(), i => i.KeyId == ChordId.FromKey(k));
            world.RunFor(TimeSpan.FromMinutes(18));
            Assert.Contains(next.StoredItems(), i => i.KeyId == ChordId.FromKey(owned[0]));
            world.RunFor(TimeSpan.FromMinutes(4));
            Assert.DoesNotContain(next.StoredItems(), i => owned.Any(k => ChordId.FromKey(k) == i.KeyId));
        }

        [Fact]
        public void The_last_but_one_node_leaving_leaves_a_ring_of_one()
        {
            var world = ChordWorld.Precomputed(2, 43, ChordWorld.NoMaintenance());
            var (stay, leave) = (world.Nodes[0], world.Nodes[1]);
            Assert.True(world.Run(() => stay.StoreAsync("k", "v")).Succeeded);
            world.Run(() => leave.LeaveAsync());
            Assert.Null(stay.Predecessor);
            Assert.Equal(stay.Self.Id, stay.Successors.Single().Id);
            Assert.Equal(new[] { "v" }, world.Run(() => stay.GetValuesAsync("k")));
        }
    }
}
