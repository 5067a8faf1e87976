using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Content;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>The swarm over real TCP on 127.0.0.1 and real files.</summary>
    [Collection(HeavySwarmCollection.Name)]
    public class SwarmLiveTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
        static readonly LiveRuntime Live = LiveRuntime.Loopback;
        static readonly SwarmOptions NoTracker = new SwarmOptions { Trackers = new string[0] };

        static HostPort Address(BitTorrentPeer node) => HostPort.Parse(node.EndPoint);

        [Fact]
        public async Task A_leecher_downloads_a_file_byte_identical_from_a_seeder_over_loopback()
        {
            using (var folder = new TempFolder())
            {
                var content = TempFolder.RandomBytes(5 * 1024 * 1024 + 777, 42);
                folder.Write("seed/app.zip", content);
                var torrent = TestTorrent.Make("app.zip", content, 256 * 1024);
                var seeder = new BitTorrentPeer(Live, "seed", torrent, Path.Combine(folder.Path, "seed"), NoTracker);
                var leecher = new BitTorrentPeer(Live, "leech", torrent, Path.Combine(folder.Path, "leech"), NoTracker);
                var events = new List<PeerEvent>();
                leecher.EventsInline.Subscribe(e => { lock (events) events.Add(e); });   // in step: counted right after completion
                try
                {
                    await seeder.StartAsync().WaitAsync(Limit);
                    await leecher.StartAsync().WaitAsync(Limit);
                    Assert.Equal("Seeder", seeder.Role);
                    await leecher.AddPeerAsync(Address(seeder)).WaitAsync(Limit);
                    await leecher.WhenCompleted().WaitAsync(Limit);
                    Assert.Equal(content, File.ReadAllBytes(Path.Combine(folder.Path, "leech", "app.zip")));
                    lock (events) Assert.Equal(torrent.PieceCount, events.Count(e => e.Type == PeerEventTypes.PieceVerified));
                }
                finally
                {
                    await leecher.StopAsync();
                    await seeder.StopAsync();
                }
            }
        }

        [Fact]
        public async Task One_seeder_and_four_leechers_that_know_each_other_all_complete_byte_identical()
        {
            using (var folder = new TempFolder())
            {
                var content = TempFolder.RandomBytes(3 * 1024 * 1024, 43);
                folder.Write("seed/data.bin", content);
                var torrent = TestTorrent.Make("data.bin", content, 64 * 1024);
                var seeder = new BitTorrentPeer(Live, "seed", torrent, Path.Combine(folder.Path, "seed"), NoTracker);
                var leechers = Enumerable.Range(0, 4)
                    .Select(i => new BitTorrentPeer(Live, "leech" + i, torrent, Path.Combine(folder.Path, "leech" + i), NoTracker)).ToList();
                try
                {
                    await seeder.StartAsync().WaitAsync(Limit);
                    foreach (var l in leechers) await l.StartAsync().WaitAsync(Limit);
                    for (int i = 0; i < leechers.Count; i++)
                    {
                        await leechers[i].AddPeerAsync(Address(seeder)).WaitAsync(Limit);
                        for (int j = 0; j < i; j++) await leechers[i].AddPeerAsync(Address(leechers[j])).WaitAsync(Limit);
                    }
                    await Task.WhenAll(leechers.Select(l => l.WhenCompleted())).WaitAsync(Limit);
                    foreach (var l in leechers)
                        Assert.Equal(content, File.ReadAllBytes(Path.Combine(folder.Path, l.Name, "data.bin")));
                }
                finally
                {
                    foreach (var l in leechers) await l.StopAsync();
                    await seeder.StopAsync();
                }
            }
        }
    }
}
