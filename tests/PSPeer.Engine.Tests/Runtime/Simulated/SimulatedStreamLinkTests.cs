// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;
using static PSPeer.Engine.Tests.Runtime.Simulated.SimulatedStreamHelpers;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// The link a connection end sends on is found from its peer host's index alone: the host's uplink, instant
    /// loopback to itself, and a pair's override set by SetLink, also for an end opened before the override.
    /// </summary>
    public class SimulatedStreamLinkTests
    {
        static TimeSpan Send(Simulation sim, IConnection from, IConnection to)
        {
            long start = sim.Elapsed.Ticks;
            var received = sim.Spawn(async () =>
            {
                await from.Stream.WriteAsync(new byte[] { 1, 2, 3 }, 0, 3);
                await ReadExactlyAsync(to.Stream, 3);
            });
            Assert.True(sim.RunUntilCompleted(received, TimeSpan.FromMinutes(1)));
            received.GetAwaiter().GetResult();
            return TimeSpan.FromTicks(sim.Elapsed.Ticks - start);
        }

        [Fact]
        public void An_end_sends_on_its_hosts_uplink_until_an_override_for_the_pair_is_set_then_on_that()
        {
            var (sim, a, b, client, server) = Pair();
            Assert.Same(a.Network.GetLink(a, b), ((SimulatedStream)client).Outbound);
            Assert.Equal(TimeSpan.FromMilliseconds(10), Send(sim, client, server));

            sim.SetLink(a, b, TimeSpan.FromMilliseconds(70));
            Assert.Same(a.Network.GetLink(a, b), ((SimulatedStream)client).Outbound);
            Assert.Same(a.Network.GetLink(b, a), ((SimulatedStream)server).Outbound);
            Assert.NotSame(((SimulatedStream)client).Outbound, ((SimulatedStream)server).Outbound);
            Assert.Equal(TimeSpan.FromMilliseconds(70), Send(sim, client, server));
            Assert.Equal(TimeSpan.FromMilliseconds(70), Send(sim, server, client));
        }

        [Fact]
        public void An_end_connected_to_its_own_host_sends_on_the_instant_loopback()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            var a = sim.AddHost("a");
            var pair = sim.Run(async () =>
            {
                var listener = await a.Transport.ListenAsync(7000);
                var accept = listener.AcceptAsync();
                var c = await a.Transport.ConnectAsync("localhost", 7000);
                return (c, await accept);
            }, TimeSpan.FromMinutes(1));
            Assert.Equal(0, ((SimulatedStream)pair.c).Outbound.LatencyTicks);
            Assert.Same(a.Network.GetLink(a, a), ((SimulatedStream)pair.c).Outbound);
            Assert.Equal(TimeSpan.Zero, Send(sim, pair.c, pair.Item2));
        }
    }
}
