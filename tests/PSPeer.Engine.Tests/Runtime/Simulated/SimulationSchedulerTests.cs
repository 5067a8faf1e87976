// Tasks are read only after the simulation has run them to completion (or in-memory I/O that completes
// synchronously): nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    public class SimulationSchedulerTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

        [Fact]
        public void Time_moves_only_when_the_simulation_runs()
        {
            var sim = new Simulation(new SimulationOptions { Start = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero) });
            Assert.Equal(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero), sim.Now);
            sim.RunFor(TimeSpan.FromSeconds(90));
            Assert.Equal(TimeSpan.FromSeconds(90), sim.Elapsed);
            Assert.Equal(new DateTimeOffset(2001, 1, 1, 0, 1, 30, TimeSpan.Zero), sim.Now);
        }

        [Fact]
        public void Scheduled_work_runs_in_due_order_and_in_posting_order_at_equal_times()
        {
            var sim = new Simulation();
            var log = new List<string>();
            sim.Schedule(TimeSpan.FromSeconds(3), () => log.Add($"c@{sim.Elapsed.TotalSeconds}"));
            sim.Schedule(TimeSpan.FromSeconds(1), () => log.Add($"a@{sim.Elapsed.TotalSeconds}"));
            sim.Schedule(TimeSpan.FromSeconds(1), () => log.Add($"b@{sim.Elapsed.TotalSeconds}"));
            sim.Post(() => log.Add($"now@{sim.Elapsed.TotalSeconds}"));
            var cancelled = sim.Schedule(TimeSpan.FromSeconds(2), () => log.Add("cancelled"));
            cancelled.Dispose();

            sim.RunFor(TimeSpan.FromSeconds(2.5));
            Assert.Equal(new[] { "now@0", "a@1", "b@1" }, log);
            Assert.Equal(TimeSpan.FromSeconds(2.5), sim.Elapsed);
            sim.RunFor(TimeSpan.FromSeconds(10));
            Assert.Equal(new[] { "now@0", "a@1", "b@1", "c@3" }, log);
        }

        [Fact]
        public void Awaited_delays_resume_on_the_loop_at_their_virtual_times()
        {
            var sim = new Simulation();
            var host = sim.AddHost("a");
            var log = new List<string>();
            int loopThread = Thread.CurrentThread.ManagedThreadId;
            var done = sim.Spawn(async () =>
            {
                await host.Clock.Delay(TimeSpan.FromMilliseconds(250));
                log.Add($"first@{sim.Elapsed.TotalMilliseconds} same-thread={Thread.CurrentThread.ManagedThreadId == loopThread}");
                await Task.WhenAll(host.Clock.Delay(TimeSpan.FromSeconds(2)), host.Clock.Delay(TimeSpan.FromSeconds(1)));
                log.Add($"both@{sim.Elapsed.TotalMilliseconds}");
                await Task.Yield();
                Assert.IsType<SimulationSynchronizationContext>(SynchronizationContext.Current);
            });
            Assert.True(sim.RunUntilCompleted(done, Limit));
            done.GetAwaiter().GetResult();
            Assert.Equal(new[] { "first@250 same-thread=True", "both@2250" }, log);
            Assert.Equal(TimeSpan.FromMilliseconds(2250), sim.Elapsed);
        }

        [Fact]
        public void A_cancelled_delay_ends_cancelled_at_the_time_it_was_cancelled()
        {
            var sim = new Simulation();
            var host = sim.AddHost("a");
            var cts = new CancellationTokenSource();
            var delay = sim.Spawn(() => host.Clock.Delay(TimeSpan.FromSeconds(10), cts.Token));
            sim.Schedule(TimeSpan.FromSeconds(3), cts.Cancel);
            Assert.True(sim.RunUntilCompleted(delay, Limit));
            Assert.True(delay.IsCanceled);
            Assert.Equal(TimeSpan.FromSeconds(3), sim.Elapsed);
        }

        [Fact]
        public void Run_returns_the_result_of_simulated_work_or_times_out_in_virtual_time()
        {
            var sim = new Simulation();
            var host = sim.AddHost("a");
            int answer = sim.Run(async () => { await host.Clock.Delay(TimeSpan.FromSeconds(3)); return 42; }, TimeSpan.FromSeconds(10));
            Assert.Equal(42, answer);
            Assert.Equal(TimeSpan.FromSeconds(3), sim.Elapsed);
            Assert.Throws<TimeoutException>(() => sim.Run(() => host.Clock.Delay(TimeSpan.FromMinutes(1)), TimeSpan.FromSeconds(10)));
            Assert.Equal(TimeSpan.FromSeconds(13), sim.Elapsed);
            Assert.Throws<ArithmeticException>(() => sim.Run(async () => { await Task.Yield(); throw new ArithmeticException(); }, TimeSpan.FromSeconds(1)));
        }

        [Fact]
        public void RunUntil_stops_when_the_condition_holds_and_reports_a_timeout_otherwise()
        {
            var sim = new Simulation();
            bool flag = false;
            sim.Schedule(TimeSpan.FromSeconds(4), () => flag = true);
            Assert.False(sim.RunUntil(() => flag, TimeSpan.FromSeconds(3)));
            Assert.Equal(TimeSpan.FromSeconds(3), sim.Elapsed);
            Assert.True(sim.RunUntil(() => flag, TimeSpan.FromSeconds(60)));
            Assert.Equal(TimeSpan.FromSeconds(4), sim.Elapsed);
        }

        [Fact]
        public void An_exception_in_simulated_work_surfaces_from_the_run_and_the_loop_can_go_on()
        {
            var sim = new Simulation();
            bool later = false;
            sim.Schedule(TimeSpan.FromSeconds(1), () => throw new InvalidTimeZoneException("boom"));
            sim.Schedule(TimeSpan.FromSeconds(2), () => later = true);
            var e = Assert.Throws<InvalidTimeZoneException>(() => sim.RunFor(TimeSpan.FromSeconds(5)));
            Assert.Equal("boom", e.Message);
            Assert.Equal(TimeSpan.FromSeconds(1), sim.Elapsed);
            Assert.False(later);
            sim.RunFor(TimeSpan.FromSeconds(5));
            Assert.True(later);
        }

        [Fact]
        public void An_async_void_failure_on_the_loop_is_not_lost()
        {
            var sim = new Simulation();
            var host = sim.AddHost("a");
            sim.Post(async () =>
            {
                await host.Clock.Delay(TimeSpan.FromSeconds(1));
                throw new FormatException("from async void");
            });
            Assert.Throws<FormatException>(() => sim.RunFor(TimeSpan.FromSeconds(2)));
        }

        [Fact]
        public void The_callers_synchronization_context_is_restored_and_reentrant_runs_are_refused()
        {
            var sim = new Simulation();
            var before = SynchronizationContext.Current;
            Exception inner = null;
            sim.Post(() =>
            {
                try { sim.RunFor(TimeSpan.FromSeconds(1)); }
                catch (Exception e) { inner = e; }
            });
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Same(before, SynchronizationContext.Current);
            Assert.IsType<InvalidOperationException>(inner);
        }

        [Fact]
        public void Work_posted_from_other_threads_runs_on_the_running_thread()
        {
            var sim = new Simulation();
            int runner = Thread.CurrentThread.ManagedThreadId;
            int count = 0;
            bool allOnRunner = true;
            var posters = new Task[4];
            for (int t = 0; t < posters.Length; t++)
                posters[t] = Task.Factory.StartNew(() =>
                {
                    for (int i = 0; i < 250; i++)
                        sim.Post(() => { count++; allOnRunner &= Thread.CurrentThread.ManagedThreadId == runner; });
                }, TaskCreationOptions.LongRunning);
            Assert.True(Task.WaitAll(posters, TimeSpan.FromSeconds(30)));
            sim.RunFor(TimeSpan.Zero);
            Assert.Equal(1000, count);
            Assert.True(allOnRunner);
        }

        [Fact]
        public void Timers_of_a_crashed_host_never_fire_but_the_simulations_own_do()
        {
            var sim = new Simulation();
            var host = sim.AddHost("a");
            bool hostTimer = false, simTimer = false;
            host.Clock.Schedule(TimeSpan.FromSeconds(5), () => hostTimer = true);
            var delay = sim.Spawn(() => host.Clock.Delay(TimeSpan.FromSeconds(5)));
            sim.Clock.Schedule(TimeSpan.FromSeconds(5), () => simTimer = true);
            sim.RunFor(TimeSpan.FromSeconds(1));
            host.Crash();
            host.Restart();
            sim.RunFor(TimeSpan.FromSeconds(10));
            Assert.False(hostTimer);
            Assert.False(delay.IsCompleted);
            Assert.True(simTimer);
        }

        [Fact]
        public void Host_random_sources_are_seeded_per_host_and_independent_of_other_hosts()
        {
            int[] Draw(Simulation sim, string name)
            {
                var r = sim.FindHost(name).Random;
                return new[] { r.Next(1000000), r.Next(1000000), r.Next(1000000) };
            }
            var one = new Simulation(new SimulationOptions { Seed = 7 });
            one.AddHost("alice");
            var two = new Simulation(new SimulationOptions { Seed = 7 });
            two.AddHost("zed");
            two.AddHost("alice");
            var three = new Simulation(new SimulationOptions { Seed = 8 });
            three.AddHost("alice");

            var a1 = Draw(one, "alice");
            Assert.Equal(a1, Draw(two, "alice"));
            Assert.NotEqual(a1, Draw(three, "alice"));
            Assert.NotEqual(a1, Draw(two, "zed"));
        }

        [Fact]
        public void Hosts_get_unique_addresses_and_unique_names()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            Assert.Equal("10.0.0.1", a.HostAddress);
            Assert.Equal("10.0.0.2", b.HostAddress);
            Assert.Same(b, sim.FindHost("10.0.0.2"));
            Assert.Same(b, sim.FindHost("b"));
            Assert.Throws<ArgumentException>(() => sim.AddHost("a"));
            Assert.Equal(2, sim.Hosts.Count);
            Assert.True(a.IsSimulated);
        }
    }
}
