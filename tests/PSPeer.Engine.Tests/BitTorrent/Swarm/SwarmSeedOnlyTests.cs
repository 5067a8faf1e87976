using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>SwarmOptions.SeedOnly: a seeder whose data does not verify never touches the network.</summary>
    public class SwarmSeedOnlyTests
    {
        [Fact]
        public void A_seed_only_node_with_wrong_data_fails_to_start_without_announcing_listening_or_fetching()
        {
            var w = new SwarmWorld(seed: 41, size: 100_000, pieceLength: 16 * 1024);
            var tracker = new CountingListener(w, "tracker");
            // A peer with every piece, listening where a seeder that dialled out would find it.
            var honest = w.Seeder("honest");
            var wrong = (byte[])w.Content.Clone();
            wrong[20_000] ^= 0xFF;   // one byte off in piece 1: the right size, found only by hashing
            w.Host("bad").MemoryStorage.WriteFile("/data/file.bin", wrong);
            var node = new BitTorrentPeer(w.Hosts["bad"], "bad", w.Torrent, "/data",
                new SwarmOptions { Port = SwarmWorld.PeerPort, Trackers = new[] { tracker.AnnounceUrl }, SeedOnly = true });
            Assert.Equal("Seeder", node.Role);   // every file at full length: it looks complete until hashed

            var start = w.Sim.Spawn(() => node.StartAsync());
            Assert.True(w.Sim.RunUntilCompleted(start, TimeSpan.FromSeconds(30)));
            w.Sim.RunFor(TimeSpan.FromSeconds(30));   // time for any announce, dial or accept that was going to happen

            Assert.Equal(0, tracker.Accepted);                        // never announced
            Assert.Null(node.EndPoint);                               // never listened
            Assert.Equal(0L, node.Downloaded);                        // fetched nothing
            Assert.Empty(honest.Peers);                               // met nobody
            var e = Assert.IsType<PeerException>(start.Exception?.InnerException);
            Assert.Equal(PeerErrorIds.TorrentDataMissing, e.ErrorId);
            Assert.Contains($"{node.Torrent.PieceCount - 1} of {node.Torrent.PieceCount} pieces", e.Message);
            Assert.Equal(NodeState.Failed, node.State);
            Assert.Equal(wrong, w.Hosts["bad"].MemoryStorage.ReadAllBytes("/data/file.bin"));   // its files untouched
        }

        [Fact]
        public void Without_seed_only_the_same_node_announces_and_fetches_what_it_lacks()
        {
            // The check above can fail: the same setup without SeedOnly reaches the tracker (and would join the swarm).
            var w = new SwarmWorld(seed: 41, size: 100_000, pieceLength: 16 * 1024);
            var tracker = new CountingListener(w, "tracker");
            var wrong = (byte[])w.Content.Clone();
            wrong[20_000] ^= 0xFF;
            w.Host("bad").MemoryStorage.WriteFile("/data/file.bin", wrong);
            var node = new BitTorrentPeer(w.Hosts["bad"], "bad", w.Torrent, "/data",
                new SwarmOptions { Port = SwarmWorld.PeerPort, Trackers = new[] { tracker.AnnounceUrl } });

            w.Run(() => node.StartAsync());
            w.Sim.RunFor(TimeSpan.FromSeconds(5));

            Assert.False(node.StartedComplete);
            Assert.NotNull(node.EndPoint);
            Assert.True(tracker.Accepted > 0, "the node should have announced");
            w.Run(() => node.StopAsync());
        }

        /// <summary>A listener standing in for a tracker: counts the connections it is offered and closes them.</summary>
        sealed class CountingListener
        {
            const int Port = 6969;
            int _accepted;

            public CountingListener(SwarmWorld world, string hostName)
            {
                var host = world.Host(hostName);
                AnnounceUrl = $"http://{host.HostAddress}:{Port}/announce";
                IListener listener = null;
                world.Run(async () => listener = await host.Transport.ListenAsync(Port));
                world.Sim.Spawn(async () =>
                {
                    for (int i = 0; i < 1000; i++)   // bounded: a test offers a handful
                    {
                        IConnection c;
                        try { c = await listener.AcceptAsync(); }
                        catch (Exception ex) when (ex is ObjectDisposedException || ex is OperationCanceledException) { return; }
                        Interlocked.Increment(ref _accepted);
                        c.Dispose();
                    }
                });
            }

            public string AnnounceUrl { get; }
            public int Accepted => Volatile.Read(ref _accepted);
        }
    }
}
