using System;
using System.IO;
using System.Threading;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime.Simulated;
using PSPeer.Engine.Tests.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>A simulated link closed here ends its read loop with the reason it was closed for, and throws nothing to say so.</summary>
    public class GnutellaLinkCloseTests
    {
        [Fact]
        public void Closing_a_waiting_simulated_link_ends_it_with_our_reason_and_no_exception_on_the_loop()
        {
            var (sim, a, _, client, server) = SimulatedStreamHelpers.Pair();
            var link = new GnutellaLink(client, HostPort.Parse("10.0.0.2:6346"), remoteIsUltrapeer: true, outgoing: true,
                new byte[0], 65536, new QueryRateLimiter(a.Clock, 20), new GnutellaCounters());
            int thrownHere = 0;
            int loopThread = Environment.CurrentManagedThreadId;   // the simulation runs on the thread that drives it
            EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs> count = (s, e) =>
            {
                if (Environment.CurrentManagedThreadId == loopThread && (e.Exception is ObjectDisposedException || e.Exception is IOException)) thrownHere++;
            };
            AppDomain.CurrentDomain.FirstChanceException += count;
            try
            {
                var ended = sim.Run(async () =>
                {
                    var run = link.RunToEndAsync((l, m) => { });
                    await System.Threading.Tasks.Task.Yield();
                    link.Close("evicted for a newcomer");
                    return await run;
                }, TimeSpan.FromSeconds(10));
                Assert.Equal("evicted for a newcomer", ended.Reason);
                Assert.False(ended.Malformed);
                Assert.Null(ended.Error);
            }
            finally
            {
                AppDomain.CurrentDomain.FirstChanceException -= count;
            }
            Assert.Equal(0, thrownHere);
            server.Dispose();
        }
    }
}
