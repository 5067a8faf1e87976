using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>
    /// Keys on a simulated ring: stored at the owner and R − 1 successors, read back from anywhere, kept across joins,
    /// leaves and failures (the replicas answer, then replicas are made again), expiring unless refreshed.
    /// </summary>
    public class ChordKeyTests
    {
        static ChordWorld Converged(int n, int seed, ChordOptions options = null)
        {
            var world = ChordWorld.Ring(n, seed, options);
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(5)), "the ring did not converge");
            Assert.True(world.RunUntil(world.SuccessorListsRight, TimeSpan.FromMinutes(5)));
            // Predecessor chains (which keys each node replicates) fill in within a few check_predecessor rounds.
            world.RunFor(TimeSpan.FromTicks(world.Options.CheckPredecessorInterval.Ticks * 4));
            return world;
        }

        static List<ChordNode> Holders(ChordWorld world, string key) =>
            world.Live.Where(n => n.StoredItems().Any(i => i.KeyId == ChordId.FromKey(key))).ToList();

        [Fact]
        public void A_value_is_stored_at_the_owner_and_its_two_successors_and_read_back_from_any_node_both_ways()
        {
            var world = Converged(12, 11);
            var result = world.Run(() => world.Nodes[3].StoreAsync("Hey Jude", "http://127.0.0.1:8080/get/0/Hey Jude.mp3"));
            Assert.True(result.Succeeded, result.Failure);
            var ring = world.Sorted();
            var owner = world.OwnerOf(ChordId.FromKey("Hey Jude"));
            int at = ring.IndexOf(owner);
            var expected = new[] { owner, ring[(at + 1) % ring.Count], ring[(at + 2) % ring.Count] }.Select(n => n.Name).OrderBy(x => x);
            Assert.Equal(expected, Holders(world, "Hey Jude").Select(n => n.Name).OrderBy(x => x));
            foreach (var node in world.Nodes)
            {
                Assert.Equal(new[] { "http://127.0.0.1:8080/get/0/Hey Jude.mp3" }, world.Run(() => node.GetValuesAsync("Hey Jude", ChordLookupMode.Iterative)));
                Assert.Equal(new[] { "http://127.0.0.1:8080/get/0/Hey Jude.mp3" }, world.Run(() => node.GetValuesAsync("Hey Jude", ChordLookupMode.Recursive)));
            }
        }

        [Fact]
        public void A_key_holds_a_set_of_values_oldest_first_and_storing_one_again_changes_nothing()
        {
            var world = Converged(6, 12);
            foreach (var v in new[] { "one", "two", "one", "three", "two" })
                Assert.True(world.Run(() => world.Nodes[1].StoreAsync("k", v)).Succeeded);
            Assert.Equal(new[] { "one", "two", "three" }, world.Run(() => world.Nodes[4].GetValuesAsync("k")));
            Assert.Equal(3, world.OwnerOf(ChordId.FromKey("k")).StoredValueCount);
        }

        [Fact]
        public void Many_values_come_back_over_several_datagrams()
        {
            var world = Converged(5, 13);
            var values = Enumerable.Range(0, 60).Select(i => $"value {i:00} " + new string('v', 40)).ToList();
            foreach (var v in values) Assert.True(world.Run(() => world.Nodes[0].StoreAsync("many", v)).Succeeded);
            Assert.Equal(values, world.Run(() => world.Nodes[2].GetValuesAsync("many")));
        }

        [Fact]
        public void When_the_owner_fails_the_replicas_answer_and_the_key_is_replicated_again()
        {
            var world = Converged(10, 14);
            for (int i = 0; i < 20; i++) Assert.True(world.Run(() => world.Nodes[0].StoreAsync("song " + i, "at peer " + i)).Succeeded);
            var owner = world.OwnerOf(ChordId.FromKey("song 7"));
            world.Hosts[world.Nodes.IndexOf(owner)].Crash();
            var asker = world.Live.First(n => n != owner);
            // At once, before the ring has noticed: the lookup finds the dead owner, the next holder answers.
            Assert.Equal(new[] { "at peer 7" }, world.Run(() => asker.GetValuesAsync("song 7")));
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(2)));
            world.RunFor(TimeSpan.FromSeconds(20));
            for (int i = 0; i < 20; i++)
            {
                Assert.Equal(new[] { "at peer " + i }, world.Run(() => asker.GetValuesAsync("song " + i)));
                Assert.True(Holders(world, "song " + i).Count >= 3, $"song {i} is held by {Holders(world, "song " + i).Count} live nodes");
            }
        }

        [Fact]
        public void A_joining_node_takes_the_keys_it_now_owns_from_its_successor()
        {
            var world = Converged(8, 15);
            for (int i = 0; i < 40; i++) Assert.True(world.Run(() => world.Nodes[0].StoreAsync("key " + i, "v" + i)).Succeeded);
            var joiner = world.AddNode("joiner");
            world.Run(() => joiner.JoinAsync(world.Nodes[2].Self.EndPoint));
            var mine = Enumerable.Range(0, 40).Where(i => world.OwnerOf(ChordId.FromKey("key " + i)) == joiner).ToList();
            var held = joiner.StoredItems().Select(x => x.KeyId).ToHashSet();
            foreach (int i in mine) Assert.Contains(ChordId.FromKey("key " + i), held);
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(1)));
            foreach (int i in Enumerable.Range(0, 40)) Assert.Equal(new[] { "v" + i }, world.Run(() => world.Nodes[5].GetValuesAsync("key " + i)));
        }

        [Fact]
        public void A_leaving_node_hands_its_keys_on_and_they_stay_findable()
        {
            var world = Converged(8, 16, new ChordOptions
            {
                StabilizeInterval = TimeSpan.FromSeconds(1), FixFingersInterval = TimeSpan.FromMilliseconds(250),
                CheckPredecessorInterval = TimeSpan.FromSeconds(1), RpcTimeout = TimeSpan.FromMilliseconds(300), Replicas = 1,
            });
            for (int i = 0; i < 30; i++) Assert.True(world.Run(() => world.Nodes[0].StoreAsync("key " + i, "v" + i)).Succeeded);
            var leaver = world.Nodes[4];
            var owned = Enumerable.Range(0, 30).Where(i => world.OwnerOf(ChordId.FromKey("key " + i)) == leaver).ToList();
            Assert.NotEmpty(owned);
            var successor = world.Sorted()[(world.Sorted().IndexOf(leaver) + 1) % 8];
            world.Run(() => leaver.LeaveAsync());
            Assert.Equal(NodeState.Stopped, leaver.State);
            // With one replica only (R = 1) the successor had none of them: it got them from the leaver.
            foreach (int i in owned) Assert.Contains(successor.StoredItems(), x => x.KeyId == ChordId.FromKey("key " + i));
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(1)));
            foreach (int i in owned) Assert.Equal(new[] { "v" + i }, world.Run(() => world.Nodes[1].GetValuesAsync("key " + i)));
        }

        [Fact]
        public void Values_expire_an_hour_after_their_last_store_unless_the_publisher_refreshes_them()
        {
            // Slow rounds: 95 virtual minutes of maintenance must stay cheap in wall time.
            var world = Converged(6, 17, new ChordOptions
            {
                StabilizeInterval = TimeSpan.FromSeconds(20), FixFingersInterval = TimeSpan.FromSeconds(20),
                CheckPredecessorInterval = TimeSpan.FromSeconds(20), RpcTimeout = TimeSpan.FromMilliseconds(300),
            });
            var publisher = world.Nodes[2];
            Assert.True(world.Run(() => publisher.StoreAsync("kept", "refreshed")).Succeeded);
            world.Run(() => world.Nodes[3].StoreAsync("dropped", "once")); // then its publisher stops refreshing it
            world.Nodes[3].StopAsync();
            world.RunFor(TimeSpan.FromMinutes(95));
            Assert.Equal(new[] { "refreshed" }, world.Run(() => world.Nodes[0].GetValuesAsync("kept")));
            Assert.Empty(world.Run(() => world.Nodes[0].GetValuesAsync("dropped")));
            Assert.DoesNotContain(world.Live.SelectMany(n => n.StoredItems()), x => x.KeyId == ChordId.FromKey("dropped"));
        }

        [Fact]
        public void A_lookup_that_meets_a_dead_node_goes_around_it_and_counts_the_retry()
        {
            var world = Converged(16, 18);
            Assert.True(world.RunUntil(world.FingersRight, TimeSpan.FromMinutes(2)));
            var asker = world.Nodes[0];
            // Kill the first node the asker would send every far key to: its farthest finger.
            var victim = world.Nodes.First(n => n.Self.Id == asker.Fingers[ChordId.Bits - 1].Id);
            world.Hosts[world.Nodes.IndexOf(victim)].Crash();
            var keys = Enumerable.Range(0, 200).Select(i => "far " + i)
                .Where(k => world.OwnerOf(ChordId.FromKey(k)) != victim && ChordId.FromKey(k).InOpen(victim.Self.Id, asker.Self.Id)).Take(5).ToList();
            Assert.NotEmpty(keys);
            int retries = 0;
            foreach (var key in keys)
            {
                var expected = world.Live.Where(n => n != victim).OrderBy(n => n.Self.Id).FirstOrDefault(n => n.Self.Id.CompareTo(ChordId.FromKey(key)) >= 0)
                               ?? world.Live.Where(n => n != victim).OrderBy(n => n.Self.Id).First();
                foreach (var mode in new[] { ChordLookupMode.Iterative, ChordLookupMode.Recursive })
                {
                    var result = world.Run(() => asker.LookupAsync(key, mode));
                    Assert.True(result.Succeeded, result.Failure);
                    Assert.Equal(expected.Self.Id, result.Owner.Id);
                    Assert.DoesNotContain(result.Path, c => c.Id == victim.Self.Id);
                    retries += result.Retries;
                }
            }
            Assert.True(retries > 0, "no lookup met the dead node");
            Assert.True(asker.Counters.Retries > 0);
        }
    }
}
