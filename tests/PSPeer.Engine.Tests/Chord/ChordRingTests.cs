using System;
using System.Linq;
using PSPeer.Engine.Chord;
using Xunit;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>Rings built by real joins over simulated datagrams: they converge, and both lookup styles find the owner.</summary>
    public class ChordRingTests
    {
        [Theory]
        [InlineData(8, 1)]
        [InlineData(32, 2)]
        public void A_ring_built_by_joins_converges_with_every_successor_and_predecessor_right(int n, int seed)
        {
            var world = ChordWorld.Ring(n, seed, randomBootstrap: true);
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(5)), "the ring did not converge:\n" + string.Join("\n", world.Trace.TakeLast(40)));
            Assert.True(world.RunUntil(world.FingersRight, TimeSpan.FromMinutes(5)), "fingers did not all become right");
            // Each stabilize round extends a successor list by one from the successor's: full within r rounds.
            int full = Math.Min(n - 1, world.Options.SuccessorListLength);
            Assert.True(world.RunUntil(world.SuccessorListsRight, TimeSpan.FromSeconds(2 * full + 5)), "successor lists did not fill in");
        }

        [Fact]
        public void Iterative_and_recursive_lookups_agree_on_the_owner_and_count_hops_as_path_length_minus_one()
        {
            var world = ChordWorld.Ring(24, 3);
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(5)));
            world.RunUntil(world.FingersRight, TimeSpan.FromMinutes(5));
            var random = new Random(3);
            for (int i = 0; i < 40; i++)
            {
                var from = world.Nodes[random.Next(world.Nodes.Count)];
                string key = "key-" + i;
                var iterative = world.Run(() => from.LookupAsync(key, ChordLookupMode.Iterative));
                var recursive = world.Run(() => from.LookupAsync(key, ChordLookupMode.Recursive));
                var owner = world.OwnerOf(ChordId.FromKey(key));
                Assert.True(iterative.Succeeded, iterative.Failure);
                Assert.True(recursive.Succeeded, recursive.Failure);
                Assert.Equal(owner.Self.Id, iterative.Owner.Id);
                Assert.Equal(owner.Self.Id, recursive.Owner.Id);
                Assert.Equal(iterative.Path.Count - 1, iterative.Hops);
                Assert.Equal(recursive.Path.Count - 1, recursive.Hops);
                Assert.Equal(from.Self.Id, iterative.Path[0].Id);
                Assert.Equal(iterative.Path.Select(c => c.Id), recursive.Path.Select(c => c.Id));
                Assert.Equal(0, iterative.Retries);
            }
        }
    }
}
