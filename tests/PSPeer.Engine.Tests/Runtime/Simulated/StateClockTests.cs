using System;
using System.Collections.Generic;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// IStateClock: a timer set with a static callback and its state, as IClock.Schedule sets one with a closure: it runs
    /// once at its time, disposing withdraws it, a crashed host's never runs; a simulated clock makes no delegate for it,
    /// and any other clock falls back to a closure.
    /// </summary>
    public class StateClockTests
    {
        static readonly Action<object> Record = state => ((List<string>)state).Add("ran");

        [Fact]
        public void A_state_timer_runs_once_at_its_time_with_its_state()
        {
            var sim = new Simulation(new SimulationOptions());
            var host = sim.AddHost("a");
            var ran = new List<string>();
            var start = sim.Now;
            DateTimeOffset at = default;
            host.Clock.Schedule(TimeSpan.FromSeconds(3), state => { ((List<string>)state).Add("ran"); at = sim.Now; }, ran);
            sim.RunFor(TimeSpan.FromSeconds(2));
            Assert.Empty(ran);
            sim.RunFor(TimeSpan.FromSeconds(10));
            Assert.Equal(new[] { "ran" }, ran);
            Assert.Equal(TimeSpan.FromSeconds(3), at - start);
        }

        [Fact]
        public void A_disposed_state_timer_never_runs_and_the_simulations_own_clock_takes_one_too()
        {
            var sim = new Simulation(new SimulationOptions());
            var host = sim.AddHost("a");
            var ran = new List<string>();
            host.Clock.Schedule(TimeSpan.FromSeconds(1), Record, ran).Dispose();
            sim.Clock.Schedule(TimeSpan.FromSeconds(1), Record, ran);
            sim.RunFor(TimeSpan.FromSeconds(5));
            Assert.Equal(new[] { "ran" }, ran);   // the simulation's, not the disposed one
        }

        [Fact]
        public void A_crashed_hosts_state_timer_never_runs()
        {
            var sim = new Simulation(new SimulationOptions());
            var host = sim.AddHost("a");
            var ran = new List<string>();
            host.Clock.Schedule(TimeSpan.FromSeconds(1), Record, ran);
            host.Crash();
            host.Restart();
            sim.RunFor(TimeSpan.FromSeconds(5));
            Assert.Empty(ran);
        }

        sealed class PlainClock : IClock
        {
            public Action Scheduled;
            public DateTimeOffset Now => DateTimeOffset.UnixEpoch;
            public System.Threading.Tasks.Task Delay(TimeSpan delay, System.Threading.CancellationToken cancellationToken = default) => throw new NotSupportedException();
            public IDisposable Schedule(TimeSpan delay, Action action) { Scheduled = action; return null; }
        }

        [Fact]
        public void Any_other_clock_gets_a_closure_that_calls_the_callback_with_its_state()
        {
            var clock = new PlainClock();
            var ran = new List<string>();
            clock.Schedule(TimeSpan.FromSeconds(1), Record, ran);
            Assert.Empty(ran);
            clock.Scheduled();
            Assert.Equal(new[] { "ran" }, ran);
            Assert.Throws<ArgumentNullException>(() => clock.Schedule(TimeSpan.FromSeconds(1), null, ran));
        }

        [Fact]
        public void A_simulated_state_timer_costs_less_than_a_timer_with_a_delegate()
        {
            var sim = new Simulation(new SimulationOptions());
            var host = sim.AddHost("a");
            var ran = new List<string>();
            // The scheduler's queue grows once, and the JIT runs, before anything is measured.
            for (int i = 0; i < 5000; i++) host.Clock.Schedule(TimeSpan.FromSeconds(1), Record, ran);
            var recorder = new Recorder();
            for (int i = 0; i < 5; i++) host.Clock.Schedule(TimeSpan.FromSeconds(1), recorder.Run);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) host.Clock.Schedule(TimeSpan.FromSeconds(1), Record, ran);
            long withState = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
            before = GC.GetAllocatedBytesForCurrentThread();
            // An instance method as the action: a delegate per timer, as the servent's deadline timer had.
            for (int i = 0; i < 1000; i++) host.Clock.Schedule(TimeSpan.FromSeconds(1), recorder.Run);
            long withDelegate = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
            Assert.True(withState + 48 <= withDelegate, $"{withState} bytes per state timer, {withDelegate} per timer with a delegate");
        }

        sealed class Recorder
        {
            public int Runs;
            public void Run() => Runs++;
        }
    }
}
