// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// Disposed timers and cancelled delays leave the queue once they are many (a network build leaves a handshake
    /// timer per connection): the rest still runs in the same order at the same times.
    /// </summary>
    public class SimulationSchedulerCompactionTests
    {
        static List<string> RunTimers(int count, Func<int, bool> dispose, out int pendingAfterDisposal)
        {
            var sim = new Simulation();
            var log = new List<string>();
            var timers = new IDisposable[count];
            for (int i = 0; i < count; i++)
            {
                int id = i;
                // Many share a due time, so posting order decides among them.
                timers[i] = sim.Schedule(TimeSpan.FromMilliseconds(1 + (i * 7919) % 500), () => log.Add($"{id}@{sim.Elapsed.TotalMilliseconds}"));
            }
            for (int i = 0; i < count; i++) if (dispose(i)) timers[i].Dispose();
            pendingAfterDisposal = sim.PendingWorkItems;
            sim.RunFor(TimeSpan.FromSeconds(1));
            return log;
        }

        [Fact]
        public void Disposed_timers_leave_the_queue_and_the_others_keep_their_order_and_times()
        {
            var kept = RunTimers(20_000, i => i % 10 != 0, out int pending);
            Assert.True(pending < 20_000 / 2, $"{pending} work items still queued after disposing 90 % of 20,000 timers");
            Assert.Equal(2_000, kept.Count);

            // The same timers, none disposed: the survivors' order and times are the same as in a run without compaction.
            var all = RunTimers(20_000, _ => false, out _);
            var expected = all.FindAll(line => int.Parse(line.Substring(0, line.IndexOf('@'))) % 10 == 0);
            Assert.Equal(expected, kept);
        }

        [Fact]
        public void Withdrawn_work_that_comes_due_is_skipped_and_counted_apart_from_the_work_run()
        {
            var sim = new Simulation();
            var host = sim.AddHost("h");
            int ran = 0;
            var timers = new IDisposable[10];
            for (int i = 0; i < timers.Length; i++) timers[i] = host.Clock.Schedule(TimeSpan.FromSeconds(1 + i % 2), () => ran++);
            timers[3].Dispose();
            timers[6].Dispose();
            var cts = new System.Threading.CancellationTokenSource();
            var delay = host.Clock.Delay(TimeSpan.FromSeconds(5), cts.Token);
            long before = sim.ExecutedWorkItems;
            cts.Cancel();
            sim.RunFor(TimeSpan.FromSeconds(10));
            Assert.Equal(8, ran);
            Assert.True(delay.IsCanceled);
            // Events are work delivered: the eight timers that fired; the two disposed ones and the cancelled delay
            // came due and were skipped.
            Assert.Equal(8, sim.ExecutedWorkItems - before);
            Assert.Equal(3, sim.LoopScheduler.SkippedWithdrawn);
        }

        [Fact]
        public void Few_disposed_timers_stay_queued_until_due()
        {
            RunTimers(1_000, i => i % 2 == 0, out int pending);
            Assert.Equal(1_000, pending);
        }

        [Fact]
        public void Cancelled_delays_leave_the_queue_and_still_end_cancelled()
        {
            var sim = new Simulation();
            var host = sim.AddHost("h");
            var sources = new List<CancellationTokenSource>();
            var delays = new List<Task>();
            var started = sim.Spawn(() =>
            {
                for (int i = 0; i < 10_000; i++)
                {
                    var cts = new CancellationTokenSource();
                    sources.Add(cts);
                    delays.Add(host.Clock.Delay(TimeSpan.FromSeconds(10 + i % 3), cts.Token));
                }
                return Task.CompletedTask;
            });
            Assert.True(sim.RunUntilCompleted(started, TimeSpan.FromSeconds(1)));
            for (int i = 0; i < sources.Count; i++) if (i % 100 != 0) sources[i].Cancel();
            Assert.True(sim.PendingWorkItems < 5_000, $"{sim.PendingWorkItems} work items queued after cancelling 99 % of 10,000 delays");
            sim.RunFor(TimeSpan.FromSeconds(30));
            for (int i = 0; i < delays.Count; i++)
                Assert.Equal(i % 100 == 0 ? TaskStatus.RanToCompletion : TaskStatus.Canceled, delays[i].Status);
        }
    }
}
