using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Core;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Runtime;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>
    /// How fast a leecher gets going and keeps data flowing (issue 13's profile of a 1 GiB download): it dials the peers
    /// an announce names at once, and tops its request pipeline up after every batch of blocks it reads. Simulated time:
    /// no wall clock is involved.
    /// </summary>
    public class SwarmPipelineTests
    {
        [Fact]
        public void A_leecher_dials_the_peers_its_announce_names_at_once_not_at_its_next_tick()
        {
            var w = new SwarmWorld(seed: 4, size: 200_000, pieceLength: 32 * 1024);
            var tracker = w.Watch(new BitTorrentTracker(w.Host("tracker"), "tracker", 6969, new TrackerOptions { Interval = TimeSpan.FromMinutes(30), MinInterval = null }));
            w.Run(() => tracker.StartAsync());
            var seeder = w.Seeder("seed", new SwarmOptions { Trackers = new[] { tracker.AnnounceUrl } });
            w.Sim.RunFor(TimeSpan.FromMilliseconds(300));   // the seeder's announce is in
            var leecher = w.Leecher("leech", new SwarmOptions { Trackers = new[] { tracker.AnnounceUrl } });

            // An announce and a handshake take a few 10 ms round trips here; the tick that used to dial comes after 1 s.
            w.Sim.RunFor(TimeSpan.FromMilliseconds(500));
            var started = w.Events.First(e => e.Node == "leech" && e.Type == PeerEventTypes.NodeStarted).Time;
            var connected = w.Events.FirstOrDefault(e => e.Node == "leech" && e.Type == PeerEventTypes.PeerConnected);
            Assert.True(connected != null, string.Join("\n", w.Trace));
            Assert.True(connected.Time - started < TimeSpan.FromMilliseconds(500), $"connected {(connected.Time - started).TotalMilliseconds} ms after starting");
            w.Run(() => leecher.WhenCompleted());
            Assert.Equal(w.Content, w.Downloaded("leech"));
            w.Run(() => Task.WhenAll(leecher.StopAsync(), seeder.StopAsync()));
            w.Run(() => tracker.StopAsync());
        }

        [Fact]
        public void A_leecher_keeps_its_pipeline_full_refilling_after_every_batch_of_blocks()
        {
            // 64 blocks. A hand-driven seeder answers the requests it holds in batches of one to four blocks per write;
            // after each batch the leecher must have asked again, so that at least the floor of 4 requests is outstanding
            // while unrequested blocks remain, and never more than it was allowed.
            const int blocks = 64, floor = 4;
            int pieceLength = 4 * BitTorrentConstants.BlockSize;
            var w = new SwarmWorld(seed: 9, size: blocks * BitTorrentConstants.BlockSize, pieceLength: pieceLength);
            var leecher = w.Leecher("leech", new SwarmOptions { MaxRequestsPerPeer = 16 });
            var rawHost = w.Host("raw");
            IListener listener = null;
            w.Run(async () => listener = await rawHost.Transport.ListenAsync(SwarmWorld.PeerPort));
            var lowWater = new List<int>();
            int maxOutstanding = 0, requested = 0;
            var serve = w.Sim.Spawn(async () =>
            {
                var peer = await RawPeer.AcceptAsync(listener, w.Torrent, "-XX0001-pipe");
                var all = new Bitfield(w.Torrent.PieceCount);
                all.SetAll();
                await peer.SendAsync(PeerMessage.BitfieldOf(all), PeerMessage.Unchoke);
                var pending = new Queue<PeerMessage>();
                int answered = 0, batch = 1;
                while (answered < blocks)
                {
                    // Read the burst of requests the last answer brought (once all are asked for, none come).
                    while (requested < blocks)
                    {
                        var m = await peer.NextAsync(PeerMessageType.Request);
                        Assert.NotNull(m);
                        pending.Enqueue(m);
                        requested++;
                        if (peer.Reader.Buffered == 0) break;
                    }
                    maxOutstanding = Math.Max(maxOutstanding, requested - answered);
                    if (requested <= blocks - floor) lowWater.Add(requested - answered);
                    for (int i = 0; i < batch && pending.Count > 0; i++)
                    {
                        var r = pending.Dequeue();
                        var data = new byte[r.Length];
                        Buffer.BlockCopy(w.Content, r.Index * pieceLength + r.Begin, data, 0, r.Length);
                        peer.Writer.Enqueue(PeerMessage.Piece(r.Index, r.Begin, data, 0, r.Length));
                        answered++;
                    }
                    await peer.Writer.FlushAsync(default);
                    batch = batch % 4 + 1;
                }
                peer.Dispose();
            });
            w.Connect(leecher, "raw");
            w.Run(() => leecher.WhenCompleted());
            w.Run(() => serve);
            Assert.Equal(w.Content, w.Downloaded("leech"));
            Assert.Equal(blocks, requested);                      // every block asked for once: no duplicates outside endgame
            Assert.NotEmpty(lowWater);
            Assert.All(lowWater, outstanding => Assert.True(outstanding >= floor, $"only {outstanding} requests outstanding"));
            Assert.InRange(maxOutstanding, floor, 16);
            listener.Dispose();
            w.Run(() => leecher.StopAsync());
        }
    }
}
