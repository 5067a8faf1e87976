using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Interop;
using Xunit;
using PSPeer.Engine.Tests.Content;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>PSPeer's tracker and tracker client against real BitTorrent software.</summary>
    public class TrackerInteropTests
    {
        static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
        static readonly LiveRuntime Live = LiveRuntime.Loopback;

        [InteropFact("opentracker")]
        public async Task TrackerClient_announces_to_opentracker_and_sees_another_announcer()
        {
            var hash = TrackerWorld.Hash(11);
            using var tracker = await OpenTracker.StartAsync(hash.Hex);
            var client = new TrackerClient(Live);
            var first = await client.AnnounceAsync(tracker.AnnounceUrl, TrackerWorld.Request(hash, "one", 40001, left: 0)).WaitAsync(Step);
            Assert.True(first.Interval > TimeSpan.Zero);
            var second = await client.AnnounceAsync(tracker.AnnounceUrl, TrackerWorld.Request(hash, "two", 40002, left: 100)).WaitAsync(Step);
            // opentracker also lists the asker itself; the other announcer must be there.
            Assert.Contains(second.Peers, p => p.EndPoint.ToString() == "127.0.0.1:40001");
            Assert.Equal(1, second.Complete);
            Assert.Equal(1, second.Incomplete);

            var scrape = Assert.Single(await client.ScrapeAsync(tracker.AnnounceUrl, new[] { hash }).WaitAsync(Step));
            Assert.Equal(hash, scrape.InfoHash);
            Assert.Equal((1, 1), (scrape.Complete, scrape.Incomplete));

            // A hash not on its whitelist gets opentracker's failure reason, as TrackerFailure.
            var e = await Assert.ThrowsAsync<PeerException>(() => client.AnnounceAsync(tracker.AnnounceUrl, TrackerWorld.Request(TrackerWorld.Hash(12), "one", 40001)).WaitAsync(Step));
            Assert.Equal(PeerErrorIds.TrackerFailure, e.ErrorId);
            Assert.Contains("not authorized", e.Message);
        }

        [InteropFact("aria2c", "mktorrent")]
        public async Task Aria2_seeding_announces_to_the_PSPeer_tracker_and_is_counted_as_a_seeder()
        {
            var tracker = new BitTorrentTracker(Live, "tracker", 0);
            await tracker.StartAsync().WaitAsync(Step);
            using var folder = new InteropFolder("aria2-seed");
            ToolProcess aria = null;
            try
            {
                string file = folder.Write("seed/payload.bin", TempFolder.RandomBytes(200_000, 4));
                string torrent = folder.File("payload.torrent");
                await Mktorrent.CreateAsync(file, torrent, tracker.AnnounceUrl, 15);
                string hashHex = await Libtorrent_or_null(torrent);
                aria = Aria2.Seed(torrent, Path.GetDirectoryName(file), LoopbackPorts.Free());

                var swarm = await WaitForSeederAsync(() => tracker.GetSwarms().FirstOrDefault(s => s.Complete == 1), aria, "aria2c");
                if (hashHex != null) Assert.Equal(hashHex, swarm.InfoHash.Hex);

                var scraped = Assert.Single(await new TrackerClient(Live).ScrapeAsync(tracker.AnnounceUrl, new[] { swarm.InfoHash }).WaitAsync(Step));
                Assert.Equal((1, 0), (scraped.Complete, scraped.Incomplete));

                // A leecher announcing to the same swarm is handed aria2's listening address.
                var answer = await new TrackerClient(Live).AnnounceAsync(tracker.AnnounceUrl,
                    TrackerWorld.Request(swarm.InfoHash, "leech", 40010, left: 200_000)).WaitAsync(Step);
                Assert.Single(answer.Peers);
                Assert.Equal("127.0.0.1", answer.Peers[0].EndPoint.Host);
            }
            finally
            {
                aria?.Dispose();
                await tracker.StopAsync().WaitAsync(Step);
            }
        }

        // Real clients announce a few seconds after they start (they check their data first): poll the tracker until
        // the swarm that find returns counts a seeder, failing early if the tool died.
        static async Task<ScrapeEntry> WaitForSeederAsync(Func<ScrapeEntry> find, ToolProcess tool, string name)
        {
            for (int i = 0; i < 300; i++)
            {
                var swarm = find();
                if (swarm != null && swarm.Complete > 0) return swarm;
                Assert.False(tool.HasExited, name + " exited:\n" + tool.Output);
                await Task.Delay(100);
            }
            throw new Xunit.Sdk.XunitException(name + " never announced as a seeder:\n" + tool.Output);
        }

        // The info-hash as libtorrent computes it, when libtorrent is installed (an independent check of the swarm key).
        static async Task<string> Libtorrent_or_null(string torrent) =>
            ExternalTool.Find(Libtorrent.ToolName) == null ? null : await Libtorrent.InfoHashAsync(torrent);

        [InteropFact("mktorrent", Libtorrent.ToolName)]
        public async Task Libtorrent_seeding_announces_to_the_PSPeer_tracker()
        {
            var tracker = new BitTorrentTracker(Live, "tracker", 0);
            await tracker.StartAsync().WaitAsync(Step);
            using var folder = new InteropFolder("lt-seed");
            ToolProcess lt = null;
            try
            {
                string file = folder.Write("seed/payload.bin", TempFolder.RandomBytes(100_000, 5));
                string torrent = folder.File("payload.torrent");
                await Mktorrent.CreateAsync(file, torrent, tracker.AnnounceUrl, 15);
                var hash = InfoHash.Parse(await Libtorrent.InfoHashAsync(torrent));
                int port = LoopbackPorts.Free();
                lt = Libtorrent.Seed(torrent, Path.GetDirectoryName(file), port);

                var swarm = await WaitForSeederAsync(() => tracker.GetSwarm(hash), lt, "libtorrent");
                Assert.Equal(1, swarm.Complete);
                var answer = await new TrackerClient(Live).AnnounceAsync(tracker.AnnounceUrl, TrackerWorld.Request(hash, "leech", 40011, left: 1)).WaitAsync(Step);
                Assert.Equal($"127.0.0.1:{port}", Assert.Single(answer.Peers).EndPoint.ToString());
            }
            finally
            {
                lt?.Dispose();
                await tracker.StopAsync().WaitAsync(Step);
            }
        }

        [InteropFact("aria2c", "mktorrent", Libtorrent.ToolName)]
        public async Task Aria2_downloads_from_a_libtorrent_seeder_it_found_through_the_PSPeer_tracker()
        {
            var tracker = new BitTorrentTracker(Live, "tracker", 0);
            await tracker.StartAsync().WaitAsync(Step);
            var announces = new System.Collections.Concurrent.ConcurrentQueue<string>();
            tracker.Events.Subscribe(e => { if (e.Type == PeerEventTypes.TrackerAnnounce) announces.Enqueue(e.Message); });
            using var folder = new InteropFolder("tracker-e2e");
            ToolProcess seeder = null, leecher = null;
            try
            {
                var data = TempFolder.RandomBytes(600_000, 6);
                string file = folder.Write("seed/payload.bin", data);
                string torrent = folder.File("payload.torrent");
                await Mktorrent.CreateAsync(file, torrent, tracker.AnnounceUrl, 16);
                var hash = InfoHash.Parse(await Libtorrent.InfoHashAsync(torrent));
                seeder = Libtorrent.Seed(torrent, Path.GetDirectoryName(file), LoopbackPorts.Free());
                Assert.Equal(1, (await WaitForSeederAsync(() => tracker.GetSwarm(hash), seeder, "libtorrent")).Complete);

                string downloaded = folder.File("down/payload.bin");
                leecher = Aria2.Download(torrent, Path.GetDirectoryName(downloaded), LoopbackPorts.Free());
                Assert.True(await leecher.WaitForExitAsync(TimeSpan.FromSeconds(90)), "aria2c did not finish:\n" + leecher.Output + seeder.Output);
                Assert.True(leecher.ExitCode == 0, "aria2c failed:\n" + leecher.Output);
                Assert.Equal(data, File.ReadAllBytes(downloaded));

                // aria2 said "completed" (one download) and then "stopped" as it exited.
                var scraped = Assert.Single(await new TrackerClient(Live).ScrapeAsync(tracker.AnnounceUrl, new[] { hash }).WaitAsync(Step));
                Assert.True((1, 0, 1) == (scraped.Complete, scraped.Incomplete, scraped.Downloaded),
                    $"scrape {scraped.Complete}/{scraped.Incomplete}/{scraped.Downloaded}; announces:\n" + string.Join("\n", announces));
            }
            finally
            {
                leecher?.Dispose();
                seeder?.Dispose();
                await tracker.StopAsync().WaitAsync(Step);
            }
        }
    }
}
