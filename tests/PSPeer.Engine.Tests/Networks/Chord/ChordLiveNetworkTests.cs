using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Networks.Chord;
using Xunit;
using Xunit.Abstractions;

namespace PSPeer.Engine.Tests.Networks.Chord
{
    /// <summary>
    /// A live ring on loopback addresses (127.0.x.y, each node on any free UDP port): lookups find the live successor,
    /// and after half the hosts are killed (no goodbye) the ring stabilizes and lookups find the live successor again.
    /// </summary>
    public class ChordLiveNetworkTests
    {
        readonly ITestOutputHelper _output;
        public ChordLiveNetworkTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public async Task A_live_ring_on_loopback_addresses_survives_losing_half_its_hosts()
        {
            var ring = await ChordNetwork.CreateLiveAsync(new ChordNetworkOptions
            {
                Count = 24, Simulated = false, Replicas = 2, Seed = 3,
                StabilizeInterval = TimeSpan.FromMilliseconds(200), FixFingersInterval = TimeSpan.FromMilliseconds(200),
                CheckPredecessorInterval = TimeSpan.FromMilliseconds(200), RpcTimeout = TimeSpan.FromMilliseconds(300),
            });
            try
            {
                Assert.NotEqual(ring.ContactOf(0).EndPoint.Address, ring.ContactOf(1).EndPoint.Address);
                Assert.True(ring.RingIsConverged());
                Assert.Equal(0, ring.RunLookups(200, ChordLookupMode.Iterative, concurrency: 8, limit: TimeSpan.FromSeconds(60)));
                Assert.Equal(0, ring.RunLookups(100, ChordLookupMode.Recursive, concurrency: 8, limit: TimeSpan.FromSeconds(60)));
                _output.WriteLine("before: " + ring.Measure());

                Assert.Equal(12, ring.FailFraction(0.5));
                var clock = Stopwatch.StartNew();
                while (!ring.RingIsConverged() && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100);
                _output.WriteLine($"converged {ring.RingIsConverged()} after {clock.Elapsed.TotalSeconds:0.0} s");
                Assert.True(ring.RingIsConverged(), "the ring did not stabilize within 30 s after losing half its hosts");
                ring.ResetMeasurement();
                Assert.Equal(0, ring.RunLookups(200, ChordLookupMode.Iterative, concurrency: 8, limit: TimeSpan.FromSeconds(60)));
                var after = ring.Measure();
                _output.WriteLine("after: " + after);
                Assert.Equal(12, after.Nodes);
                Assert.Equal(200, after.Lookups);
            }
            finally
            {
                ring.Dispose();
            }
        }
    }
}
