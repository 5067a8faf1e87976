// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// Accepting and dialling by value (no task per connection): they end as AcceptAsync and ConnectAsync do — a
    /// connection, a refusal, a cancellation, a closed listener — and their waiters resume inside the event that ends
    /// them, as a task's would.
    /// </summary>
    public class SimulatedValueAcceptAndDialTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

        [Fact]
        public void A_dial_and_an_accept_by_value_meet_after_a_round_trip()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var result = sim.Run(async () =>
            {
                var listener = (IValueAcceptListener)await b.Transport.ListenAsync(7000);
                var accepting = listener.AcceptValueAsync(CancellationToken.None).AsTask();
                var client = await ((IValueConnectTransport)a.Transport).ConnectValueAsync(b.HostAddress, 7000);
                var server = await accepting;
                var bytes = new byte[] { 1, 2, 3 };
                await client.Stream.WriteAsync(bytes, 0, 3);
                var got = await SimulatedStreamHelpers.ReadExactlyAsync(server.Stream, 3);
                return (sim.Elapsed, got, remote: server.RemoteEndPoint);
            }, Limit);
            Assert.Equal(TimeSpan.FromMilliseconds(30), result.Elapsed);   // SYN, answer, then the bytes
            Assert.Equal(new byte[] { 1, 2, 3 }, result.got);
            Assert.StartsWith(a.HostAddress + ":", result.remote);
        }

        [Fact]
        public void A_dial_by_value_to_nothing_is_refused_and_one_cancelled_ends_as_cancelled()
        {
            var sim = new Simulation(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var transport = (IValueConnectTransport)a.Transport;
            var refused = sim.Run(async () =>
            {
                try { await transport.ConnectValueAsync(b.HostAddress, 7000); return null; }
                catch (PeerException e) { return e.ErrorId; }
            }, Limit);
            Assert.Equal(PeerErrorIds.Unreachable, refused);

            var cancelled = sim.Run(async () =>
            {
                await b.Transport.ListenAsync(7001);
                using (var cts = new CancellationTokenSource())
                {
                    var dialling = transport.ConnectValueAsync(b.HostAddress, 7001, cts.Token).AsTask();
                    cts.Cancel();
                    try { await dialling; return false; }
                    catch (OperationCanceledException) { return true; }
                }
            }, Limit);
            Assert.True(cancelled);
        }

        [Fact]
        public void An_accept_by_value_ends_when_its_token_is_cancelled_or_the_listener_closes()
        {
            var sim = new Simulation();
            var b = sim.AddHost("b");
            var outcome = sim.Run(async () =>
            {
                var listener = await b.Transport.ListenAsync(7000);
                var byValue = (IValueAcceptListener)listener;
                using (var cts = new CancellationTokenSource())
                {
                    var waiting = byValue.AcceptValueAsync(cts.Token).AsTask();
                    cts.Cancel();
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
                }
                var again = byValue.AcceptValueAsync(CancellationToken.None).AsTask();
                listener.Dispose();
                await Assert.ThrowsAsync<ObjectDisposedException>(() => again);
                return true;
            }, Limit);
            Assert.True(outcome);
        }
    }
}
