// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// Simulation.SpawnEach: the items start on the loop in order, one loop item each as Spawn would make them, and the
    /// batch completes when all have; failures are counted when tolerated and thrown otherwise.
    /// </summary>
    public class SimulationSpawnEachTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

        [Fact]
        public void Starts_each_item_in_order_with_one_loop_item_each_and_completes_when_all_have()
        {
            var sim = new Simulation();
            var started = new List<int>();
            var batch = sim.SpawnEach(async i =>
            {
                started.Add(i);
                await sim.Clock.Delay(TimeSpan.FromMilliseconds(10 * (5 - i)));
            }, 5);
            Assert.Empty(started);   // nothing runs until the simulation does
            Assert.False(batch.IsCompleted);
            long before = sim.ExecutedWorkItems;
            sim.RunFor(TimeSpan.Zero);
            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, started);
            Assert.Equal(5, sim.ExecutedWorkItems - before);   // as five Spawns: one item each
            Assert.False(batch.IsCompleted);
            Assert.True(sim.RunUntil(() => batch.IsCompleted, Limit));
            Assert.Equal(TimeSpan.FromMilliseconds(50), sim.Elapsed);
            Assert.Equal(0, batch.CountFailures(null));
        }

        [Fact]
        public void Counts_tolerated_failures_and_throws_the_first_other_one()
        {
            var sim = new Simulation();
            var batch = sim.SpawnEach(i =>
            {
                if (i == 1) throw new IOException("refused");                          // a synchronous throw fails that item only
                if (i == 2) return Task.FromException(new InvalidOperationException("bug"));
                if (i == 3) return Task.FromCanceled(new System.Threading.CancellationToken(true));
                return Task.CompletedTask;
            }, 4);
            Assert.True(sim.RunUntil(() => batch.IsCompleted, Limit));
            Assert.Equal(3, batch.CountFailures(e => true));
            // A fault outranks a cancellation, as with Task.WhenAll.
            var thrown = Assert.Throws<InvalidOperationException>(() => batch.CountFailures(e => e is IOException));
            Assert.Equal("bug", thrown.Message);
            // Only a cancellation left untolerated: it is what is thrown.
            Assert.ThrowsAny<OperationCanceledException>(() => batch.CountFailures(e => !(e is OperationCanceledException)));
        }

        [Fact]
        public void An_empty_batch_is_complete_at_once()
        {
            var sim = new Simulation();
            var batch = sim.SpawnEach(i => Task.CompletedTask, 0);
            Assert.True(batch.IsCompleted);
            Assert.Equal(0, batch.CountFailures(null));
        }
    }
}
