// Tasks are read only after the simulation has run them to completion (or in-memory I/O that completes
// synchronously): nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.IO;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;
using static PSPeer.Engine.Tests.Runtime.Simulated.SimulatedStreamHelpers;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    public class SimulatedFaultTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

        static (IConnection client, IConnection server) Connect(Simulation sim, SimulatedHost from, SimulatedHost to, IListener listener)
        {
            var pair = sim.Spawn(async () =>
            {
                var client = await from.Transport.ConnectAsync(to.HostAddress, listener.Port);
                var server = await listener.AcceptAsync();
                return (client, server);
            });
            Assert.True(sim.RunUntilCompleted(pair, Limit));
            return pair.Result;
        }

        static IListener Listen(Simulation sim, SimulatedHost host, int port = 0)
        {
            var listening = sim.Spawn(() => host.Transport.ListenAsync(port));
            Assert.True(sim.RunUntilCompleted(listening, Limit));
            return listening.Result;
        }

        static Task<IConnection> TryConnect(Simulation sim, SimulatedHost from, SimulatedHost to, int port)
        {
            var attempt = sim.Spawn(() => from.Transport.ConnectAsync(to.HostAddress, port));
            Assert.True(sim.RunUntilCompleted(attempt, Limit));
            return attempt;
        }

        [Fact]
        public void A_partition_resets_connections_across_refuses_new_ones_and_heals()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var c = sim.AddHost("c");
            var listenerB = Listen(sim, b);
            var (ab, ba) = Connect(sim, a, b, listenerB);
            var (cb, bc) = Connect(sim, c, b, listenerB);

            var pendingRead = sim.Spawn(() => ab.Stream.ReadAsync(new byte[4], 0, 4));
            sim.RunFor(TimeSpan.FromSeconds(1));
            var partition = sim.Partition(new[] { a }, new[] { b });
            Assert.True(sim.RunUntilCompleted(pendingRead, Limit));
            Assert.IsType<IOException>(pendingRead.Exception.InnerException);

            var readAfterReset = sim.Spawn(() => ab.Stream.ReadAsync(new byte[4], 0, 4));
            Assert.True(sim.RunUntilCompleted(readAfterReset, Limit));
            Assert.IsType<IOException>(readAfterReset.Exception.InnerException);

            var writeAcross = sim.Spawn(() => ba.Stream.WriteAsync(new byte[1], 0, 1));
            Assert.True(sim.RunUntilCompleted(writeAcross, Limit));
            Assert.IsType<IOException>(writeAcross.Exception.InnerException);

            var refused = TryConnect(sim, a, b, listenerB.Port);
            Assert.Equal(PeerErrorIds.Unreachable, Assert.IsType<PeerException>(refused.Exception.InnerException).ErrorId);

            // c is on neither side: its connection to b lives on.
            var echo = sim.Spawn(async () =>
            {
                await cb.Stream.WriteAsync(new byte[] { 7 }, 0, 1);
                return (await ReadExactlyAsync(bc.Stream, 1))[0];
            });
            Assert.True(sim.RunUntilCompleted(echo, Limit));
            Assert.Equal(7, echo.Result);

            partition.Dispose();
            var healed = TryConnect(sim, a, b, listenerB.Port);
            Assert.True(healed.Status == TaskStatus.RanToCompletion, healed.Exception?.ToString());

            sim.Partition(new[] { a, c }, new[] { b });
            Assert.True(TryConnect(sim, c, b, listenerB.Port).IsFaulted);
            sim.Heal();
            Assert.Equal(TaskStatus.RanToCompletion, TryConnect(sim, c, b, listenerB.Port).Status);
        }

        [Fact]
        public void A_crash_resets_connections_at_the_peers_closes_listeners_and_fails_pending_reads()
        {
            var sim = new Simulation();
            var server = sim.AddHost("server");
            var client = sim.AddHost("client");
            var listener = Listen(sim, server, 80);
            var (toServer, atServer) = Connect(sim, client, server, listener);

            var clientRead = sim.Spawn(() => toServer.Stream.ReadAsync(new byte[8], 0, 8));
            var serverRead = sim.Spawn(() => atServer.Stream.ReadAsync(new byte[8], 0, 8));
            var accept = sim.Spawn(() => listener.AcceptAsync());
            sim.RunFor(TimeSpan.FromSeconds(1));

            server.Crash();
            Assert.False(server.IsUp);
            Assert.True(sim.RunUntil(() => clientRead.IsCompleted && serverRead.IsCompleted && accept.IsCompleted, Limit));
            Assert.IsType<IOException>(clientRead.Exception.InnerException);
            Assert.IsType<IOException>(serverRead.Exception.InnerException);
            Assert.IsType<ObjectDisposedException>(accept.Exception.InnerException);
            Assert.Empty(server.ListeningPorts);

            var refused = TryConnect(sim, client, server, 80);
            Assert.Equal(PeerErrorIds.Unreachable, Assert.IsType<PeerException>(refused.Exception.InnerException).ErrorId);
            var listenWhileDown = sim.Spawn(() => server.Transport.ListenAsync(80));
            Assert.True(sim.RunUntilCompleted(listenWhileDown, Limit));
            Assert.Equal(PeerErrorIds.NodeNotRunning, Assert.IsType<PeerException>(listenWhileDown.Exception.InnerException).ErrorId);
        }

        [Fact]
        public void After_a_restart_the_host_serves_again_and_its_storage_survived()
        {
            var sim = new Simulation();
            var server = sim.AddHost("server");
            var client = sim.AddHost("client");
            server.MemoryStorage.WriteFile("/data/kept.bin", new byte[] { 1, 2, 3 });
            Listen(sim, server, 80);
            server.Crash();
            sim.RunFor(TimeSpan.FromSeconds(5));
            server.Restart();
            Assert.True(server.IsUp);
            Assert.Equal(new byte[] { 1, 2, 3 }, server.MemoryStorage.ReadAllBytes("/data/kept.bin"));

            // The node is started anew by the caller; port 80 is free again since the old listener died.
            var listener = Listen(sim, server, 80);
            sim.Post(() => _ = EchoServerAsync(listener));
            var echo = sim.Spawn(async () =>
            {
                using (var c = await client.Transport.ConnectAsync("server", 80))
                {
                    await c.Stream.WriteAsync(new byte[] { 9, 8 }, 0, 2);
                    return await ReadExactlyAsync(c.Stream, 2);
                }
            });
            Assert.True(sim.RunUntilCompleted(echo, Limit));
            Assert.Equal(new byte[] { 9, 8 }, echo.Result);
        }

        [Fact]
        public void A_connect_from_a_crashed_host_fails_at_once()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var listener = Listen(sim, b);
            a.Crash();
            var attempt = TryConnect(sim, a, b, listener.Port);
            Assert.Equal(PeerErrorIds.Unreachable, Assert.IsType<PeerException>(attempt.Exception.InnerException).ErrorId);
            Assert.Equal(TimeSpan.Zero, sim.Elapsed);
        }
    }
}
