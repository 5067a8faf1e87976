using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Content;
using PSPeer.Engine.Tests.Interop;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>
    /// BEP 15 with real clients on loopback: aria2 and libtorrent announce over UDP to PSPeer's tracker and download
    /// from a PSPeer seeder they find there (the seeder announces over UDP too); PSPeer announces over UDP to
    /// opentracker and downloads from aria2 or libtorrent found there. Every byte is compared.
    /// </summary>
    [Collection(HeavySwarmCollection.Name)]
    public class UdpTrackerSwarmInteropTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
        static readonly LiveRuntime Live = LiveRuntime.Loopback;
        const int Size = 2 * 1024 * 1024 + 4321;

        [InteropFact("aria2c")]
        public Task Aria2_announces_over_udp_to_the_PSPeer_tracker_and_downloads_from_a_PSPeer_seeder() =>
            ToolLeechesFromPSPeerAsync("aria2", 31, (torrent, dir) => Aria2.Download(torrent, dir, LoopbackPorts.Free(), Aria2UdpArgs()));

        [InteropFact(Libtorrent.ToolName)]
        public Task Libtorrent_announces_over_udp_to_the_PSPeer_tracker_and_downloads_from_a_PSPeer_seeder() =>
            ToolLeechesFromPSPeerAsync("libtorrent", 32, (torrent, dir) => Libtorrent.Download(torrent, dir, LoopbackPorts.Free()));

        // aria2 speaks BEP 15 from its DHT socket: DHT on (with no node to bootstrap from, it stays alone on loopback).
        static string[] Aria2UdpArgs() => new[] { "--enable-dht=true", "--dht-listen-port=" + LoopbackPorts.Free() };

        static async Task ToolLeechesFromPSPeerAsync(string tool, int seed, Func<string, string, ToolProcess> startLeecher)
        {
            var tracker = new BitTorrentTracker(Live, "tracker", 0, new TrackerOptions { Interval = TimeSpan.FromSeconds(2), MinInterval = null });
            await tracker.StartAsync().WaitAsync(Limit);
            using (var folder = new InteropFolder(tool + "-udp-leech"))
            {
                var content = TempFolder.RandomBytes(Size, seed);
                folder.Write("seed/payload.bin", content);
                var torrent = TestTorrent.Make("payload.bin", content, 256 * 1024, tracker.UdpAnnounceUrl);
                string torrentPath = folder.Write("payload.torrent", torrent.ToBytes());
                var seeder = new BitTorrentPeer(Live, "seed", torrent, folder.File("seed"));
                var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
                seeder.Events.Subscribe(e => log.Enqueue(e.ToString()));
                tracker.Events.Subscribe(e => log.Enqueue(e.ToString()));
                ToolProcess leecher = null;
                try
                {
                    await seeder.StartAsync().WaitAsync(Limit);
                    Directory.CreateDirectory(folder.File("tool"));
                    leecher = startLeecher(torrentPath, folder.File("tool"));
                    Assert.True(await leecher.WaitForExitAsync(Limit), $"{tool} did not finish:\n" + string.Join("\n", log) + "\n" + leecher.Output);
                    Assert.True(leecher.ExitCode == 0, $"{tool} failed:\n" + leecher.Output);
                    Assert.Equal(content, File.ReadAllBytes(folder.File("tool/payload.bin")));
                    Assert.True(seeder.Uploaded >= Size, $"the seeder uploaded {seeder.Uploaded} bytes");
                    // Both the seeder and the tool reached the tracker over UDP (nothing else announces in this test).
                    Assert.Contains(log, l => l.Contains("udp started") && l.Contains(":" + seeder.EndPoint.Split(':').Last()));
                    Assert.True(log.Count(l => l.Contains("udp started")) >= 2, string.Join("\n", log));
                }
                finally
                {
                    leecher?.Dispose();
                    await seeder.StopAsync();
                    await tracker.StopAsync();
                }
            }
        }

        [InteropFact("aria2c", "opentracker")]
        public Task PSPeer_announces_over_udp_to_opentracker_and_downloads_from_aria2() =>
            LeechFromToolSeederAsync("aria2", 33, (torrentPath, directory, port) => Aria2.Seed(torrentPath, directory, port, Aria2UdpArgs()));

        [InteropFact(Libtorrent.ToolName, "opentracker")]
        public Task PSPeer_announces_over_udp_to_opentracker_and_downloads_from_libtorrent() =>
            LeechFromToolSeederAsync("libtorrent", 34, (torrentPath, directory, port) => Libtorrent.Seed(torrentPath, directory, port));

        // The HTTP interop flow (SwarmInteropTests) with opentracker's UDP announce URL: the leecher must also have
        // announced over UDP.
        static Task LeechFromToolSeederAsync(string tool, int seed, Func<string, string, int, ToolProcess> startSeeder) =>
            SwarmInteropTests.LeechFromToolSeederAsync(tool + "-udp-seed", seed, Size, startSeeder, tracker => tracker.UdpAnnounceUrl,
                log => Assert.Contains(log, l => l.Contains("udp://") && l.Contains("announced Started")));
    }
}
