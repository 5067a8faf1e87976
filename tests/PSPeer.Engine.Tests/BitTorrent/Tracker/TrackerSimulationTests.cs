using System;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>TrackerClient against BitTorrentTracker on the simulated runtime: announces, events, numwant, expiry, scrape.</summary>
    public class TrackerSimulationTests
    {
        static readonly InfoHash H1 = TrackerWorld.Hash(1);
        static readonly InfoHash H2 = TrackerWorld.Hash(2);

        [Fact]
        public void Second_announcer_receives_the_first_in_a_compact_list_and_never_itself()
        {
            var w = new TrackerWorld();
            var a = w.AddHost("a");
            var b = w.AddHost("b");
            var first = w.Announce(a, TrackerWorld.Request(H1, "a", 6881, left: 0));
            Assert.Empty(first.Peers);
            Assert.Equal(1, first.Complete);
            Assert.Equal(0, first.Incomplete);

            var second = w.Announce(b, TrackerWorld.Request(H1, "b", 6882, left: 500));
            var peer = Assert.Single(second.Peers);
            Assert.Equal(new HostPort(a.HostAddress, 6881), peer.EndPoint);
            Assert.Null(peer.PeerId);   // compact lists carry no ids
            Assert.Equal(1, second.Complete);
            Assert.Equal(1, second.Incomplete);
            Assert.Equal(w.Tracker.Options.Interval, second.Interval);
            Assert.Equal(w.Tracker.Options.MinInterval, second.MinInterval);
            Assert.Equal(1, w.Tracker.SwarmCount);
            Assert.Equal(2, w.Tracker.PeerCount);
        }

        [Fact]
        public void Dictionary_model_carries_peer_ids_unless_no_peer_id_is_asked()
        {
            var w = new TrackerWorld();
            var a = w.AddHost("a");
            var b = w.AddHost("b");
            w.Announce(a, TrackerWorld.Request(H1, "a", 6881));
            var withIds = w.Announce(b, TrackerWorld.Request(H1, "b", 6882, compact: false));
            var peer = Assert.Single(withIds.Peers);
            Assert.Equal(TrackerWorld.PeerId("a"), peer.PeerId);
            Assert.Equal(new HostPort(a.HostAddress, 6881), peer.EndPoint);

            var request = TrackerWorld.Request(H1, "b", 6882, compact: false, ev: AnnounceEvent.None);
            request.NoPeerId = true;
            var withoutIds = w.Announce(b, request);
            Assert.Null(Assert.Single(withoutIds.Peers).PeerId);
        }

        [Fact]
        public void Numwant_limits_the_list_and_is_capped_by_the_tracker()
        {
            var w = new TrackerWorld(options: new TrackerOptions { MaxNumWant = 10 });
            var hosts = Enumerable.Range(0, 30).Select(i => w.AddHost("h" + i)).ToList();
            for (int i = 0; i < hosts.Count; i++) w.Announce(hosts[i], TrackerWorld.Request(H1, "p" + i, 7000 + i));

            var five = w.Announce(hosts[0], TrackerWorld.Request(H1, "p0", 7000, numWant: 5, ev: AnnounceEvent.None));
            Assert.Equal(5, five.Peers.Count);
            Assert.Equal(5, five.Peers.Select(p => p.EndPoint).Distinct().Count());
            Assert.DoesNotContain(five.Peers, p => p.EndPoint.Equals(new HostPort(hosts[0].HostAddress, 7000)));

            var many = w.Announce(hosts[0], TrackerWorld.Request(H1, "p0", 7000, numWant: 1000, ev: AnnounceEvent.None));
            Assert.Equal(10, many.Peers.Count);
            Assert.DoesNotContain(many.Peers, p => p.EndPoint.Equals(new HostPort(hosts[0].HostAddress, 7000)));

            var none = w.Announce(hosts[0], TrackerWorld.Request(H1, "p0", 7000, numWant: 0, ev: AnnounceEvent.None));
            Assert.Empty(none.Peers);
            Assert.Equal(30, none.Incomplete);
        }

        [Fact]
        public void A_seeder_is_given_only_leechers()
        {
            var w = new TrackerWorld();
            var s1 = w.AddHost("s1"); var s2 = w.AddHost("s2"); var l = w.AddHost("l");
            w.Announce(s1, TrackerWorld.Request(H1, "s1", 1001, left: 0));
            w.Announce(s2, TrackerWorld.Request(H1, "s2", 1002, left: 0));
            w.Announce(l, TrackerWorld.Request(H1, "l", 1003, left: 10));
            var answer = w.Announce(s1, TrackerWorld.Request(H1, "s1", 1001, left: 0, ev: AnnounceEvent.None));
            Assert.Equal(new HostPort(l.HostAddress, 1003), Assert.Single(answer.Peers).EndPoint);
            Assert.Equal(2, answer.Complete);
        }

        [Fact]
        public void Stopped_removes_the_peer_and_completed_counts_one_download()
        {
            var w = new TrackerWorld();
            var a = w.AddHost("a"); var b = w.AddHost("b");
            w.Announce(a, TrackerWorld.Request(H1, "a", 6881, left: 100));
            w.Announce(b, TrackerWorld.Request(H1, "b", 6882, left: 100));

            var done = w.Announce(a, TrackerWorld.Request(H1, "a", 6881, left: 0, ev: AnnounceEvent.Completed));
            Assert.Equal(1, done.Complete);
            Assert.Equal(1, done.Incomplete);
            // A client repeating "completed" is one download, not two.
            w.Announce(a, TrackerWorld.Request(H1, "a", 6881, left: 0, ev: AnnounceEvent.Completed));
            var scraped = Assert.Single(w.Scrape(b, H1));
            Assert.Equal(H1, scraped.InfoHash);
            Assert.Equal(1, scraped.Complete);
            Assert.Equal(1, scraped.Incomplete);
            Assert.Equal(1, scraped.Downloaded);

            var stopped = w.Announce(b, TrackerWorld.Request(H1, "b", 6882, left: 100, ev: AnnounceEvent.Stopped));
            Assert.Empty(stopped.Peers);
            Assert.Equal(0, stopped.Incomplete);
            var c = w.AddHost("c");
            var answer = w.Announce(c, TrackerWorld.Request(H1, "c", 6883));
            Assert.Equal(new HostPort(a.HostAddress, 6881), Assert.Single(answer.Peers).EndPoint);
        }

        [Fact]
        public void A_peer_that_stops_announcing_expires_in_virtual_time_and_one_that_keeps_announcing_stays()
        {
            var options = new TrackerOptions { Interval = TimeSpan.FromMinutes(1), PeerExpiry = TimeSpan.FromMinutes(3) };
            var w = new TrackerWorld(options: options);
            var quiet = w.AddHost("quiet"); var chatty = w.AddHost("chatty");
            w.Announce(quiet, TrackerWorld.Request(H1, "quiet", 6881));
            w.Announce(chatty, TrackerWorld.Request(H1, "chatty", 6882));
            w.Announce(quiet, TrackerWorld.Request(H2, "quiet", 6881));   // H2 only ever has the quiet peer

            for (int minute = 0; minute < 4; minute++)
            {
                w.Sim.RunFor(TimeSpan.FromMinutes(1));
                w.Announce(chatty, TrackerWorld.Request(H1, "chatty", 6882, ev: AnnounceEvent.None));
            }
            var entry = Assert.Single(w.Scrape(chatty, H1));
            Assert.Equal(1, entry.Incomplete);
            var answer = w.Announce(chatty, TrackerWorld.Request(H1, "chatty", 6882, ev: AnnounceEvent.None));
            Assert.Empty(answer.Peers);
            // Nobody asked about H2 again: the periodic sweep dropped it with its only peer.
            Assert.Equal(1, w.Tracker.SwarmCount);
            Assert.Null(w.Tracker.GetSwarm(H2));
        }

        [Fact]
        public void Scrape_reports_the_asked_torrents_or_all_of_them()
        {
            var w = new TrackerWorld();
            var a = w.AddHost("a"); var b = w.AddHost("b");
            w.Announce(a, TrackerWorld.Request(H1, "a", 6881, left: 0));
            w.Announce(b, TrackerWorld.Request(H1, "b", 6882, left: 5));
            w.Announce(b, TrackerWorld.Request(H2, "b", 6882, left: 5));

            var both = w.Scrape(a, H1, H2, TrackerWorld.Hash(99)).OrderBy(e => e.InfoHash.Hex).ToList();
            Assert.Equal(new[] { H1, H2 }.OrderBy(h => h.Hex), both.Select(e => e.InfoHash));
            var e1 = both.Single(e => e.InfoHash == H1);
            Assert.Equal((1, 1, 0), (e1.Complete, e1.Incomplete, e1.Downloaded));
            var e2 = both.Single(e => e.InfoHash == H2);
            Assert.Equal((0, 1), (e2.Complete, e2.Incomplete));

            var all = w.Scrape(a);
            Assert.Equal(2, all.Count);
        }

        [Fact]
        public void Bounds_on_swarms_and_peers_answer_with_a_failure_reason()
        {
            var w = new TrackerWorld(options: new TrackerOptions { MaxSwarms = 1, MaxPeersPerSwarm = 2 });
            var h = w.AddHost("h");
            w.Announce(h, TrackerWorld.Request(H1, "a", 1));
            w.Announce(h, TrackerWorld.Request(H1, "b", 2));
            var full = w.Fails<PeerException>(() => new TrackerClient(h).AnnounceAsync(w.AnnounceUrl, TrackerWorld.Request(H1, "c", 3)));
            Assert.Equal(PeerErrorIds.TrackerFailure, full.ErrorId);
            Assert.Contains("most peers", full.Message);
            var noRoom = w.Fails<PeerException>(() => new TrackerClient(h).AnnounceAsync(w.AnnounceUrl, TrackerWorld.Request(H2, "a", 1)));
            Assert.Contains("full", noRoom.Message);
            // A known peer still re-announces fine.
            Assert.Single(w.Announce(h, TrackerWorld.Request(H1, "a", 1, ev: AnnounceEvent.None)).Peers);
        }

        [Fact]
        public void Announce_events_are_emitted_with_their_data()
        {
            var w = new TrackerWorld();
            var a = w.AddHost("a");
            w.Announce(a, TrackerWorld.Request(H1, "a", 6881, left: 42));
            var e = Assert.Single(w.Events, x => x.Type == PeerEventTypes.TrackerAnnounce);
            Assert.Equal(H1.Hex, e.Data["InfoHash"]);
            Assert.Equal("started", e.Data["Event"]);
            Assert.Equal(new HostPort(a.HostAddress, 6881).ToString(), e.Data["Peer"]);
            Assert.Equal(42L, e.Data["Left"]);
        }

        [Fact]
        public void The_same_seed_gives_the_same_peer_lists()
        {
            string Run()
            {
                var w = new TrackerWorld(seed: 7);
                var hosts = Enumerable.Range(0, 20).Select(i => w.AddHost("h" + i)).ToList();
                for (int i = 0; i < hosts.Count; i++) w.Announce(hosts[i], TrackerWorld.Request(H1, "p" + i, 7000 + i));
                var answer = w.Announce(hosts[3], TrackerWorld.Request(H1, "p3", 7003, numWant: 6, ev: AnnounceEvent.None));
                return string.Join(",", answer.Peers.Select(p => p.EndPoint));
            }
            Assert.Equal(Run(), Run());
        }

        [Fact]
        public void Where_allowed_the_ip_parameter_replaces_the_connection_address_and_ipv6_peers_come_in_peers6()
        {
            var w = new TrackerWorld(options: new TrackerOptions { AllowClientAddress = true });
            var a = w.AddHost("a"); var b = w.AddHost("b"); var c = w.AddHost("c");
            var fromA = TrackerWorld.Request(H1, "a", 6881);
            fromA.IP = "192.0.2.5";
            w.Announce(a, fromA);
            var fromB = TrackerWorld.Request(H1, "b", 6882);
            fromB.IP = "2001:db8::1";
            w.Announce(b, fromB);
            var answer = w.Announce(c, TrackerWorld.Request(H1, "c", 6883));
            Assert.Equal(new[] { "192.0.2.5:6881", "[2001:db8::1]:6882" }, answer.Peers.Select(p => p.EndPoint.ToString()));   // peers (IPv4) first, then peers6
        }

        [Fact]
        public void A_peer_id_announced_from_another_address_needs_the_same_key()
        {
            var w = new TrackerWorld();
            var a = w.AddHost("a"); var thief = w.AddHost("thief");
            var first = TrackerWorld.Request(H1, "a", 6881);
            first.Key = "secret";
            w.Announce(a, first);
            var stolen = TrackerWorld.Request(H1, "a", 6999);
            stolen.Key = "guess";
            var e = w.Fails<PeerException>(() => new TrackerClient(thief).AnnounceAsync(w.AnnounceUrl, stolen));
            Assert.Contains("another key", e.Message);
            // The owner moving to a new port with its key is fine.
            var moved = TrackerWorld.Request(H1, "a", 7000, ev: AnnounceEvent.None);
            moved.Key = "secret";
            w.Announce(a, moved);
            var other = w.AddHost("other");
            Assert.Equal(new HostPort(a.HostAddress, 7000), Assert.Single(w.Announce(other, TrackerWorld.Request(H1, "o", 1)).Peers).EndPoint);
        }

        [Fact]
        public void A_leecher_that_reaches_left_zero_without_completed_counts_once_and_a_seed_never()
        {
            var w = new TrackerWorld();
            var seed = w.AddHost("seed"); var leech = w.AddHost("leech"); var watcher = w.AddHost("watcher");
            w.Announce(seed, TrackerWorld.Request(H1, "seed", 1, left: 0));
            w.Announce(leech, TrackerWorld.Request(H1, "leech", 2, left: 100));
            // aria2 without seeding: no "completed", just "stopped" with left=0.
            w.Announce(leech, TrackerWorld.Request(H1, "leech", 2, left: 0, ev: AnnounceEvent.Stopped));
            w.Announce(seed, TrackerWorld.Request(H1, "seed", 1, left: 0, ev: AnnounceEvent.None));
            var entry = Assert.Single(w.Scrape(watcher, H1));
            Assert.Equal((1, 0, 1), (entry.Complete, entry.Incomplete, entry.Downloaded));
        }
    }
}
