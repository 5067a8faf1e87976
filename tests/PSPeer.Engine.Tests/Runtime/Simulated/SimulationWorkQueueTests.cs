using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// The simulation's work queue keeps work due at one tick in batches; whatever the mix of ticks, bursts, takes and
    /// removals, work comes out by due tick and then in the order it was added, exactly as from a sorted list.
    /// </summary>
    public class SimulationWorkQueueTests
    {
        sealed class Item
        {
            public readonly long Due;
            public readonly int Order;
            public Item(long due, int order) { Due = due; Order = order; }
        }

        // Adds and takes at random, with ticks from a small range (many items share one, and more ticks are open at
        // once than the queue's table of open batches has slots), bursts of one tick longer than a batch, and removals.
        [Theory]
        [InlineData(1, 200)]
        [InlineData(2, 5)]
        [InlineData(3, 5000)]
        public void Work_comes_out_by_due_tick_then_in_the_order_it_was_added(int seed, int ticks)
        {
            var random = new Random(seed);
            var queue = new WorkQueue();
            var expected = new SortedSet<Item>(Comparer<Item>.Create((a, b) => a.Due != b.Due ? a.Due.CompareTo(b.Due) : a.Order.CompareTo(b.Order)));
            int order = 0;
            long floor = 0;
            for (int round = 0; round < 400; round++)
            {
                int adds = random.Next(10) == 0 ? 10_000 : random.Next(200);
                long burstDue = floor + random.Next(ticks);
                for (int i = 0; i < adds; i++)
                {
                    long due = adds == 10_000 ? burstDue : floor + random.Next(ticks);
                    var item = new Item(due, order++);
                    queue.Add(due, null, item);
                    expected.Add(item);
                }
                if (random.Next(20) == 0)
                {
                    queue.RemoveWhere(state => ((Item)state).Order % 3 == 0);
                    expected.RemoveWhere(item => item.Order % 3 == 0);
                }
                int takes = random.Next(300);
                for (int i = 0; i < takes && queue.Count > 0; i++)
                {
                    Assert.Equal(expected.Min.Due, queue.FirstDue);
                    var work = queue.Take(out long due);
                    var item = (Item)work.State;
                    Assert.Same(expected.Min, item);
                    Assert.Equal(item.Due, due);
                    expected.Remove(item);
                    floor = due;   // as the scheduler's clock: nothing is added before the present
                }
                Assert.Equal(expected.Count, queue.Count);
            }
            while (queue.Count > 0)
            {
                var item = (Item)queue.Take(out _).State;
                Assert.Same(expected.Min, item);
                expected.Remove(item);
            }
            Assert.Empty(expected);
            Assert.Equal(0, queue.BatchCount);
        }

        [Fact]
        public void A_burst_at_one_tick_takes_a_few_batches_and_not_a_heap_entry_each()
        {
            var queue = new WorkQueue();
            for (int i = 0; i < 100_000; i++) queue.Add(10, null, i);
            Assert.Equal(100_000, queue.Count);
            Assert.True(queue.BatchCount <= 100_000 / 4096 + 1, $"{queue.BatchCount} batches for one tick");
            Assert.Equal(WorkQueue.InitialCapacity, queue.Capacity);
            for (int i = 0; i < 100_000; i++) Assert.Equal(i, (int)queue.Take(out _).State);
        }

        [Fact]
        public void A_run_that_ends_lets_the_large_spare_arrays_of_a_burst_go_and_keeps_small_ones()
        {
            var sim = new Simulation();
            for (int i = 0; i < 20_000; i++) sim.Schedule(TimeSpan.FromMilliseconds(1 + i % 3), () => { });
            var queue = new WorkQueue();
            for (int i = 0; i < 20_000; i++) queue.Add(1 + i % 3, null, i);
            while (queue.Count > 0) queue.Take(out _);
            Assert.True(queue.SpareEntries > 8 * 256, $"{queue.SpareEntries} spare entries after a burst");   // what a run would end with

            sim.RunFor(TimeSpan.FromSeconds(1));
            // At most 8 spares of each size up to 256 entries: 8 × (4 + 8 + … + 256).
            Assert.InRange(sim.LoopScheduler.SpareQueueEntries, 1, 8 * 508);
            queue.ReleaseLargeSpares();
            Assert.InRange(queue.SpareEntries, 1, 8 * 508);
        }

        [Fact]
        public void The_current_tick_drained_as_it_is_filled_stays_in_one_batch()
        {
            // Work at the current tick that posts more work at the same tick (continuations): one batch throughout.
            var queue = new WorkQueue();
            for (int i = 0; i < 8; i++) queue.Add(5, null, i);
            for (int i = 8; i < 100_000; i++)
            {
                Assert.Equal(i - 8, (int)queue.Take(out _).State);
                queue.Add(5, null, i);
                Assert.Equal(1, queue.BatchCount);
            }
        }
    }
}
