using System;
using System.Threading;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// A simulated dial keeps a cancellation and a NAT crossing only when it has them: a dial with a token that cannot be
    /// cancelled, between hosts without a NAT, is one small object; one whose token is cancelled still ends cancelled by
    /// that token.
    /// </summary>
    public class ConnectAttemptSizeTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

        [Fact]
        public void A_plain_dial_is_one_attempt_of_at_most_144_bytes()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var transport = (IValueConnectTransport)a.Transport;
            // The scheduler's queue grows, and the JIT runs, before anything is measured.
            for (int i = 0; i < 3000; i++) transport.ConnectValueAsync(b.HostAddress, 7000);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) transport.ConnectValueAsync(b.HostAddress, 7000);
            long perDial = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
            Assert.True(perDial <= 144, $"{perDial} bytes per dial");
        }

        [Fact]
        public void A_dial_cancelled_by_its_token_ends_with_that_token()
        {
            var sim = new Simulation();
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var transport = (IValueConnectTransport)a.Transport;
            using (var cts = new CancellationTokenSource())
            {
                var token = sim.Run(async () =>
                {
                    await b.Transport.ListenAsync(7001);
                    var dialling = transport.ConnectValueAsync(b.HostAddress, 7001, cts.Token).AsTask();
                    cts.Cancel();
                    try { await dialling; return CancellationToken.None; }
                    catch (OperationCanceledException e) { return e.CancellationToken; }
                }, Limit);
                Assert.Equal(cts.Token, token);
            }
        }
    }
}
