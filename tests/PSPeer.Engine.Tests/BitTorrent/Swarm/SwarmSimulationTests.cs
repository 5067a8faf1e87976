using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;
using Xunit.Abstractions;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>The swarm on the simulated runtime: virtual time, one seed, exact outcomes.</summary>
    [Collection(HeavySwarmCollection.Name)]
    public class SwarmSimulationTests
    {
        readonly ITestOutputHelper _output;
        public SwarmSimulationTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Peers_find_each_other_through_the_tracker_and_announce_started_completed_and_stopped()
        {
            var w = new SwarmWorld(seed: 3, size: 600_000, pieceLength: 32 * 1024);
            var tracker = w.Watch(new BitTorrentTracker(w.Host("tracker"), "tracker", 6969, new TrackerOptions { Interval = TimeSpan.FromSeconds(5), MinInterval = null }));
            w.Run(() => tracker.StartAsync());
            Func<SwarmOptions> options = () => new SwarmOptions { Trackers = new[] { tracker.AnnounceUrl }, UploadLimitBytesPerSecond = 200_000 };
            var seeder = w.Seeder("seed", options());
            var leechers = Enumerable.Range(0, 5).Select(i => w.Leecher("leech" + i, options())).ToList();
            w.Run(() => Task.WhenAll(leechers.Select(l => l.WhenCompleted())), 120);
            foreach (var l in leechers) Assert.Equal(w.Content, w.Downloaded(l.Name));
            // Leechers traded among themselves, not only with the seeder.
            Assert.True(leechers.Sum(l => l.Uploaded) > 0, "leechers uploaded nothing to each other");
            w.Sim.RunFor(TimeSpan.FromSeconds(2));   // the last "completed" announce is on its way
            // Complete peers have nothing to trade: every connection among them is gone.
            Assert.All(leechers, l => Assert.Empty(l.Peers));
            Assert.Empty(seeder.Peers);
            w.Run(() => Task.WhenAll(leechers.Select(l => l.StopAsync()).Concat(new[] { seeder.StopAsync() })));

            var announces = w.Events.Where(e => e.Type == PeerEventTypes.TrackerAnnounce && e.Node != "tracker" && e.Data.ContainsKey("Peers")).ToList();
            foreach (var l in leechers)
            {
                var mine = announces.Where(e => e.Node == l.Name).Select(e => (string)e["Event"]).ToList();
                Assert.Equal("Started", mine.First());
                Assert.Contains("Completed", mine);
                Assert.Equal("Stopped", mine.Last());
            }
            w.Run(() => tracker.StopAsync());
        }

        sealed class SwarmRun
        {
            public List<string> Trace;
            public double[] CompletionSeconds;
            public double Bound;
        }

        /// <summary>
        /// One seeder and <paramref name="leechers"/> leechers, every node upload-limited; each leecher dials the seeder
        /// and up to 8 random others. Returns the trace and each leecher's completion time from when dialling began.
        /// </summary>
        static SwarmRun RunSwarm(int seed, int leechers, int size, int pieceLength, long seederUpload, long leecherUpload)
        {
            var w = new SwarmWorld(seed, size, pieceLength);
            var seeder = w.Seeder("seed", new SwarmOptions { UploadLimitBytesPerSecond = seederUpload });
            var nodes = new List<BitTorrentPeer>();
            for (int i = 0; i < leechers; i++)
                nodes.Add(w.Leecher("leech" + i.ToString("00"), new SwarmOptions { UploadLimitBytesPerSecond = leecherUpload }));
            var t0 = w.Sim.Now;
            w.Run(() =>
            {
                var dials = new List<Task>();
                for (int i = 0; i < leechers; i++)
                {
                    dials.Add(nodes[i].AddPeerAsync(w.AddressOf("seed")));
                    for (int k = 0; k < 8 && i > 0; k++)
                    {
                        int j = w.Sim.Random.Next(leechers);
                        if (j != i) dials.Add(IgnoringFailure(nodes[i].AddPeerAsync(w.AddressOf("leech" + j.ToString("00")))));
                    }
                }
                return Task.WhenAll(dials);
            });
            w.Run(() => Task.WhenAll(nodes.Select(n => n.WhenCompleted())), 600);
            for (int i = 0; i < leechers; i++) Assert.Equal(w.Content, w.Downloaded("leech" + i.ToString("00")));
            double f = size, us = seederUpload, sum = leecherUpload * (double)leechers;
            var run = new SwarmRun
            {
                Trace = w.Trace,
                CompletionSeconds = nodes.Select(n => (n.CompletedAt.Value - t0).TotalSeconds).ToArray(),
                Bound = Math.Max(f / us, leechers * f / (us + sum)),
            };
            w.Run(() => Task.WhenAll(nodes.Select(n => n.StopAsync()).Concat(new[] { seeder.StopAsync() })));
            return run;
        }

        /// <summary>
        /// Waits for a dial that may fail (both ends dialled at once), on the simulation's loop. A ContinueWith with
        /// TaskScheduler.Current ran on the thread pool (inside simulated work Current is the default scheduler), so the
        /// loop could find its queue empty for a moment and stop early: the dial phase then "did not finish in time".
        /// </summary>
        static async Task IgnoringFailure(Task dial)
        {
            try { await dial; }
            catch (PeerException) { }
        }

        [Fact]
        public void Fifty_upload_limited_leechers_all_complete_no_faster_than_the_lower_bound_and_the_same_seed_repeats_the_run()
        {
            const int size = 2 * 1024 * 1024, leechers = 50;
            var first = RunSwarm(seed: 7, leechers, size, 32 * 1024, seederUpload: 512 * 1024, leecherUpload: 128 * 1024);
            double last = first.CompletionSeconds.Max(), mean = first.CompletionSeconds.Average();
            _output.WriteLine($"1 seeder + {leechers} leechers, {size} bytes: lower bound {first.Bound:0.00} s; " +
                $"first {first.CompletionSeconds.Min():0.00} s, mean {mean:0.00} s, last {last:0.00} s; last/bound = {last / first.Bound:0.00}");
            // Every byte starts at the seeder, so no copy completes before F/u_s; the swarm as a whole must move N*F bytes
            // through u_s + sum(u_i), so the last completion is no earlier than max(F/u_s, N*F/(u_s + sum u_i)).
            double seederBound = size / (512.0 * 1024);
            Assert.All(first.CompletionSeconds, t => Assert.True(t >= seederBound, $"completed in {t} s, before the seeder could send one copy ({seederBound} s)"));
            Assert.True(last >= first.Bound, $"the last leecher completed in {last} s, below the lower bound {first.Bound} s");
            Assert.True(last <= 4 * first.Bound, $"the swarm took {last / first.Bound:0.0} times the lower bound");

            var second = RunSwarm(seed: 7, leechers, size, 32 * 1024, seederUpload: 512 * 1024, leecherUpload: 128 * 1024);
            Assert.Equal(first.CompletionSeconds, second.CompletionSeconds);
            Assert.Equal(first.Trace.Count, second.Trace.Count);
            for (int i = 0; i < first.Trace.Count; i++) Assert.Equal(first.Trace[i], second.Trace[i]);
        }

        [Fact]
        public void A_leecher_downloads_the_whole_file_from_a_seeder()
        {
            var w = new SwarmWorld(seed: 1, size: 300_000, pieceLength: 32 * 1024);
            var seeder = w.Seeder("seed");
            var leecher = w.Leecher("leech");
            Assert.Equal("Seeder", seeder.Role);
            Assert.Equal("Leecher", leecher.Role);
            Assert.True(seeder.IsComplete);
            w.Connect(leecher, "seed");
            w.Run(() => leecher.WhenCompleted(), 30);
            Assert.True(leecher.IsComplete);
            Assert.Equal(w.Content, w.Downloaded("leech"));
            Assert.Equal(w.Torrent.PieceCount, w.Events.Count(e => e.Node == "leech" && e.Type == PeerEventTypes.PieceVerified));
            Assert.Single(w.Events, e => e.Node == "leech" && e.Type == PeerEventTypes.Completed);
            Assert.Contains(w.Events, e => e.Node == "seed" && e.Type == PeerEventTypes.Unchoked);
            Assert.Equal(300_000, seeder.Uploaded);
            w.Run(() => leecher.StopAsync());
            w.Run(() => seeder.StopAsync());
        }
    }
}
