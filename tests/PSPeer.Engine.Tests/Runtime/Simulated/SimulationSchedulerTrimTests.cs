using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// The work queue's array, grown for a burst of work, is cut back when a run ends with little pending (a network
    /// build leaves 4 MiB of it for a few thousand timers otherwise); what is still pending runs in the same order at
    /// the same times; a small array, or one still well used, is left as it is.
    /// </summary>
    public class SimulationSchedulerTrimTests
    {
        [Fact]
        public void A_run_that_ends_with_little_pending_cuts_the_array_back_and_the_rest_runs_in_order()
        {
            var sim = new Simulation();
            var log = new List<int>();
            // A burst: 100,000 items now, and 1,000 later ones that stay pending after the first run.
            for (int i = 0; i < 100_000; i++) sim.Schedule(TimeSpan.FromMilliseconds(1), () => { });
            for (int i = 0; i < 1_000; i++)
            {
                int id = i;
                sim.Schedule(TimeSpan.FromMilliseconds(100 + (id * 7919) % 50), () => log.Add(id));
            }
            int grown = sim.LoopScheduler.Capacity;
            Assert.True(grown >= 101_000);

            sim.RunFor(TimeSpan.FromMilliseconds(10));
            Assert.Equal(1_000, sim.PendingWorkItems);
            Assert.True(sim.LoopScheduler.Capacity <= 4_096, $"{sim.LoopScheduler.Capacity} entries kept for 1,000 pending");

            sim.RunFor(TimeSpan.FromSeconds(1));
            // By due time, then in the order they were scheduled.
            var expected = Enumerable.Range(0, 1_000).OrderBy(i => (i * 7919) % 50).ThenBy(i => i).ToList();
            Assert.Equal(expected, log);
        }

        [Fact]
        public void An_array_still_well_used_or_small_is_kept()
        {
            var sim = new Simulation();
            for (int i = 0; i < 70_000; i++) sim.Schedule(TimeSpan.FromMilliseconds(i < 60_000 ? 1 : 100), () => { });
            int grown = sim.LoopScheduler.Capacity;
            sim.RunFor(TimeSpan.FromMilliseconds(10));   // 10,000 of 131,072 still pending: more than a sixteenth
            Assert.Equal(grown, sim.LoopScheduler.Capacity);

            var small = new Simulation();
            for (int i = 0; i < 5_000; i++) small.Schedule(TimeSpan.FromMilliseconds(1), () => { });
            int smallGrown = small.LoopScheduler.Capacity;
            small.RunFor(TimeSpan.FromMilliseconds(10));
            Assert.Equal(smallGrown, small.LoopScheduler.Capacity);
        }
    }
}
