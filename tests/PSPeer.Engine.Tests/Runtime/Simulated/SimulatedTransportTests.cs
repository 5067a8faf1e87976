// Tasks are read only after the simulation has run them to completion (or in-memory I/O that completes
// synchronously): nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;
using static PSPeer.Engine.Tests.Runtime.Simulated.SimulatedStreamHelpers;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    public class SimulatedTransportTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

        static (Simulation sim, SimulatedHost server, SimulatedHost client, int port) EchoWorld(SimulationOptions options)
        {
            var sim = new Simulation(options);
            var server = sim.AddHost("server");
            var client = sim.AddHost("client");
            var listening = sim.Spawn(async () =>
            {
                var listener = await server.Transport.ListenAsync(0);
                _ = EchoServerAsync(listener);
                return listener.Port;
            });
            Assert.True(sim.RunUntilCompleted(listening, Limit));
            return (sim, server, client, listening.Result);
        }

        [Fact]
        public void Connect_takes_one_round_trip_and_an_echo_another()
        {
            var (sim, server, client, port) = EchoWorld(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(40) });
            TimeSpan connected = default, echoed = default;
            string local = null, remote = null;
            var run = sim.Spawn(async () =>
            {
                var start = sim.Elapsed;
                using (var c = await client.Transport.ConnectAsync(server.HostAddress, port))
                {
                    connected = sim.Elapsed - start;
                    local = c.LocalEndPoint;
                    remote = c.RemoteEndPoint;
                    var message = Pattern(100);
                    start = sim.Elapsed;
                    await c.Stream.WriteAsync(message, 0, message.Length);
                    var back = await ReadExactlyAsync(c.Stream, message.Length);
                    echoed = sim.Elapsed - start;
                    Assert.Equal(message, back);
                }
            });
            Assert.True(sim.RunUntilCompleted(run, Limit));
            run.GetAwaiter().GetResult();
            Assert.Equal(TimeSpan.FromMilliseconds(80), connected);
            Assert.Equal(TimeSpan.FromMilliseconds(80), echoed);
            Assert.Equal($"{server.HostAddress}:{port}", remote);
            Assert.StartsWith(client.HostAddress + ":", local);
        }

        [Fact]
        public void A_megabyte_at_100_KB_per_second_takes_ten_seconds_plus_latency()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(50), BandwidthBytesPerSecond = 100_000 });
            var sender = sim.AddHost("sender");
            var receiver = sim.AddHost("receiver");
            var payload = Pattern(1_000_000, seed: 3);
            TimeSpan receivedAt = default, writeDoneAt = default;
            var receive = sim.Spawn(async () =>
            {
                var listener = await receiver.Transport.ListenAsync(6000);
                using (var c = await listener.AcceptAsync())
                {
                    var data = await ReadExactlyAsync(c.Stream, payload.Length);
                    receivedAt = sim.Elapsed;
                    return data;
                }
            });
            TimeSpan sendStart = default;
            var send = sim.Spawn(async () =>
            {
                using (var c = await sender.Transport.ConnectAsync(receiver.HostAddress, 6000))
                {
                    sendStart = sim.Elapsed;
                    await c.Stream.WriteAsync(payload, 0, payload.Length);
                    writeDoneAt = sim.Elapsed;
                }
            });
            Assert.True(sim.RunUntil(() => receive.IsCompleted && send.IsCompleted, Limit));
            Assert.Equal(payload, receive.Result);
            Assert.Equal(TimeSpan.FromMilliseconds(100), sendStart);
            // The write completes when the link has serialized it (back-pressure); the last byte lands one latency later.
            Assert.Equal(TimeSpan.FromSeconds(10), writeDoneAt - sendStart);
            Assert.Equal(TimeSpan.FromSeconds(10) + TimeSpan.FromMilliseconds(50), receivedAt - sendStart);
        }

        [Fact]
        public void A_large_write_arrives_segment_by_segment()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10), BandwidthBytesPerSecond = 100_000, SegmentSize = 10_000 });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var reads = sim.Spawn(async () =>
            {
                var listener = await b.Transport.ListenAsync(1);
                var c = await a.Transport.ConnectAsync("b", 1);
                var s = await listener.AcceptAsync();
                var start = sim.Elapsed;
                var write = c.Stream.WriteAsync(new byte[50_000], 0, 50_000);
                var log = new System.Collections.Generic.List<string>();
                var buffer = new byte[100_000];
                int total = 0;
                while (total < 50_000)
                {
                    int n = await s.Stream.ReadAsync(buffer, 0, buffer.Length);
                    total += n;
                    log.Add($"{n}@{(sim.Elapsed - start).TotalMilliseconds}");
                }
                await write;
                c.Dispose();
                Assert.Equal(0, await s.Stream.ReadAsync(buffer, 0, buffer.Length));
                Assert.Equal(0, await s.Stream.ReadAsync(buffer, 0, buffer.Length));
                return log;
            });
            Assert.True(sim.RunUntilCompleted(reads, Limit));
            Assert.Equal(new[] { "10000@110", "10000@210", "10000@310", "10000@410", "10000@510" }, reads.Result);
        }

        [Fact]
        public void Flows_on_the_same_link_share_its_bandwidth()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.Zero, BandwidthBytesPerSecond = 100_000 });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var done = sim.Spawn(async () =>
            {
                var listener = await b.Transport.ListenAsync(7000);
                var c1 = await a.Transport.ConnectAsync(b.HostAddress, 7000);
                var c2 = await a.Transport.ConnectAsync(b.HostAddress, 7000);
                var s1 = await listener.AcceptAsync();
                var s2 = await listener.AcceptAsync();
                var start = sim.Elapsed;
                var data = Pattern(200_000);
                var writes = Task.WhenAll(c1.Stream.WriteAsync(data, 0, data.Length), c2.Stream.WriteAsync(data, 0, data.Length));
                await Task.WhenAll(ReadExactlyAsync(s1.Stream, data.Length), ReadExactlyAsync(s2.Stream, data.Length), writes);
                return sim.Elapsed - start;
            });
            Assert.True(sim.RunUntilCompleted(done, Limit));
            Assert.Equal(TimeSpan.FromSeconds(4), done.Result);
        }

        [Fact]
        public void Loss_delays_segments_but_keeps_order_and_content()
        {
            var latency = TimeSpan.FromMilliseconds(20);
            var (lossless, cleanStats) = Transfer(0);
            var (lossy, lossyStats) = Transfer(0.3);
            Assert.Equal(0, cleanStats.Retransmissions);
            Assert.True(lossyStats.Retransmissions > 20, lossyStats.ToString());
            Assert.Equal(200, lossyStats.SegmentsSent);
            Assert.Equal(200_000, lossyStats.BytesSent);
            Assert.True(lossy > lossless, $"lossy {lossy} should exceed lossless {lossless}");
            // Every loss costs whole retransmission timeouts (3 x latency + 200 ms).
            var rto = TimeSpan.FromTicks(3 * latency.Ticks) + TimeSpan.FromMilliseconds(200);
            Assert.Equal(0, (lossy - lossless).Ticks % rto.Ticks);

            (TimeSpan, SimulationStatistics) Transfer(double loss)
            {
                var sim = new Simulation(new SimulationOptions { Seed = 11, Latency = latency, Loss = loss, SegmentSize = 1000 });
                var a = sim.AddHost("a");
                var b = sim.AddHost("b");
                var payload = Pattern(200_000, seed: 9);
                var got = sim.Spawn(async () =>
                {
                    var listener = await b.Transport.ListenAsync(80);
                    var sending = sim.Spawn(async () =>
                    {
                        using (var c = await a.Transport.ConnectAsync("b", 80))
                            for (int offset = 0; offset < payload.Length; offset += 5000)
                                await c.Stream.WriteAsync(payload, offset, 5000);
                    });
                    using (var s = await listener.AcceptAsync())
                        return await ReadToEndAsync(s.Stream);
                });
                Assert.True(sim.RunUntilCompleted(got, Limit));
                Assert.Equal(payload, got.Result);
                return (sim.Elapsed, sim.Statistics);
            }
        }

        [Fact]
        public void Listening_on_a_taken_port_fails_with_PortInUse_and_port_0_picks_free_ports_from_1024()
        {
            var sim = new Simulation();
            var host = sim.AddHost("h");
            var other = sim.AddHost("o");
            var run = sim.Spawn(async () =>
            {
                var first = await host.Transport.ListenAsync(0);
                var second = await host.Transport.ListenAsync(0);
                var fixedPort = await host.Transport.ListenAsync(1026);
                var third = await host.Transport.ListenAsync(0);
                var sameOnOtherHost = await other.Transport.ListenAsync(1026);
                var e = await Assert.ThrowsAsync<PeerException>(() => host.Transport.ListenAsync(1026));
                Assert.Equal(PeerErrorIds.PortInUse, e.ErrorId);
                fixedPort.Dispose();
                var again = await host.Transport.ListenAsync(1026);
                return new[] { first.Port, second.Port, third.Port, again.Port, sameOnOtherHost.Port };
            });
            Assert.True(sim.RunUntilCompleted(run, Limit));
            Assert.Equal(new[] { 1024, 1025, 1027, 1026, 1026 }, run.Result);
            Assert.Equal("10.0.0.1:1024", $"{host.HostAddress}:{run.Result[0]}");
        }

        [Fact]
        public void Connecting_where_nothing_listens_fails_with_PeerUnreachable_after_a_round_trip()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(30) });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var attempt = sim.Spawn(() => a.Transport.ConnectAsync(b.HostAddress, 9999));
            Assert.True(sim.RunUntilCompleted(attempt, Limit));
            var e = Assert.IsType<PeerException>(attempt.Exception.InnerException);
            Assert.Equal(PeerErrorIds.Unreachable, e.ErrorId);
            Assert.Contains("10.0.0.2:9999", e.Message);
            Assert.Equal(TimeSpan.FromMilliseconds(60), sim.Elapsed);

            var nowhere = Assert.Throws<PeerException>(() => sim.Run(() => a.Transport.ConnectAsync("10.9.9.9", 1), Limit));
            Assert.Equal(PeerErrorIds.Unreachable, nowhere.ErrorId);
            Assert.Equal(2, sim.Statistics.ConnectsRefused);
            Assert.Equal(0, sim.Statistics.ConnectionsOpened);
        }

        [Fact]
        public void Closing_one_end_gives_end_of_stream_after_the_data_and_a_later_write_is_reset()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            IConnection client = null, server = null;
            var setup = sim.Spawn(async () =>
            {
                var listener = await b.Transport.ListenAsync(5000);
                client = await a.Transport.ConnectAsync("b", 5000);
                server = await listener.AcceptAsync();
            });
            Assert.True(sim.RunUntilCompleted(setup, Limit));

            var read = sim.Spawn(async () =>
            {
                var bytes = Pattern(3000);
                await server.Stream.WriteAsync(bytes, 0, bytes.Length);
                server.Dispose();
                return await ReadToEndAsync(client.Stream);
            });
            Assert.True(sim.RunUntilCompleted(read, Limit));
            Assert.Equal(Pattern(3000), read.Result);

            // The server end is gone: data sent to it is answered with a reset, as by a TCP stack.
            var write = sim.Spawn(async () =>
            {
                var one = new byte[1];
                await client.Stream.WriteAsync(one, 0, 1);
                await sim.Clock.Delay(TimeSpan.FromSeconds(1));
                await client.Stream.WriteAsync(one, 0, 1);
            });
            Assert.True(sim.RunUntilCompleted(write, Limit));
            Assert.IsType<IOException>(write.Exception.InnerException);
            Assert.Equal(0, a.OpenConnectionCount);
            Assert.Equal(0, b.OpenConnectionCount);
        }

        [Fact]
        public void A_pending_read_and_accept_can_be_cancelled()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var cts = new CancellationTokenSource();
            var run = sim.Spawn(async () =>
            {
                var listener = await b.Transport.ListenAsync(5000);
                var c = await a.Transport.ConnectAsync("b", 5000);
                var s = await listener.AcceptAsync();
                var read = s.Stream.ReadAsync(new byte[10], 0, 10, cts.Token);
                var accept = listener.AcceptAsync(cts.Token);
                sim.Schedule(TimeSpan.FromSeconds(1), cts.Cancel);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accept);
                // The connection still works after a cancelled read.
                await c.Stream.WriteAsync(new byte[] { 42 }, 0, 1);
                var got = await ReadExactlyAsync(s.Stream, 1);
                return got[0];
            });
            Assert.True(sim.RunUntilCompleted(run, Limit));
            Assert.Equal(42, run.Result);
        }

        [Fact]
        public void Per_pair_link_settings_override_the_defaults()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            var a = sim.AddHost("a");
            var far = sim.AddHost("far");
            var near = sim.AddHost("near");
            sim.SetLink(a, far, TimeSpan.FromMilliseconds(150));
            var run = sim.Spawn(async () =>
            {
                await far.Transport.ListenAsync(1);
                await near.Transport.ListenAsync(1);
                var t0 = sim.Elapsed;
                (await a.Transport.ConnectAsync("far", 1)).Dispose();
                var t1 = sim.Elapsed;
                (await a.Transport.ConnectAsync("near", 1)).Dispose();
                return new[] { t1 - t0, sim.Elapsed - t1 };
            });
            Assert.True(sim.RunUntilCompleted(run, Limit));
            Assert.Equal(new[] { TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(20) }, run.Result);
        }

        [Fact]
        public void A_host_reaches_its_own_listener_through_loopback_at_once()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            var run = sim.Spawn(async () =>
            {
                var listener = await a.Transport.ListenAsync(0);
                _ = EchoServerAsync(listener);
                using (var c = await a.Transport.ConnectAsync("127.0.0.1", listener.Port))
                {
                    await c.Stream.WriteAsync(new byte[] { 1, 2, 3 }, 0, 3);
                    return await ReadExactlyAsync(c.Stream, 3);
                }
            });
            Assert.True(sim.RunUntilCompleted(run, Limit));
            Assert.Equal(new byte[] { 1, 2, 3 }, run.Result);
            Assert.Equal(TimeSpan.Zero, sim.Elapsed);
        }
    }
}
