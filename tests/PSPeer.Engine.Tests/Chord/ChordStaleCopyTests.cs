using System;
using System.Linq;
using PSPeer.Engine.Chord;
using Xunit;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>
    /// After churn a node may hold copies it no longer replicates (a node joined behind it). At its maintenance round
    /// it makes sure the key's holders have them, then drops them: every key ends up at exactly R live nodes, not R plus
    /// leftovers for an hour, and nothing is lost.
    /// </summary>
    public class ChordStaleCopyTests
    {
        static int Copies(ChordWorld world, string key) => world.Live.Count(n => n.StoredItems().Any(i => i.KeyId == ChordId.FromKey(key)));

        [Fact]
        public void Copies_a_node_no_longer_replicates_are_handed_off_and_dropped_at_its_rounds()
        {
            var world = ChordWorld.Ring(10, 61);
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(3)));
            Assert.True(world.RunUntil(world.SuccessorListsRight, TimeSpan.FromMinutes(1)));
            world.RunFor(TimeSpan.FromSeconds(8)); // predecessor chains
            var keys = Enumerable.Range(0, 80).Select(i => "key " + i).ToList();
            foreach (var k in keys) Assert.True(world.Run(() => world.Nodes[0].StoreAsync(k, "v-" + k)).Succeeded);
            Assert.All(keys, k => Assert.Equal(3, Copies(world, k)));

            // Three nodes join: the ranges of the nodes after them shrink, and the joiners take their share.
            for (int j = 0; j < 3; j++)
            {
                var joiner = world.AddNode("joiner" + j);
                world.Run(() => joiner.JoinAsync(world.Nodes[1].Self.EndPoint));
            }
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(2)));
            world.RunFor(TimeSpan.FromSeconds(30)); // chains, re-replication to the joiners, then the hand-offs

            Assert.True(world.Nodes.Sum(n => n.Counters.StaleKeysDropped) > 0, "no node dropped a copy it no longer replicates");
            var ring = world.Sorted();
            foreach (var k in keys)
            {
                var owner = world.OwnerOf(ChordId.FromKey(k));
                int at = ring.IndexOf(owner);
                var expected = Enumerable.Range(0, 3).Select(i => ring[(at + i) % ring.Count].Name).OrderBy(x => x);
                var holders = world.Live.Where(n => n.StoredItems().Any(i => i.KeyId == ChordId.FromKey(k))).Select(n => n.Name).OrderBy(x => x);
                Assert.Equal(expected, holders);
                Assert.Equal(new[] { "v-" + k }, world.Run(() => world.Nodes[4].GetValuesAsync(k)));
            }
        }
    }
}
