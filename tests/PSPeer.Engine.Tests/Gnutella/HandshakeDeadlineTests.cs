// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// The servent's handshake deadlines (10 s from the start of each handshake, one timer per servent for the oldest):
    /// a late handshake is closed on either side and gives its place back, each deadline passes at its own time, a
    /// stop or the caller's cancellation closes a handshake in progress, and a finished link is never cut by one.
    /// </summary>
    public class HandshakeDeadlineTests
    {
        // The gate's own deadline is set well past the servent's 10 s, so the servent's is the one that fires here.
        static readonly ConnectionLimits LateGate = new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(60), MaxConnectionsPerAddress = 1 };

        static (GnutellaWorld world, GnutellaServent node, HostPort address) Ultrapeer(ConnectionLimits limits = null)
        {
            var world = new GnutellaWorld();
            var host = world.Sim.AddHost("up-host");
            var node = new GnutellaServent(host, "up", new GnutellaOptions { Port = GnutellaWorld.Port, AutoConnect = false })
            {
                Limits = limits ?? new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(60) },
            };
            world.Run(() => node.StartAsync());
            return (world, node, new HostPort(host.HostAddress, GnutellaWorld.Port));
        }

        /// <summary>A connection that says <paramref name="text"/> (nothing when null) and then nothing more.</summary>
        static IConnection Stall(GnutellaWorld world, SimulatedHost from, HostPort to, string text = null) => world.Run(async () =>
        {
            var connection = await from.Transport.ConnectAsync(to.Host, to.Port);
            if (text != null)
            {
                var bytes = System.Text.Encoding.ASCII.GetBytes(text);
                await connection.Stream.WriteAsync(bytes, 0, bytes.Length);
            }
            return connection;
        });

        /// <summary>Completes when the other end closes <paramref name="connection"/> (or resets it).</summary>
        static Task<byte[]> Closed(GnutellaWorld world, IConnection connection) => world.Sim.Spawn(() => RawGnutellaClient.ReadToEndAsync(connection));

        [Fact]
        public void An_accepted_handshake_never_confirmed_is_closed_at_its_deadline_and_frees_its_place()
        {
            var (world, node, address) = Ultrapeer(LateGate);
            var attacker = world.Sim.AddHost("attacker");
            // CONNECT, read our 200, and never send the third step.
            var connection = world.Run(async () =>
            {
                var c = await attacker.Transport.ConnectAsync(address.Host, address.Port);
                var hello = GnutellaHandshake.Connect(new Dictionary<string, string>
                {
                    ["User-Agent"] = "Stall/1.0", ["X-Ultrapeer"] = "True", ["Listen-IP"] = attacker.HostAddress + ":1",
                });
                await c.Stream.WriteAsync(hello, 0, hello.Length);
                var answer = await GnutellaHandshake.ReadHeadAsync(c.Stream, null, 8192, CancellationToken.None);
                Assert.Equal(200, answer.Status);
                return c;
            });
            var closed = Closed(world, connection);

            world.Settle(9);
            Assert.False(closed.IsCompleted);
            Assert.Equal(1, node.HandshakesInProgress);
            Assert.Equal(1, node.Admission.OpenCount);

            world.Settle(2);
            Assert.True(closed.IsCompleted);
            Assert.Equal(0, node.HandshakesInProgress);
            Assert.Equal(0, node.Admission.OpenCount);
            Assert.Equal(0, node.ConnectionCount);

            // One connection per address: the place the late handshake held is free again.
            var honest = world.Run(() => RawGnutellaClient.ConnectAsync(attacker, address));
            Assert.Equal(200, honest.Answer.Status);
            world.Settle(1);
            Assert.Equal(1, node.ConnectionCount);
        }

        [Fact]
        public void Handshakes_begun_at_different_times_are_each_closed_at_their_own_deadline()
        {
            var (world, node, address) = Ultrapeer();
            var attacker = world.Sim.AddHost("attacker");
            var first = Closed(world, Stall(world, attacker, address));
            world.Settle(4);
            var second = Closed(world, Stall(world, attacker, address, "GNUTELLA CONN"));
            Assert.Equal(2, node.HandshakesInProgress);

            world.Settle(6.5);   // the first is 10.5 s old, the second 6.5 s
            Assert.True(first.IsCompleted);
            Assert.False(second.IsCompleted);
            Assert.Equal(1, node.HandshakesInProgress);

            world.Settle(4);
            Assert.True(second.IsCompleted);
            Assert.Equal(0, node.HandshakesInProgress);
            Assert.Equal(0, node.Admission.OpenCount);
        }

        [Fact]
        public void A_dial_whose_answer_never_comes_fails_as_unreachable_at_its_deadline()
        {
            var (world, node, _) = Ultrapeer();
            var silentHost = world.Sim.AddHost("silent");
            var listener = world.Run(() => silentHost.Transport.ListenAsync(GnutellaWorld.Port));
            var accepted = world.Sim.Spawn(() => listener.AcceptAsync());
            var dial = world.Sim.Spawn(() => node.ConnectAsync(new HostPort(silentHost.HostAddress, GnutellaWorld.Port)));

            world.Settle(9);
            Assert.True(accepted.IsCompleted);
            Assert.False(dial.IsCompleted);
            Assert.Equal(1, node.HandshakesInProgress);
            var closed = Closed(world, accepted.Result);

            world.Settle(2);
            var error = Assert.Throws<PeerException>(() => dial.GetAwaiter().GetResult());
            Assert.Equal(PeerErrorIds.Unreachable, error.ErrorId);
            Assert.Contains("within 10 s", error.Message);
            Assert.True(closed.IsCompleted);
            Assert.Equal(0, node.HandshakesInProgress);
        }

        [Fact]
        public void Cancelling_a_dial_closes_its_handshake_at_once()
        {
            var (world, node, _) = Ultrapeer();
            var silentHost = world.Sim.AddHost("silent");
            var listener = world.Run(() => silentHost.Transport.ListenAsync(GnutellaWorld.Port));
            var accepted = world.Sim.Spawn(() => listener.AcceptAsync());
            using var cancel = new CancellationTokenSource();
            var dial = world.Sim.Spawn(() => node.ConnectAsync(new HostPort(silentHost.HostAddress, GnutellaWorld.Port), cancel.Token));
            world.Settle(2);
            var closed = Closed(world, accepted.Result);

            cancel.Cancel();
            world.Settle(1);
            Assert.True(dial.IsCanceled || dial.Exception?.InnerException is OperationCanceledException, $"the dial ended {dial.Status}");
            Assert.True(closed.IsCompleted);
            Assert.Equal(0, node.HandshakesInProgress);
        }

        [Fact]
        public void Stopping_closes_the_handshakes_in_progress()
        {
            var (world, node, address) = Ultrapeer();
            var attacker = world.Sim.AddHost("attacker");
            var closed = Closed(world, Stall(world, attacker, address, "GNUTELLA CONNECT/0.6\r\n"));
            world.Settle(1);
            Assert.Equal(1, node.HandshakesInProgress);

            world.Run(() => node.StopAsync());
            world.Settle(1);
            Assert.True(closed.IsCompleted);
            Assert.Equal(0, node.HandshakesInProgress);
        }

        [Fact]
        public void A_link_is_never_cut_by_the_deadline_of_its_handshake()
        {
            var world = new GnutellaWorld();
            var a = world.Add("a");
            var b = world.Add("b");
            world.Link(a, b);
            Assert.Equal(0, a.HandshakesInProgress);
            Assert.Equal(0, b.HandshakesInProgress);

            world.Settle(30);
            Assert.Equal(1, a.ConnectionCount);
            Assert.Equal(1, b.ConnectionCount);
        }
    }
}
