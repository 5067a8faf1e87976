using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

// The slow-subscriber test blocks an observer on purpose and waits for it with bounded waits.
#pragma warning disable xUnit1031

namespace PSPeer.Engine.Tests.Core
{
    /// <summary>A subscriber that throws or is slow never reaches the node (PeerNodeBase.Events).</summary>
    public class EventDeliveryTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

        // A node that emits on demand.
        sealed class TalkingNode : PeerNodeBase
        {
            public TalkingNode(IPeerRuntime runtime) : base(runtime, "talker", "Test", "Node") { }
            protected override Task OnStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            protected override Task OnStopAsync() => Task.CompletedTask;
            public void Say(int i) => Emit("Said", null, "said " + i, D("I", i));
        }

        static void WaitUntil(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (!condition())
            {
                Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
                Thread.Sleep(10);
            }
        }

        [Fact]
        public async Task A_throwing_live_subscriber_is_unsubscribed_and_reported_and_the_node_goes_on()
        {
            var node = new TalkingNode(LiveRuntime.Loopback);
            var seen = new ConcurrentQueue<PeerEvent>();
            int thrown = 0;
            node.Events.Subscribe(_ => { Interlocked.Increment(ref thrown); throw new InvalidOperationException("no runspace here"); });
            node.Events.Subscribe(seen.Enqueue);
            await node.StartAsync().WaitAsync(Timeout);

            for (int i = 0; i < 5; i++) node.Say(i);   // never throws into the node
            WaitUntil(() => seen.Any(e => e.Type == PeerEventTypes.ObserverFailed), "ObserverFailed");
            WaitUntil(() => seen.Count(e => e.Type == "Said") == 5, "five Said events");
            await node.StopAsync().WaitAsync(Timeout);   // and the stop reports no observer's error

            Assert.Equal(1, thrown);
            Assert.Equal(1, node.ObserverFailures);
            var failed = seen.Single(e => e.Type == PeerEventTypes.ObserverFailed);
            Assert.Contains("no runspace here", (string)failed["Error"]);
        }

        [Fact]
        public async Task A_slow_live_subscriber_loses_events_alone_counted_and_told_while_the_node_keeps_its_pace()
        {
            var node = new TalkingNode(LiveRuntime.Loopback) { EventQueueCapacity = 10 };
            var release = new ManualResetEventSlim();
            var slow = new ConcurrentQueue<PeerEvent>();
            var completed = new ManualResetEventSlim();
            node.Events.Subscribe(e => { release.Wait(Timeout); slow.Enqueue(e); }, () => completed.Set());
            var inline = new List<PeerEvent>();
            node.EventsInline.Subscribe(inline.Add);
            await node.StartAsync().WaitAsync(Timeout);

            // The slow subscriber holds its first event; the node emits 100 more without waiting for it.
            var emitting = Task.Run(() => { for (int i = 0; i < 100; i++) node.Say(i); });
            Assert.True(emitting.Wait(Timeout), "the node was held up by a slow subscriber");
            Assert.Equal(101, inline.Count);   // NodeStarted and the 100, each in step with the node
            Assert.InRange(node.EventsDropped, 1, 100);
            release.Set();
            await node.StopAsync().WaitAsync(Timeout);
            Assert.True(completed.Wait(Timeout), "the slow subscriber was not completed after its queue");

            var got = slow.ToList();
            var told = got.Where(e => e.Type == PeerEventTypes.EventsDropped).ToList();
            Assert.NotEmpty(told);
            // Every event the node emitted (NodeStarted, 100 Said, NodeStopped) was either delivered or counted as dropped.
            long delivered = got.Count(e => e.Type != PeerEventTypes.EventsDropped);
            Assert.Equal(102, delivered + told.Sum(e => (long)e["Dropped"]));
            Assert.Equal(node.EventsDropped, told.Sum(e => (long)e["Dropped"]));
            // Order kept: the Said events that arrived did so in the order they were said.
            var order = got.Where(e => e.Type == "Said").Select(e => (int)e["I"]).ToList();
            Assert.Equal(order.OrderBy(i => i), order);
        }

        [Fact]
        public void In_a_simulation_subscribers_are_called_in_step_and_a_throwing_one_is_isolated_the_same_way()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var node = new TalkingNode(sim.AddHost("h"));
            var seen = new List<string>();
            node.Events.Subscribe(e => { if (e.Type == "Said" && (int)e["I"] == 2) throw new InvalidOperationException("boom"); });
            node.Events.Subscribe(e => seen.Add(e.Type));
            sim.Run(async () =>
            {
                await node.StartAsync();
                for (int i = 0; i < 4; i++)
                {
                    node.Say(i);
                    Assert.Equal("Said", seen.Last(t => t != PeerEventTypes.ObserverFailed));   // delivered before Say returned
                }
                await node.StopAsync();
            }, TimeSpan.FromSeconds(10));

            // The thrower comes first: the failure is reported (in step) before the event it failed on reaches the next subscriber.
            Assert.Equal(new[] { "NodeStarted", "Said", "Said", "ObserverFailed", "Said", "Said", "NodeStopped" }, seen);
            Assert.Equal(1, node.ObserverFailures);
        }
    }
}
