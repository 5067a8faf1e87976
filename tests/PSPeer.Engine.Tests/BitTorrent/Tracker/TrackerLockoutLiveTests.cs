using System;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Support;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>
    /// The honest tracker over real TCP, where the address is the socket's: announces come from source-bound sockets on
    /// 127.0.0.2 and up, the honest client from 127.0.0.1.
    /// </summary>
    public class TrackerLockoutLiveTests
    {
        static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
        static readonly LiveRuntime Live = LiveRuntime.Loopback;
        static readonly InfoHash Real = TrackerWorld.Hash(5);

        [Theory]
        [InlineData(false, "127.0.0.3:6881")]
        [InlineData(true, "8.8.8.8:6881")]
        public async Task An_announce_naming_ip_8_8_8_8_is_listed_at_its_socket_address_unless_allowed(bool allow, string listed)
        {
            var tracker = new BitTorrentTracker(Live, "tracker", 0, new TrackerOptions { AllowClientAddress = allow });
            await tracker.StartAsync().WaitAsync(Step);
            try
            {
                var at = HostPort.Parse(tracker.EndPoint);
                using (var liar = TrackerFlooder.Over(await SourceBoundConnection.ConnectAsync("127.0.0.3", at).WaitAsync(Step), at))
                {
                    var request = TrackerWorld.Request(Real, "liar", 6881, left: 0);
                    request.IP = "8.8.8.8";
                    await liar.FloodAsync(1, _ => request).WaitAsync(Step);
                    Assert.Equal(0, liar.Refused);
                }
                var answer = await new TrackerClient(Live).AnnounceAsync(tracker.AnnounceUrl, TrackerWorld.Request(Real, "honest", 7000)).WaitAsync(Step);
                Assert.Equal(listed, Assert.Single(answer.Peers).EndPoint.ToString());
            }
            finally { await tracker.StopAsync().WaitAsync(Step); }
        }

        [Fact]
        public async Task Fake_peers_from_two_addresses_stay_within_their_quota_and_the_seeder_is_in_every_answer()
        {
            var tracker = new BitTorrentTracker(Live, "tracker", 0);
            await tracker.StartAsync().WaitAsync(Step);
            try
            {
                var at = HostPort.Parse(tracker.EndPoint);
                var client = new TrackerClient(Live);
                await client.AnnounceAsync(tracker.AnnounceUrl, TrackerWorld.Request(Real, "seeder", 6881, left: 0)).WaitAsync(Step);
                var flooders = await Task.WhenAll(new[] { "127.0.0.2", "127.0.0.4" }.Select(async (source, a) =>
                {
                    var f = TrackerFlooder.Over(await SourceBoundConnection.ConnectAsync(source, at), at);
                    await f.FloodAsync(1_000, i => new AnnounceRequest
                    {
                        InfoHash = Real, PeerId = TrackerFlooder.FakeId(a, i), Port = 10_000 + i, Left = 5, Event = AnnounceEvent.Started, NumWant = 0,
                    });
                    return f;
                })).WaitAsync(Step);
                int quota = tracker.Options.MaxPeersPerAddressPerSwarm;
                Assert.All(flooders, f => Assert.Equal(1_000 - quota, f.Refused));
                foreach (var f in flooders) f.Dispose();
                var swarm = tracker.GetSwarm(Real);
                Assert.Equal((1, 2 * quota), (swarm.Complete, swarm.Incomplete));

                for (int i = 0; i < 5; i++)
                {
                    var answer = await client.AnnounceAsync(tracker.AnnounceUrl,
                        TrackerWorld.Request(Real, "honest", 7000, numWant: 10, ev: i == 0 ? AnnounceEvent.Started : AnnounceEvent.None)).WaitAsync(Step);
                    Assert.Contains(answer.Peers, p => p.EndPoint.ToString() == "127.0.0.1:6881");
                }
            }
            finally { await tracker.StopAsync().WaitAsync(Step); }
        }
    }
}
