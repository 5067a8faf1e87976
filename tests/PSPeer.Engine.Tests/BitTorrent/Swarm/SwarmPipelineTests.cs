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
    /// an announce names at once, and keeps its request pipeline full, topping it up in batches. Simulated time:
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

        /// <summary>What a hand-driven seeder saw of a leecher's requests.</summary>
        sealed class RequestLog
        {
            public int Requested, MaxOutstanding;
            /// <summary>Requests that came in one wait (one write of the leecher's, in effect), in order.</summary>
            public readonly List<int> Bursts = new List<int>();
            /// <summary>Requests outstanding after each burst, while at least 4 blocks were still unrequested.</summary>
            public readonly List<int> LowWater = new List<int>();
        }

        /// <summary>
        /// Serves <paramref name="blocks"/> blocks the way a seeder on a busy machine does: it answers the requests it holds
        /// in batches of one to four blocks per write, and after each write waits a little over a round trip (5 ms; the
        /// latency is 1 ms each way) for the requests its answers bring, never longer while it has requests to answer.
        /// </summary>
        static Task ServeAsync(SwarmWorld w, IPeerRuntime host, IListener listener, int blocks, int pieceLength, RequestLog log) => w.Sim.Spawn(async () =>
        {
            var peer = await RawPeer.AcceptAsync(listener, w.Torrent, "-XX0001-pipe");
            var all = new Bitfield(w.Torrent.PieceCount);
            all.SetAll();
            await peer.SendAsync(PeerMessage.BitfieldOf(all), PeerMessage.Unchoke);
            var pending = new Queue<PeerMessage>();
            Task<PeerMessage> next = null;
            int answered = 0, batch = 1;
            while (answered < blocks)
            {
                int burst = 0;
                while (log.Requested < blocks)
                {
                    next = next ?? peer.NextAsync(PeerMessageType.Request);
                    if ((pending.Count > 0 || burst > 0) && await Task.WhenAny(next, host.Clock.Delay(TimeSpan.FromMilliseconds(5))) != next) break;
                    var m = await next;
                    next = null;
                    Assert.NotNull(m);
                    pending.Enqueue(m);
                    log.Requested++;
                    burst++;
                }
                if (burst > 0)
                {
                    log.Bursts.Add(burst);
                    if (log.Requested <= blocks - 4) log.LowWater.Add(log.Requested - answered);
                }
                log.MaxOutstanding = Math.Max(log.MaxOutstanding, log.Requested - answered);
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

        static RequestLog Download(int seed, int blocks, int maxRequests)
        {
            int pieceLength = 4 * BitTorrentConstants.BlockSize;
            var w = new SwarmWorld(seed: seed, size: blocks * BitTorrentConstants.BlockSize, pieceLength: pieceLength, latency: TimeSpan.FromMilliseconds(1));
            var leecher = w.Leecher("leech", new SwarmOptions { MaxRequestsPerPeer = maxRequests });
            var rawHost = w.Host("raw");
            IListener listener = null;
            w.Run(async () => listener = await rawHost.Transport.ListenAsync(SwarmWorld.PeerPort));
            var log = new RequestLog();
            var serve = ServeAsync(w, rawHost, listener, blocks, pieceLength, log);
            w.Connect(leecher, "raw");
            w.Run(() => leecher.WhenCompleted());
            w.Run(() => serve);
            Assert.Equal(w.Content, w.Downloaded("leech"));
            Assert.Equal(blocks, log.Requested);   // every block asked for once: no duplicates outside endgame
            listener.Dispose();
            w.Run(() => leecher.StopAsync());
            return log;
        }

        [Fact]
        public void A_leecher_keeps_its_pipeline_full_while_blocks_come_in_small_batches()
        {
            // 64 blocks, at most 16 requests: at least the floor of 4 stays outstanding while unrequested blocks remain,
            // and never more than it was allowed.
            var log = Download(seed: 9, blocks: 64, maxRequests: 16);
            Assert.NotEmpty(log.LowWater);
            Assert.All(log.LowWater, outstanding => Assert.True(outstanding >= 4, $"only {outstanding} requests outstanding"));
            Assert.InRange(log.MaxOutstanding, 4, 16);
        }

        [Fact]
        public void A_deep_pipeline_is_refilled_in_batches_not_after_every_read()
        {
            // 512 blocks, up to 64 requests: the seeder answers 1 to 4 blocks a write. Asking again after each of those
            // writes would send a burst of 1 to 4 requests each time (about 200 writes); the leecher waits until an
            // eighth of its pipeline is missing, so most bursts hold 8 or more and the pipeline still stays full.
            var log = Download(seed: 10, blocks: 512, maxRequests: 64);
            var sorted = log.Bursts.OrderBy(b => b).ToList();
            Assert.True(log.Bursts.Count <= 512 / 6, $"{log.Bursts.Count} bursts of requests: {string.Join(" ", log.Bursts)}");
            Assert.True(sorted[sorted.Count / 2] >= 8, $"median burst {sorted[sorted.Count / 2]}: {string.Join(" ", log.Bursts)}");
            Assert.All(log.LowWater, outstanding => Assert.True(outstanding >= 4, $"only {outstanding} requests outstanding"));
        }
    }
}
