// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// What a host is made of in a big simulation: it is its own clock and transport (no object each), and hosts whose
    /// uplinks have no bandwidth limit share one, with the same delays as uplinks of their own.
    /// </summary>
    public class SimulatedHostPartsTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

        [Fact]
        public void A_host_is_its_own_clock_and_transport_and_its_timers_die_with_it()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            Assert.Same(a, a.Clock);
            Assert.Same(a, a.Transport);

            var fired = new List<string>();
            a.Clock.Schedule(TimeSpan.FromSeconds(1), () => fired.Add("before the crash"));
            a.Clock.Schedule(TimeSpan.FromSeconds(3), () => fired.Add("after the crash"));
            var delay = a.Clock.Delay(TimeSpan.FromSeconds(1));
            sim.RunFor(TimeSpan.FromSeconds(2));
            Assert.Equal(new[] { "before the crash" }, fired);
            Assert.True(delay.IsCompletedSuccessfully);
            Assert.Equal(sim.Now, a.Clock.Now);

            a.Crash();
            sim.RunFor(TimeSpan.FromSeconds(2));
            Assert.Equal(new[] { "before the crash" }, fired);
        }

        [Fact]
        public void Hosts_share_one_uplink_without_a_bandwidth_limit_and_have_their_own_with_one()
        {
            var free = Uplinks(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            Assert.NotNull(free.a);
            Assert.Same(free.a, free.b);

            var limited = Uplinks(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10), BandwidthBytesPerSecond = 100_000 });
            Assert.NotNull(limited.a);
            Assert.NotSame(limited.a, limited.b);
        }

        [Fact]
        public void Uplinks_delay_each_host_on_its_own_shared_or_not()
        {
            // Two hosts send 10 KB each to a third at the same instant. Without a bandwidth limit (one shared uplink)
            // neither waits for the other: both arrive one latency later. At 100 KB/s each host's own uplink takes
            // 100 ms to put its 10 KB on the wire, and neither waits for the other's.
            var free = Uplinks(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            Assert.Equal(new[] { TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10) }, free.arrivedAfter);
            var limited = Uplinks(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10), BandwidthBytesPerSecond = 100_000 });
            Assert.Equal(new[] { TimeSpan.FromMilliseconds(110), TimeSpan.FromMilliseconds(110) }, limited.arrivedAfter);
        }

        [Fact]
        public void A_host_tracks_its_open_ends_through_closes_and_reused_slots_and_a_crash_resets_exactly_those()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var ends = sim.Run(async () =>
            {
                var listener = await b.Transport.ListenAsync(7000);
                var pairs = new (IConnection client, IConnection server)[4];
                for (int i = 0; i < pairs.Length; i++)
                {
                    var accept = listener.AcceptAsync();
                    var client = await a.Transport.ConnectAsync(b.HostAddress, 7000);
                    pairs[i] = (client, await accept);
                }
                return pairs;
            }, Limit);
            Assert.Equal(4, a.OpenConnectionCount);
            Assert.Equal(4, b.OpenConnectionCount);

            // The second connection closes both ways: its ends leave both hosts' lists, from the middle.
            ends[1].client.Dispose();
            ends[1].server.Dispose();
            sim.RunFor(TimeSpan.FromMilliseconds(50));
            Assert.Equal(3, a.OpenConnectionCount);
            Assert.Equal(3, b.OpenConnectionCount);

            // A new connection takes the freed slot in the connection table, and is tracked like the others.
            var fifth = sim.Run(async () =>
            {
                var listener = await b.Transport.ListenAsync(7001);
                var accept = listener.AcceptAsync();
                var client = await a.Transport.ConnectAsync(b.HostAddress, 7001);
                return (client, server: await accept);
            }, Limit);
            Assert.Equal(4, a.OpenConnectionCount);

            a.Crash();
            Assert.Equal(0, a.OpenConnectionCount);
            Assert.Equal(0, b.OpenConnectionCount);
            foreach (var end in new[] { ends[0].server, ends[2].server, ends[3].server, fifth.server })
                Assert.True(((SimulatedStream)end).IsReset);
            Assert.False(((SimulatedStream)ends[1].server).IsReset);
        }

        /// <summary>Hosts a and b each dial c and send it 10 KB at once; their uplinks, and how long after the sends c had each in full.</summary>
        static (SimulatedLink a, SimulatedLink b, TimeSpan[] arrivedAfter) Uplinks(SimulationOptions options)
        {
            var sim = new Simulation(options);
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var c = sim.AddHost("c");
            var arrivedAfter = sim.Run(async () =>
            {
                var listener = await c.Transport.ListenAsync(7000);
                var fromA = await a.Transport.ConnectAsync(c.HostAddress, 7000);
                var atA = await listener.AcceptAsync();
                var fromB = await b.Transport.ConnectAsync(c.HostAddress, 7000);
                var atB = await listener.AcceptAsync();
                var start = sim.Elapsed;
                var data = new byte[10_000];
                async Task<TimeSpan> ArrivalAsync(IConnection at)
                {
                    await SimulatedStreamHelpers.ReadExactlyAsync(at.Stream, data.Length);
                    return sim.Elapsed - start;
                }
                var arrivals = new[] { ArrivalAsync(atA), ArrivalAsync(atB) };
                await Task.WhenAll(fromA.Stream.WriteAsync(data, 0, data.Length), fromB.Stream.WriteAsync(data, 0, data.Length));
                return await Task.WhenAll(arrivals);
            }, Limit);
            return (a.Uplink, b.Uplink, arrivedAfter);
        }
    }
}
