using System;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>A leecher whose peers drop: it dials them again with backoff, and asks the tracker again when it has none.</summary>
    public class SwarmRedialTests
    {
        [Theory]
        [InlineData(2)]    // back before the first redial (5 s)
        [InlineData(30)]   // down through several failed redials (5 s, 10 s, 20 s ...)
        public void A_leecher_redials_a_seeder_that_crashed_and_came_back_and_completes_without_any_tracker(int downSeconds)
        {
            var w = new SwarmWorld(seed: 11, size: 300_000, pieceLength: 32 * 1024);
            Func<SwarmOptions> slow = () => new SwarmOptions { UploadLimitBytesPerSecond = 40_000 };
            w.Seeder("seed", slow());
            var leecher = w.Leecher("leech");
            w.Connect(leecher, "seed");
            w.Sim.RunFor(TimeSpan.FromSeconds(3));
            Assert.InRange(leecher.Progress, 0.01, 0.9);

            w.Hosts["seed"].Crash();
            w.Sim.RunFor(TimeSpan.FromSeconds(downSeconds));
            Assert.Empty(leecher.Peers);
            Assert.False(leecher.IsComplete);
            w.Hosts["seed"].Restart();
            var again = w.Start("seed", "/data", slow());   // same host, same port, a new process

            w.Run(() => leecher.WhenCompleted(), 120);
            Assert.Equal(w.Content, w.Downloaded("leech"));
            Assert.Equal(2, w.Events.Count(e => e.Node == "leech" && e.Type == PeerEventTypes.PeerConnected));
            Assert.Contains(w.Events, e => e.Node == "seed" && e.Type == PeerEventTypes.PeerConnected && Equals(e["Outgoing"], false));
            w.Run(() => leecher.StopAsync());
            w.Run(() => again.StopAsync());
        }

        [Fact]
        public void A_complete_leecher_does_not_redial_a_seeder_that_came_back()
        {
            // A seeder whose leecher crashed waits to be found again: no dial to the dead address.
            var w = new SwarmWorld(seed: 12, size: 100_000, pieceLength: 32 * 1024);
            var seeder = w.Seeder("seed");
            var leecher = w.Leecher("leech");
            w.Connect(leecher, "seed");
            w.Run(() => leecher.WhenCompleted(), 30);
            w.Hosts["seed"].Crash();
            w.Hosts["seed"].Restart();
            var again = w.Start("seed", "/data", null);
            w.Sim.RunFor(TimeSpan.FromSeconds(60));
            Assert.Empty(leecher.Peers);   // complete: it does not chase the seeder
            Assert.Empty(again.Peers);
            w.Run(() => leecher.StopAsync());
            w.Run(() => again.StopAsync());
        }

        static System.Collections.Generic.List<PeerEvent> AnnouncesOf(SwarmWorld w, string node) =>
            w.Events.Where(e => e.Node == node && e.Type == PeerEventTypes.TrackerAnnounce && e.Data.ContainsKey("Peers")).ToList();

        [Theory]
        [InlineData(30, 3, 4)]     // a min interval of at most a minute is honoured: announces at 0, 30, 60, 90 s
        [InlineData(600, 8, 10)]   // a longer one is not: one every ~11 s (the lonely delay and a tick)
        public void A_leecher_with_no_peers_announces_again_long_before_the_tracker_interval(int minIntervalSeconds, int least, int most)
        {
            var w = new SwarmWorld(seed: 13, size: 100_000, pieceLength: 32 * 1024);
            var tracker = w.Watch(new BitTorrentTracker(w.Host("tracker"), "tracker", 6969,
                new TrackerOptions { Interval = TimeSpan.FromMinutes(30), MinInterval = TimeSpan.FromSeconds(minIntervalSeconds) }));
            w.Run(() => tracker.StartAsync());
            var leecher = w.Leecher("leech", new SwarmOptions { Trackers = new[] { tracker.AnnounceUrl } });
            w.Sim.RunFor(TimeSpan.FromSeconds(100));

            var mine = AnnouncesOf(w, "leech");
            Assert.InRange(mine.Count, least, most);
            for (int i = 1; i < mine.Count; i++)
                Assert.True(mine[i].Time - mine[i - 1].Time >= TimeSpan.FromSeconds(Math.Min(minIntervalSeconds, 10)), "announced too soon after the last");
            w.Run(() => leecher.StopAsync());
            w.Run(() => tracker.StopAsync());
        }

        [Fact]
        public void A_seeder_alone_announces_only_at_the_tracker_interval()
        {
            var w = new SwarmWorld(seed: 14, size: 100_000, pieceLength: 32 * 1024);
            var tracker = w.Watch(new BitTorrentTracker(w.Host("tracker"), "tracker", 6969,
                new TrackerOptions { Interval = TimeSpan.FromMinutes(30), MinInterval = TimeSpan.FromSeconds(5) }));
            w.Run(() => tracker.StartAsync());
            var seeder = w.Seeder("seed", new SwarmOptions { Trackers = new[] { tracker.AnnounceUrl } });
            w.Sim.RunFor(TimeSpan.FromSeconds(100));
            Assert.Single(AnnouncesOf(w, "seed"));   // complete: having no peers is no reason to ask again
            w.Run(() => seeder.StopAsync());
            w.Run(() => tracker.StopAsync());
        }
    }
}
