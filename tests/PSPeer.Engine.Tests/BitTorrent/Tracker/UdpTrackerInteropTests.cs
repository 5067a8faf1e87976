using System;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Interop;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>PSPeer's BEP 15 client against opentracker's UDP side.</summary>
    public class UdpTrackerInteropTests
    {
        static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

        [InteropFact("opentracker")]
        public async Task TrackerClient_announces_and_scrapes_over_udp_at_opentracker()
        {
            var hash = TrackerWorld.Hash(21);
            using var tracker = await OpenTracker.StartAsync(hash.Hex);
            var client = new TrackerClient(LiveRuntime.Loopback) { UdpRetransmitBase = TimeSpan.FromSeconds(1), UdpMaxRetransmits = 3 };
            var first = await client.AnnounceAsync(tracker.UdpAnnounceUrl, TrackerWorld.Request(hash, "one", 40011, left: 0)).WaitAsync(Step);
            Assert.True(first.Interval > TimeSpan.Zero);
            var second = await client.AnnounceAsync(tracker.UdpAnnounceUrl, TrackerWorld.Request(hash, "two", 40012, left: 100)).WaitAsync(Step);
            Assert.Contains(second.Peers, p => p.EndPoint.ToString() == "127.0.0.1:40011");
            Assert.Equal((1, 1), (second.Complete, second.Incomplete));
            var scrape = Assert.Single(await client.ScrapeAsync(tracker.UdpAnnounceUrl, new[] { hash }).WaitAsync(Step));
            Assert.Equal((1, 1), (scrape.Complete, scrape.Incomplete));
        }
    }
}
