using System;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;
using PSPeer.Engine.Tests.Content;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>Rate limits, keep-alives and idle peers, stopping after completion; on the simulated runtime.</summary>
    public class SwarmBehaviourTests
    {
        [Fact]
        public void The_download_limit_holds_the_rate_near_its_value()
        {
            const int size = 2_000_000, limit = 200_000;
            var w = new SwarmWorld(seed: 21, size: size, pieceLength: 64 * 1024);
            w.Seeder("seed");
            var leecher = w.Leecher("leech", new SwarmOptions { DownloadLimitBytesPerSecond = limit });
            var start = w.Sim.Now;
            w.Connect(leecher, "seed");
            w.Run(() => leecher.WhenCompleted(), 60);
            double seconds = (leecher.CompletedAt.Value - start).TotalSeconds;
            // Blocks already requested arrive before the limit can slow the requests: allow a pipeline's worth early.
            Assert.InRange(seconds, 0.8 * size / limit, 1.5 * size / limit);
            Assert.Equal(w.Content, w.Downloaded("leech"));
        }

        [Fact]
        public void The_upload_limit_holds_the_rate_at_its_value()
        {
            const int size = 1_000_000, limit = 100_000;
            var w = new SwarmWorld(seed: 22, size: size, pieceLength: 32 * 1024);
            w.Seeder("seed", new SwarmOptions { UploadLimitBytesPerSecond = limit });
            var leecher = w.Leecher("leech");
            var start = w.Sim.Now;
            w.Connect(leecher, "seed");
            w.Run(() => leecher.WhenCompleted(), 60);
            double seconds = (leecher.CompletedAt.Value - start).TotalSeconds;
            Assert.InRange(seconds, (double)size / limit, 1.2 * size / limit);
        }

        [Fact]
        public void A_silent_peer_gets_keep_alives_and_is_dropped_after_three_minutes()
        {
            var w = new SwarmWorld(seed: 23, size: 100_000, pieceLength: 32 * 1024);
            var seeder = w.Seeder("seed");
            var start = w.Sim.Now;
            TimeSpan keepAliveAt = TimeSpan.Zero, closedAt = TimeSpan.Zero;
            w.Run(async () =>
            {
                var raw = await RawPeer.ConnectAsync(w.Host("quiet"), w.AddressOf("seed"), w.Torrent);
                Assert.NotNull(await raw.NextAsync(PeerMessageType.Bitfield));
                Assert.NotNull(await raw.NextAsync(PeerMessageType.KeepAlive));
                keepAliveAt = w.Sim.Now - start;
                Assert.Null(await raw.NextAsync(PeerMessageType.Piece));
                closedAt = w.Sim.Now - start;
                raw.Dispose();
            }, 600);
            Assert.InRange(keepAliveAt.TotalSeconds, 120, 125);
            Assert.InRange(closedAt.TotalSeconds, 180, 185);
            Assert.Contains(w.Events, e => e.Node == "seed" && e.Type == PeerEventTypes.PeerDisconnected && ((string)e["Reason"]).Contains("silent"));
            Assert.Equal(NodeState.Running, seeder.State);
        }

        [Fact]
        public void A_leecher_told_not_to_seed_stops_once_complete()
        {
            var w = new SwarmWorld(seed: 24, size: 200_000, pieceLength: 32 * 1024);
            w.Seeder("seed");
            var leecher = w.Leecher("leech", new SwarmOptions { SeedWhenComplete = false });
            w.Connect(leecher, "seed");
            w.Run(() => leecher.WhenCompleted());
            w.Sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(NodeState.Stopped, leecher.State);
            Assert.Equal(w.Content, w.Downloaded("leech"));
        }

        [Fact]
        public void Peers_lists_the_connected_peer_with_its_client_and_flags()
        {
            var w = new SwarmWorld(seed: 25, size: 400_000, pieceLength: 32 * 1024);
            var seeder = w.Seeder("seed", new SwarmOptions { UploadLimitBytesPerSecond = 50_000 });
            var leecher = w.Leecher("leech");
            w.Connect(leecher, "seed");
            w.Sim.RunFor(TimeSpan.FromSeconds(2));
            var info = Assert.Single(leecher.Peers);
            Assert.Equal("PS0100", info.Client);
            Assert.True(info.IsOutgoing);
            Assert.True(info.AmInterested);
            Assert.False(info.PeerChoking);
            Assert.Equal(1.0, info.Progress);
            Assert.True(info.DownloadRate > 0);
            Assert.InRange(leecher.Progress, 0.01, 0.99);
            var seen = Assert.Single(seeder.Peers);
            Assert.True(seen.PeerInterested);
            Assert.False(seen.AmChoking);
        }

        [Fact]
        public void A_multi_file_torrent_arrives_file_by_file_under_its_folder()
        {
            var files = new System.Collections.Generic.Dictionary<string, byte[]>
            {
                ["readme.txt"] = TempFolder.RandomBytes(1000, 1),
                ["bin/app.dll"] = TempFolder.RandomBytes(150_000, 2),
                ["bin/empty.dat"] = new byte[0],
                ["data/big.bin"] = TempFolder.RandomBytes(300_000, 3),
            };
            var torrent = TorrentBuilder.Create("album", files, new TorrentBuildOptions { PieceLength = 32 * 1024 });
            Assert.True(torrent.IsMultiFile);
            var sim = new PSPeer.Engine.Runtime.Simulated.Simulation(new PSPeer.Engine.Runtime.Simulated.SimulationOptions { Seed = 31 });
            var seedHost = sim.AddHost("seed");
            var leechHost = sim.AddHost("leech");
            foreach (var f in files) seedHost.MemoryStorage.WriteFile("/data/album/" + f.Key, f.Value);
            var seeder = new BitTorrentPeer(seedHost, "seed", torrent, "/data", new SwarmOptions { Port = 6881, Trackers = new string[0] });
            var leecher = new BitTorrentPeer(leechHost, "leech", torrent, "/dl", new SwarmOptions { Trackers = new string[0] });
            Assert.Equal("Seeder", seeder.Role);
            Assert.Equal("Leecher", leecher.Role);
            sim.Run(async () =>
            {
                await seeder.StartAsync();
                await leecher.StartAsync();
                await leecher.AddPeerAsync(new HostPort(seedHost.HostAddress, 6881));
                await leecher.WhenCompleted();
            }, TimeSpan.FromSeconds(60));
            foreach (var f in files) Assert.Equal(f.Value, leechHost.MemoryStorage.ReadAllBytes("/dl/album/" + f.Key));
        }

        [Fact]
        public void A_port_already_in_use_is_a_clear_error_and_nothing_is_left_running()
        {
            var w = new SwarmWorld(seed: 32, size: 50_000, pieceLength: 16 * 1024);
            w.Seeder("seed");
            var second = new BitTorrentPeer(w.Hosts["seed"], "again", w.Torrent, "/data", new SwarmOptions { Port = SwarmWorld.PeerPort, Trackers = new string[0] });
            var start = w.Sim.Spawn(() => second.StartAsync());
            Assert.True(w.Sim.RunUntilCompleted(start, TimeSpan.FromSeconds(10)));
            var e = Assert.IsType<PeerException>(start.Exception.InnerException);
            Assert.Equal(PeerErrorIds.PortInUse, e.ErrorId);
            Assert.Equal(NodeState.Failed, second.State);
        }

        [Fact]
        public void Ten_leechers_complete_over_a_lossy_high_latency_network()
        {
            var w = new SwarmWorld(seed: 33, size: 500_000, pieceLength: 32 * 1024, latency: TimeSpan.FromMilliseconds(80), loss: 0.03);
            w.Seeder("seed", new SwarmOptions { UploadLimitBytesPerSecond = 300_000 });
            var leechers = Enumerable.Range(0, 10).Select(i => w.Leecher("leech" + i, new SwarmOptions { UploadLimitBytesPerSecond = 100_000 })).ToList();
            w.Run(() => System.Threading.Tasks.Task.WhenAll(leechers.Select((l, i) =>
                System.Threading.Tasks.Task.WhenAll(new[] { l.AddPeerAsync(w.AddressOf("seed")) }
                    .Concat(Enumerable.Range(0, i).Select(j => l.AddPeerAsync(w.AddressOf("leech" + j))))))));
            w.Run(() => System.Threading.Tasks.Task.WhenAll(leechers.Select(l => l.WhenCompleted())), 300);
            foreach (var l in leechers) Assert.Equal(w.Content, w.Downloaded(l.Name));
        }
    }
}