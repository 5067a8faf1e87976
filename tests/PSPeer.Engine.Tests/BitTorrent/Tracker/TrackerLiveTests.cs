using System;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Interop;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>The tracker and client over real TCP on loopback, and curl as an independent HTTP client.</summary>
    public class TrackerLiveTests
    {
        static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
        static readonly LiveRuntime Live = LiveRuntime.Loopback;

        [Fact]
        public async Task Two_clients_find_each_other_and_scrape_counts_them()
        {
            var tracker = new BitTorrentTracker(Live, "tracker", 0);
            await tracker.StartAsync().WaitAsync(Step);
            try
            {
                Assert.StartsWith("http://127.0.0.1:", tracker.AnnounceUrl);
                Assert.EndsWith("/announce", tracker.AnnounceUrl);
                var hash = TrackerWorld.Hash(3);
                var client = new TrackerClient(Live);
                await client.AnnounceAsync(tracker.AnnounceUrl, TrackerWorld.Request(hash, "seed", 50001, left: 0)).WaitAsync(Step);
                var answer = await client.AnnounceAsync(tracker.AnnounceUrl, TrackerWorld.Request(hash, "leech", 50002, left: 9, compact: false)).WaitAsync(Step);
                var peer = Assert.Single(answer.Peers);
                Assert.Equal("127.0.0.1:50001", peer.EndPoint.ToString());
                Assert.Equal(TrackerWorld.PeerId("seed"), peer.PeerId);

                var scrape = Assert.Single(await client.ScrapeAsync(tracker.AnnounceUrl, new[] { hash }).WaitAsync(Step));
                Assert.Equal((1, 1), (scrape.Complete, scrape.Incomplete));
            }
            finally { await tracker.StopAsync().WaitAsync(Step); }
        }

        [InteropFact("curl")]
        public async Task Curl_announces_with_a_binary_info_hash_and_gets_bencode_back()
        {
            var tracker = new BitTorrentTracker(Live, "tracker", 0);
            await tracker.StartAsync().WaitAsync(Step);
            try
            {
                // Bytes that need escaping (0x00, '&', '=', '%', '+', 0xFF) must arrive intact.
                var raw = new byte[] { 0, (byte)'&', (byte)'=', (byte)'%', (byte)'+', 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
                var hash = new InfoHash(raw);
                string url = tracker.AnnounceUrl + "?info_hash=" + PSPeer.Engine.Content.UrlPath.EncodeBytes(raw) + "&peer_id=-CU0000-curlcurlcurl&port=6881&left=0&compact=1";
                var result = await ExternalTool.RunAsync("curl", "-s", "-f", url);
                Assert.True(result.ExitCode == 0, result.ToString());
                Assert.StartsWith("d8:completei1e10:downloadedi0e10:incompletei0e8:intervali600e12:min intervali30e5:peers0:e", result.StandardOutput);
                var swarm = tracker.GetSwarm(hash);
                Assert.NotNull(swarm);
                Assert.Equal(1, swarm.Complete);
            }
            finally { await tracker.StopAsync().WaitAsync(Step); }
        }

        [Fact]
        public async Task Stopping_the_tracker_frees_its_port()
        {
            var tracker = new BitTorrentTracker(Live, "tracker", 0);
            await tracker.StartAsync().WaitAsync(Step);
            int port = HostPort.Parse(tracker.EndPoint).Port;
            await tracker.StopAsync().WaitAsync(Step);
            var e = await Assert.ThrowsAsync<PeerException>(() => new TrackerClient(Live).AnnounceAsync(
                $"http://127.0.0.1:{port}/announce", TrackerWorld.Request(TrackerWorld.Hash(1), "x", 1)).WaitAsync(Step));
            Assert.Equal(PeerErrorIds.TrackerUnreachable, e.ErrorId);
        }
    }
}
