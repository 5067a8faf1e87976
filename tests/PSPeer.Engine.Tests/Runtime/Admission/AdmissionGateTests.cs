using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Support;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Admission
{
    /// <summary>The gate alone, on live loopback sockets, in front of a toy protocol: "HELLO" is its handshake.</summary>
    public class AdmissionGateTests
    {
        static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

        sealed class ToyServer : IAsyncDisposable
        {
            readonly CancellationTokenSource _stop = new CancellationTokenSource();
            readonly IListener _listener;
            readonly Task _loop;
            public readonly ConcurrentQueue<(string type, string remote, string reason)> Events = new ConcurrentQueue<(string, string, string)>();
            public readonly AdmissionGate Gate;
            public int Hellos;

            ToyServer(IListener listener, ConnectionLimits limits)
            {
                _listener = listener;
                Gate = new AdmissionGate(LiveRuntime.Loopback, () => limits,
                    (type, remote, message, data) => Events.Enqueue((type, remote, (string)data.First(d => d.Key == "Reason").Value)));
                _loop = Gate.RunAsync(listener, c => { _ = ServeAsync(c); }, _stop.Token);
            }

            public static async Task<ToyServer> StartAsync(ConnectionLimits limits) =>
                new ToyServer(await LiveRuntime.Loopback.Transport.ListenAsync(0), limits);

            public string EndPoint => _listener.EndPoint;

            async Task ServeAsync(IConnection c)
            {
                var buffer = new byte[64];
                int got = 0;
                try
                {
                    while (true)
                    {
                        int n = await c.Stream.ReadAsync(buffer, got, buffer.Length - got);
                        if (n <= 0) break;
                        got += n;
                        if (got >= 5 && Encoding.ASCII.GetString(buffer, 0, 5) == "HELLO" && c.IsBeforeHandshake())
                        {
                            c.MarkEstablished();
                            Interlocked.Increment(ref Hellos);
                            await c.Stream.WriteAsync(Encoding.ASCII.GetBytes("WELCOME"), 0, 7);
                        }
                        if (got == buffer.Length) got = 5;
                    }
                }
                catch (Exception) { }
                finally { c.Dispose(); }
            }

            public async ValueTask DisposeAsync()
            {
                _stop.Cancel();
                _listener.Dispose();
                try { await _loop.WaitAsync(Step); } catch (Exception) { }
            }
        }

        static async Task<bool> HelloAsync(string source, string target)
        {
            using var s = await LoopbackAttacker.ConnectAsync(source, target);
            s.Send(Encoding.ASCII.GetBytes("HELLO"));
            var buffer = new byte[7];
            s.ReceiveTimeout = 5000;
            try { return s.Receive(buffer) > 0 && Encoding.ASCII.GetString(buffer) == "WELCOME"; }
            catch (SocketException) { return false; }
        }

        [Fact]
        public async Task One_address_gets_its_quota_and_the_rest_are_refused_with_an_event()
        {
            await using var server = await ToyServer.StartAsync(new ConnectionLimits { MaxConnections = 100, MaxConnectionsPerAddress = 5 });
            using var attacker = new LoopbackAttacker();
            await attacker.OpenAsync("127.0.0.2", server.EndPoint, 30);
            await Poll.UntilAsync(() => server.Gate.RefusedCount >= 25, "25 refusals");
            await Poll.UntilAsync(() => attacker.CountHeld() == 5, "the attacker to hold exactly its 5");
            Assert.Equal(5, server.Gate.OpenCount);
            var refusal = server.Events.First(e => e.type == PeerEventTypes.ConnectionRefused);
            Assert.StartsWith("127.0.0.2:", refusal.remote);
            Assert.Contains("most one address may hold (5)", refusal.reason);
            Assert.True(await HelloAsync("127.0.0.9", server.EndPoint), "an honest client from another address is served");
        }

        [Fact]
        public async Task A_full_node_evicts_its_oldest_idle_stranger_for_a_newcomer_but_never_an_established_connection()
        {
            await using var server = await ToyServer.StartAsync(new ConnectionLimits { MaxConnections = 10, MaxConnectionsPerAddress = 10 });
            var established = await LoopbackAttacker.ConnectAsync("127.0.0.8", server.EndPoint);
            established.Send(Encoding.ASCII.GetBytes("HELLO"));
            await Poll.UntilAsync(() => server.Hellos == 1, "the first client's handshake");
            using var attacker = new LoopbackAttacker();
            foreach (var source in new[] { "127.0.0.2", "127.0.0.3", "127.0.0.4" })
                await attacker.OpenAsync(source, server.EndPoint, 10);
            await Poll.UntilAsync(() => server.Gate.OpenCount == 10 && server.Gate.PendingCount == 9, "a full node");
            Assert.True(await HelloAsync("127.0.0.9", server.EndPoint), "a newcomer gets in by evicting an idle stranger");
            Assert.True(LoopbackAttacker.IsHeld(established), "the established connection was kept");
            Assert.Contains(server.Events, e => e.type == PeerEventTypes.ConnectionRefused && e.reason == "evicted before handshake");
            established.Dispose();
        }

        [Fact]
        public async Task A_node_full_of_established_connections_refuses_the_newcomer()
        {
            await using var server = await ToyServer.StartAsync(new ConnectionLimits { MaxConnections = 3, MaxConnectionsPerAddress = 3 });
            var held = new List<Socket>();
            for (int i = 0; i < 3; i++)
            {
                var s = await LoopbackAttacker.ConnectAsync("127.0.0." + (2 + i), server.EndPoint);
                s.Send(Encoding.ASCII.GetBytes("HELLO"));
                held.Add(s);
            }
            await Poll.UntilAsync(() => server.Hellos == 3, "three handshakes");
            Assert.False(await HelloAsync("127.0.0.9", server.EndPoint));
            Assert.Contains(server.Events, e => e.type == PeerEventTypes.ConnectionRefused && e.reason.Contains("all past their handshake"));
            foreach (var s in held) s.Dispose();
        }

        [Fact]
        public async Task A_one_byte_per_second_sender_is_cut_at_the_handshake_deadline()
        {
            await using var server = await ToyServer.StartAsync(new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(1.5) });
            using var slow = await LoopbackAttacker.ConnectAsync("127.0.0.2", server.EndPoint);
            // "HXXXX..." never completes HELLO; each byte on its own would reset an idle timer, but not this deadline.
            int sent = await LoopbackAttacker.TrickleUntilCutAsync(slow, Encoding.ASCII.GetBytes("HXXXXXXXXXXXXXXXXXXX"), TimeSpan.FromMilliseconds(250), Step);
            Assert.InRange(sent, 1, 20);
            await Poll.UntilAsync(() => server.Gate.OpenCount == 0, "the slot to be given back");
            Assert.Contains(server.Events, e => e.type == PeerEventTypes.ConnectionTimedOut && e.remote.StartsWith("127.0.0.2:"));
            Assert.Equal(1, server.Gate.TimedOutCount);
        }

        [Fact]
        public async Task A_descriptor_budget_is_shared_by_two_nodes_and_never_overdrawn()
        {
            var budget = new DescriptorBudget(12);
            var limits = new ConnectionLimits { MaxConnections = 100, MaxConnectionsPerAddress = 100, DescriptorBudget = budget };
            await using var a = await ToyServer.StartAsync(limits);
            await using var b = await ToyServer.StartAsync(limits);
            using var attacker = new LoopbackAttacker();
            await attacker.OpenAsync("127.0.0.2", a.EndPoint, 10);
            await attacker.OpenAsync("127.0.0.3", b.EndPoint, 10);
            // b finds the budget spent after two: it refuses, or closes its own oldest idle stranger to make room.
            await Poll.UntilAsync(() => a.Gate.OpenCount + b.Gate.OpenCount == 12 && a.Gate.RefusedCount + b.Gate.RefusedCount == 8, "the budget to be spent");
            Assert.Equal(12, budget.InUse);
            Assert.Equal(10, a.Gate.OpenCount);
            attacker.Dispose();
            await Poll.UntilAsync(() => budget.InUse == 0, "every descriptor to come back when the attacker leaves");
            Assert.True(await HelloAsync("127.0.0.9", a.EndPoint));
        }

        [Fact]
        public async Task With_the_budget_spent_by_established_connections_a_newcomer_is_refused_and_the_process_keeps_its_reserve()
        {
            var budget = new DescriptorBudget(3);
            await using var server = await ToyServer.StartAsync(new ConnectionLimits { DescriptorBudget = budget });
            var held = new List<Socket>();
            for (int i = 0; i < 3; i++)
            {
                var s = await LoopbackAttacker.ConnectAsync("127.0.0." + (2 + i), server.EndPoint);
                s.Send(Encoding.ASCII.GetBytes("HELLO"));
                held.Add(s);
                await Poll.UntilAsync(() => server.Hellos == i + 1, "a handshake");
            }
            Assert.False(await HelloAsync("127.0.0.9", server.EndPoint));
            Assert.Contains(server.Events, e => e.type == PeerEventTypes.ConnectionRefused && e.reason.Contains("descriptor budget is spent"));
            Assert.Equal(3, budget.InUse);
            foreach (var s in held) s.Dispose();
            await Poll.UntilAsync(() => budget.InUse == 0, "the descriptors to come back");
        }
    }
}
