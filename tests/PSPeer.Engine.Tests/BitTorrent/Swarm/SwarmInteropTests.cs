using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Interop;
using Xunit;
using PSPeer.Engine.Tests.Content;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>PSPeer's swarm with real clients on loopback: each side downloads from the other, byte-identical.</summary>
    [Collection(HeavySwarmCollection.Name)]
    public class SwarmInteropTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
        static readonly LiveRuntime Live = LiveRuntime.Loopback;
        const int Size = 3 * 1024 * 1024 + 12345;

        [InteropFact("aria2c")]
        public async Task Aria2_downloads_from_a_PSPeer_seeder_found_through_the_PSPeer_tracker()
        {
            var tracker = new BitTorrentTracker(Live, "tracker", 0, new TrackerOptions { Interval = TimeSpan.FromSeconds(2), MinInterval = null });
            await tracker.StartAsync().WaitAsync(Limit);
            using (var folder = new InteropFolder("aria2-leech"))
            {
                var content = TempFolder.RandomBytes(Size, 21);
                folder.Write("seed/payload.bin", content);
                var torrent = TestTorrent.Make("payload.bin", content, 256 * 1024, tracker.AnnounceUrl);
                string torrentPath = folder.Write("payload.torrent", torrent.ToBytes());
                var seeder = new BitTorrentPeer(Live, "seed", torrent, folder.File("seed"));
                var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
                seeder.Events.Subscribe(e => log.Enqueue(e.ToString()));
                ToolProcess aria = null;
                try
                {
                    await seeder.StartAsync().WaitAsync(Limit);
                    System.IO.Directory.CreateDirectory(folder.File("aria"));
                    aria = Aria2.Download(torrentPath, folder.File("aria"), LoopbackPorts.Free());
                    Assert.True(await aria.WaitForExitAsync(Limit), "aria2c did not finish:\n" + string.Join("\n", log) + "\n" + aria.Output);
                    Assert.True(aria.ExitCode == 0, "aria2c failed:\n" + aria.Output);
                    Assert.Equal(content, File.ReadAllBytes(folder.File("aria/payload.bin")));
                    Assert.True(seeder.Uploaded >= Size, $"the seeder uploaded {seeder.Uploaded} bytes");
                    // aria2 opens with an encrypted handshake: its first connection is answered and served, not refused
                    // as a bad handshake (then aria2 would dial again with a plain one a second later).
                    var events = log.ToList();
                    int connected = events.FindIndex(line => line.Contains(PeerEventTypes.PeerConnected));
                    Assert.True(connected >= 0 && !events.Take(connected).Any(line => line.Contains(PeerEventTypes.MalformedMessage)), string.Join("\n", events));
                }
                finally
                {
                    aria?.Dispose();
                    await seeder.StopAsync();
                    await tracker.StopAsync();
                }
            }
        }

        [InteropFact("aria2c", "opentracker")]
        public Task PSPeer_downloads_from_an_aria2_seeder_announced_to_opentracker() =>
            LeechFromToolSeederAsync("aria2", 22, (torrentPath, directory, port) => Aria2.Seed(torrentPath, directory, port));

        [InteropFact(Libtorrent.ToolName, "opentracker")]
        public Task PSPeer_downloads_from_a_libtorrent_seeder_announced_to_opentracker() =>
            LeechFromToolSeederAsync("libtorrent", 23, (torrentPath, directory, port) => Libtorrent.Seed(torrentPath, directory, port));

        // A real client seeds a torrent announced to opentracker; a PSPeer leecher finds it there and must get every byte.
        static Task LeechFromToolSeederAsync(string tool, int seed, Func<string, string, int, ToolProcess> startSeeder) =>
            LeechFromToolSeederAsync(tool + "-seed", seed, Size, startSeeder, tracker => tracker.AnnounceUrl, null);

        // The same flow for any of opentracker's announce URLs (HTTP or UDP) and payload size; checkLog, when given,
        // asserts on the leecher's events once the download is verified.
        internal static async Task LeechFromToolSeederAsync(string folderName, int seed, int size, Func<string, string, int, ToolProcess> startSeeder,
                                                           Func<OpenTracker, string> announceUrl, Action<IReadOnlyCollection<string>> checkLog)
        {
            using (var folder = new InteropFolder(folderName))
            {
                var content = TempFolder.RandomBytes(size, seed);
                string file = folder.Write("seed/payload.bin", content);
                var probe = TestTorrent.Make("payload.bin", content, 256 * 1024);
                using (var tracker = await OpenTracker.StartAsync(probe.InfoHash.Hex))
                {
                    string url = announceUrl(tracker);
                    var torrent = TestTorrent.Make("payload.bin", content, 256 * 1024, url);
                    string torrentPath = folder.Write("payload.torrent", torrent.ToBytes());
                    using (var seeder = startSeeder(torrentPath, Path.GetDirectoryName(file), LoopbackPorts.Free()))
                    {
                        var leecher = new BitTorrentPeer(Live, "leech", torrent, folder.File("pspeer"));
                        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
                        leecher.Events.Subscribe(e => log.Enqueue(e.ToString()));
                        try
                        {
                            await leecher.StartAsync().WaitAsync(Limit);
                            await leecher.WhenCompleted().WaitAsync(Limit);
                            Assert.Equal(content, File.ReadAllBytes(folder.File("pspeer/payload.bin")));
                            checkLog?.Invoke(log);
                        }
                        catch (TimeoutException)
                        {
                            throw new Xunit.Sdk.XunitException($"no download from {folderName} announced to {url} (progress {leecher.Progress:P0}, peers {leecher.Peers.Count}):\n" +
                                                               $"{string.Join("\n", log)}\n{seeder.Output}\n{tracker.Output}");
                        }
                        finally
                        {
                            await leecher.StopAsync();
                        }
                    }
                }
            }
        }

        [InteropFact(Libtorrent.ToolName)]
        public async Task Libtorrent_downloads_from_a_PSPeer_seeder_it_is_pointed_at()
        {
            using (var folder = new InteropFolder("lt-leech"))
            {
                var content = TempFolder.RandomBytes(Size, 24);
                folder.Write("seed/payload.bin", content);
                var torrent = TestTorrent.Make("payload.bin", content, 256 * 1024);
                string torrentPath = folder.Write("payload.torrent", torrent.ToBytes());
                var seeder = new BitTorrentPeer(Live, "seed", torrent, folder.File("seed"), new SwarmOptions { Trackers = new string[0] });
                ToolProcess lt = null;
                try
                {
                    await seeder.StartAsync().WaitAsync(Limit);
                    System.IO.Directory.CreateDirectory(folder.File("lt"));
                    lt = Libtorrent.Download(torrentPath, folder.File("lt"), LoopbackPorts.Free(), seeder.EndPoint);
                    Assert.True(await lt.WaitForExitAsync(Limit), "libtorrent did not finish:\n" + lt.Output);
                    Assert.True(lt.ExitCode == 0, "libtorrent failed:\n" + lt.Output);
                    Assert.Equal(content, File.ReadAllBytes(folder.File("lt/payload.bin")));
                }
                finally
                {
                    lt?.Dispose();
                    await seeder.StopAsync();
                }
            }
        }
    }
}