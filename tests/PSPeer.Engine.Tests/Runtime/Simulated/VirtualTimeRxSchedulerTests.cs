using System;
using System.Collections.Generic;
using System.Linq;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    public class VirtualTimeRxSchedulerTests
    {
        [Fact]
        public void Buffer_by_time_windows_events_in_virtual_time()
        {
            var sim = new Simulation();
            var host = sim.AddHost("h");
            var subject = new Subject<int>();
            var windows = new List<(double at, int[] items)>();
            subject.Buffer(TimeSpan.FromSeconds(10), host.Scheduler)
                .Subscribe(b => windows.Add((sim.Elapsed.TotalSeconds, b.ToArray())));
            foreach (var (second, value) in new[] { (1, 1), (4, 2), (12, 3), (25, 4) })
                sim.Schedule(TimeSpan.FromSeconds(second), () => subject.OnNext(value));
            sim.RunFor(TimeSpan.FromSeconds(30));
            Assert.Equal(new[] { 10.0, 20.0, 30.0 }, windows.Select(w => w.at));
            Assert.Equal(new[] { 1, 2 }, windows[0].items);
            Assert.Equal(new[] { 3 }, windows[1].items);
            Assert.Equal(new[] { 4 }, windows[2].items);
        }

        [Fact]
        public void Throttle_and_Timeout_count_virtual_seconds()
        {
            var sim = new Simulation();
            var subject = new Subject<string>();
            var throttled = new List<string>();
            subject.Throttle(TimeSpan.FromSeconds(2), sim.Scheduler).Subscribe(s => throttled.Add($"{s}@{sim.Elapsed.TotalSeconds}"));
            Exception timedOut = null;
            double timedOutAt = -1;
            subject.Timeout(TimeSpan.FromSeconds(5), sim.Scheduler).Subscribe(_ => { }, e => { timedOut = e; timedOutAt = sim.Elapsed.TotalSeconds; });

            sim.Schedule(TimeSpan.FromSeconds(1), () => subject.OnNext("a"));
            sim.Schedule(TimeSpan.FromSeconds(2), () => subject.OnNext("b"));
            sim.Schedule(TimeSpan.FromSeconds(6), () => subject.OnNext("c"));
            sim.RunFor(TimeSpan.FromSeconds(20));

            Assert.Equal(new[] { "b@4", "c@8" }, throttled);
            Assert.IsType<TimeoutException>(timedOut);
            Assert.Equal(11, timedOutAt);
        }

        [Fact]
        public void Interval_ticks_on_virtual_time_and_stops_when_disposed()
        {
            var sim = new Simulation();
            var ticks = new List<double>();
            var subscription = Observable.Interval(TimeSpan.FromSeconds(3), sim.Scheduler).Subscribe(_ => ticks.Add(sim.Elapsed.TotalSeconds));
            sim.RunFor(TimeSpan.FromSeconds(10));
            subscription.Dispose();
            sim.RunFor(TimeSpan.FromSeconds(10));
            Assert.Equal(new[] { 3.0, 6.0, 9.0 }, ticks);
            Assert.Equal(sim.Now, sim.Scheduler.Now);
        }
    }
}
