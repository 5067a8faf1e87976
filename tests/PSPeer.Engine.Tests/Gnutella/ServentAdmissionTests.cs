using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Support;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>A servent's accept side under a flood of connections that never handshake, and a slow handshake.</summary>
    public class ServentAdmissionTests
    {
        static readonly TimeSpan Step = TimeSpan.FromSeconds(20);

        static async Task<GnutellaServent> StartAsync(ConnectionLimits limits, ConcurrentQueue<PeerEvent> events)
        {
            var servent = new GnutellaServent(LiveRuntime.Loopback, "up", new GnutellaOptions { Role = GnutellaRole.Ultrapeer, Port = 0, AutoConnect = false })
            {
                Limits = limits,
            };
            servent.Events.Subscribe(events.Enqueue);
            await servent.StartAsync().WaitAsync(Step);
            return servent;
        }

        [Fact]
        public async Task More_connections_than_the_cap_from_attackers_leave_an_honest_servent_linked()
        {
            var events = new ConcurrentQueue<PeerEvent>();
            var servent = await StartAsync(new ConnectionLimits { MaxConnections = 40, MaxConnectionsPerAddress = 8 }, events);
            try
            {
                using var attacker = new LoopbackAttacker();
                for (int a = 2; a < 12; a++) await attacker.OpenAsync("127.0.0." + a, servent.EndPoint, 20);
                await Poll.UntilAsync(() => events.Count(e => e.Type == PeerEventTypes.ConnectionRefused) >= 120, "the flood to be refused", Poll.FloodBound);

                var honest = await RawGnutellaClient.ConnectAsync(new LiveRuntime("127.0.0.50"), HostPort.Parse(servent.EndPoint)).WaitAsync(Step);
                Assert.Equal(200, honest.Answer.Status);
                await Poll.UntilAsync(() => servent.ConnectionCount == 1, "the honest link", Poll.FloodBound);
                Assert.StartsWith("127.0.0.50:", servent.Neighbors.Single());
                honest.Connection.Dispose();
            }
            finally { await servent.StopAsync().WaitAsync(Step); }
        }

        [Fact]
        public async Task A_handshake_sent_one_byte_at_a_time_is_cut_at_the_deadline()
        {
            var events = new ConcurrentQueue<PeerEvent>();
            var servent = await StartAsync(new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(1.5) }, events);
            try
            {
                using var slow = await LoopbackAttacker.ConnectAsync("127.0.0.2", servent.EndPoint);
                var hello = System.Text.Encoding.ASCII.GetBytes("GNUTELLA CONNECT/0.6\r\nUser-Agent: Slow/1.0\r\nX-Ultrapeer: True\r\n\r\n");
                int sent = await LoopbackAttacker.TrickleUntilCutAsync(slow, hello, TimeSpan.FromMilliseconds(250), Step);
                Assert.InRange(sent, 1, hello.Length - 1);
                Assert.Contains(events, e => e.Type == PeerEventTypes.ConnectionTimedOut);
            }
            finally { await servent.StopAsync().WaitAsync(Step); }
        }

        [Fact]
        public void On_the_simulated_runtime_the_same_gate_refuses_and_cuts_in_virtual_time()
        {
            // 8 connections per address (the default), 5 s to handshake (under the servent's own 10 s, so the gate's
            // deadline is the one that fires). One host opens 12 and says nothing.
            var world = new GnutellaWorld();
            var host = world.Sim.AddHost("up-host");
            var node = new GnutellaServent(host, "up", new GnutellaOptions { Port = GnutellaWorld.Port, AutoConnect = false })
            {
                Limits = new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(5) },
            };
            node.Events.Subscribe(e => world.Events.Add(e));
            world.Run(() => node.StartAsync());
            var address = new HostPort(host.HostAddress, GnutellaWorld.Port);
            var attacker = world.Sim.AddHost("attacker");
            var silent = world.Run(async () =>
            {
                var list = new System.Collections.Generic.List<IConnection>();
                for (int i = 0; i < 12; i++) list.Add(await attacker.Transport.ConnectAsync(address.Host, address.Port));
                return list;
            });
            world.Settle(1);
            Assert.Equal(4, world.Events.Count(e => e.Type == PeerEventTypes.ConnectionRefused));
            Assert.Equal(8, node.Admission.OpenCount);
            world.Settle(6);
            Assert.Equal(8, world.Events.Count(e => e.Type == PeerEventTypes.ConnectionTimedOut));
            Assert.Equal(0, node.Admission.OpenCount);

            var honest = world.Sim.AddHost("honest");
            var client = world.Run(() => RawGnutellaClient.ConnectAsync(honest, address));
            Assert.Equal(200, client.Answer.Status);
            foreach (var c in silent) c.Dispose();
        }
    }
}
