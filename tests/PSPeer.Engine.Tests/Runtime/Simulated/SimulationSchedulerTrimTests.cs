using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// The work queue's heap array, grown for a burst of work due at many distinct ticks, is cut back when a run ends
    /// with little pending (it would stay that long for the whole simulation otherwise); what is still pending runs in
    /// the same order at the same times; a small array, or one still well used, is left as it is. (Work sharing a tick
    /// shares one heap entry: see SimulationWorkQueueTests. Each item here has a tick of its own.)
    /// </summary>
    public class SimulationSchedulerTrimTests
    {
        [Fact]
        public void A_run_that_ends_with_little_pending_cuts_the_array_back_and_the_rest_runs_in_order()
        {
            var sim = new Simulation();
            var log = new List<int>();
            // A burst: 100,000 items within 10 ms, and 1,000 later ones that stay pending after the first run.
            for (int i = 0; i < 100_000; i++) sim.Schedule(TimeSpan.FromTicks(1 + i), () => { });
            for (int i = 0; i < 1_000; i++)
            {
                int id = i;
                sim.Schedule(TimeSpan.FromMilliseconds(100) + TimeSpan.FromTicks((id * 7919) % 5000), () => log.Add(id));
            }
            int grown = sim.LoopScheduler.Capacity;
            Assert.True(grown >= 101_000);

            sim.RunFor(TimeSpan.FromMilliseconds(10));
            Assert.Equal(1_000, sim.PendingWorkItems);
            Assert.True(sim.LoopScheduler.Capacity <= 4_096, $"{sim.LoopScheduler.Capacity} entries kept for 1,000 pending");

            sim.RunFor(TimeSpan.FromSeconds(1));
            // By due time, then in the order they were scheduled.
            var expected = Enumerable.Range(0, 1_000).OrderBy(i => (i * 7919) % 5000).ThenBy(i => i).ToList();
            Assert.Equal(expected, log);
        }

        [Fact]
        public void An_array_still_well_used_or_small_is_kept()
        {
            var sim = new Simulation();
            for (int i = 0; i < 70_000; i++) sim.Schedule(TimeSpan.FromTicks(i < 60_000 ? 1 + i : 1_000_000 + i), () => { });
            int grown = sim.LoopScheduler.Capacity;
            sim.RunFor(TimeSpan.FromMilliseconds(10));   // 10,000 of 131,072 still pending: more than a sixteenth
            Assert.Equal(grown, sim.LoopScheduler.Capacity);

            var small = new Simulation();
            for (int i = 0; i < 5_000; i++) small.Schedule(TimeSpan.FromTicks(1 + i), () => { });
            int smallGrown = small.LoopScheduler.Capacity;
            small.RunFor(TimeSpan.FromMilliseconds(10));
            Assert.Equal(smallGrown, small.LoopScheduler.Capacity);
        }
    }
}
