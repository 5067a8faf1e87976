using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>
    /// Poisoning and lockout (issue 10, item 2) on the simulated runtime: every host has its own address, so attackers and
    /// honest clients differ as they would on a network, and a flood of thousands of announces runs in virtual time.
    /// </summary>
    public class TrackerLockoutTests
    {
        static readonly InfoHash Real = TrackerWorld.Hash(1);
        static readonly TimeSpan FloodLimit = TimeSpan.FromHours(2);   // virtual time

        [Fact]
        public void A_client_given_ip_is_ignored_by_default_and_the_source_address_is_listed()
        {
            var w = new TrackerWorld();
            var liar = w.AddHost("liar"); var honest = w.AddHost("honest");
            var poisoned = TrackerWorld.Request(Real, "liar", 6881);
            poisoned.IP = "8.8.8.8";
            w.Announce(liar, poisoned);
            var answer = w.Announce(honest, TrackerWorld.Request(Real, "honest", 6882));
            Assert.Equal(new HostPort(liar.HostAddress, 6881), Assert.Single(answer.Peers).EndPoint);
        }

        [Fact]
        public void A_client_given_ip_is_honoured_when_the_operator_allows_it()
        {
            var w = new TrackerWorld(options: new TrackerOptions { AllowClientAddress = true });
            var proxied = w.AddHost("proxied"); var honest = w.AddHost("honest");
            var request = TrackerWorld.Request(Real, "proxied", 6881);
            request.IP = "8.8.8.8";
            w.Announce(proxied, request);
            var answer = w.Announce(honest, TrackerWorld.Request(Real, "honest", 6882));
            Assert.Equal("8.8.8.8:6881", Assert.Single(answer.Peers).EndPoint.ToString());
        }

        /// <summary>
        /// Three attacker addresses each announce 2,000 fake peers into the real torrent and 4,000 made-up torrents (18,000
        /// announces, more than MaxPeersPerSwarm and MaxSwarms). Before per-address quotas the fakes filled the torrent and
        /// the tracker: honest announces were refused or got only fakes, and no new torrent could be tracked.
        /// </summary>
        [Fact]
        public void A_flood_from_a_few_addresses_fills_only_their_quotas_and_honest_peers_still_get_the_seeder()
        {
            var w = new TrackerWorld();
            var seedHost = w.AddHost("seeder");
            w.Announce(seedHost, TrackerWorld.Request(Real, "seeder", 6881, left: 0));

            var attackers = Enumerable.Range(0, 3).Select(i => w.AddHost("attacker" + i)).ToList();
            var flooders = new List<TrackerFlooder>();
            var tracker = new HostPort(w.TrackerHost.HostAddress, TrackerWorld.TrackerPort);
            var flood = w.Sim.Spawn(() => Task.WhenAll(attackers.Select(async (host, a) =>
            {
                var f = await TrackerFlooder.ConnectAsync(host.Transport, tracker);
                flooders.Add(f);
                await f.FloodAsync(2_000, i => Fake(Real, a, i, left: i % 2));
                await f.FloodAsync(4_000, i => Fake(TrackerFlooder.FakeHash(a, i), a, 1_000_000 + i, left: 0));
            })));
            Assert.True(w.Sim.RunUntilCompleted(flood, FloodLimit), "the flood did not finish");
            flood.GetAwaiter().GetResult();
            Assert.Equal(18_000, flooders.Sum(f => f.Sent));
            var options = w.Tracker.Options;
            // Each attacker address holds at most its quotas: peers in the torrent, peers overall, torrents created.
            Assert.True(w.Tracker.PeerCount <= 1 + 3 * options.MaxPeersPerAddress, $"{w.Tracker.PeerCount} peers");
            Assert.True(w.Tracker.SwarmCount <= 1 + 3 * options.MaxSwarmsPerAddress, $"{w.Tracker.SwarmCount} torrents");
            Assert.True(w.GetSwarmSize(Real) <= 1 + 3 * options.MaxPeersPerAddressPerSwarm, $"{w.GetSwarmSize(Real)} peers in the real torrent");

            // An honest leecher from its own address still joins, and every answer it gets names the seeder.
            var honest = w.AddHost("honest");
            var seeder = new HostPort(seedHost.HostAddress, 6881);
            for (int i = 0; i < 5; i++)
            {
                var answer = w.Announce(honest, TrackerWorld.Request(Real, "honest", 7000, ev: i == 0 ? AnnounceEvent.Started : AnnounceEvent.None));
                Assert.Contains(seeder, answer.Peers.Select(p => p.EndPoint));
                Assert.Equal(1, answer.Peers.Count(p => p.EndPoint.Equals(seeder)));
            }
            // And a new torrent can still be tracked, by someone else.
            var newcomer = w.AddHost("newcomer");
            var fresh = TrackerWorld.Hash(99);
            w.Announce(newcomer, TrackerWorld.Request(fresh, "newcomer", 8000, left: 0));
            Assert.NotNull(w.Tracker.GetSwarm(fresh));
            Assert.Equal(new HostPort(newcomer.HostAddress, 8000), Assert.Single(w.Announce(honest, TrackerWorld.Request(fresh, "honest", 7000)).Peers).EndPoint);
            foreach (var f in flooders) f.Dispose();
        }

        /// <summary>
        /// Many attacker addresses (more than the quotas can hold off) fill a small tracker. Eviction then takes from the
        /// heaviest addresses, one-shot peers first: the seeder that re-announces stays, an honest newcomer gets in, and a
        /// new torrent takes the place of one the flood created.
        /// </summary>
        [Fact]
        public void When_full_the_tracker_evicts_from_the_heaviest_addresses_and_keeps_the_seeder()
        {
            var options = new TrackerOptions
            {
                MaxSwarms = 40, MaxPeers = 400, MaxPeersPerSwarm = 200,
                MaxPeersPerAddress = 60, MaxPeersPerAddressPerSwarm = 30, MaxSwarmsPerAddress = 10,
                Interval = TimeSpan.FromMinutes(10), PeerExpiry = TimeSpan.FromMinutes(25),
            };
            var w = new TrackerWorld(options: options);
            var seedHost = w.AddHost("seeder");
            var seedRequest = TrackerWorld.Request(Real, "seeder", 6881, left: 0);
            w.Announce(seedHost, seedRequest);
            var tracker = new HostPort(w.TrackerHost.HostAddress, TrackerWorld.TrackerPort);

            // Twelve attacker addresses, each to its quotas and beyond, over two waves with the seeder re-announcing between.
            var attackers = Enumerable.Range(0, 12).Select(i => w.AddHost("attacker" + i)).ToList();
            for (int wave = 0; wave < 2; wave++)
            {
                var flood = w.Sim.Spawn(() => Task.WhenAll(attackers.Select(async (host, a) =>
                {
                    using (var f = await TrackerFlooder.ConnectAsync(host.Transport, tracker))
                    {
                        await f.FloodAsync(40, i => Fake(Real, a, wave * 1000 + i, left: 0));
                        await f.FloodAsync(15, i => Fake(TrackerFlooder.FakeHash(a, wave * 1000 + i), a, 500_000 + wave * 1000 + i, left: 0));
                    }
                })));
                Assert.True(w.Sim.RunUntilCompleted(flood, FloodLimit), "the flood did not finish");
                flood.GetAwaiter().GetResult();
                w.Sim.RunFor(options.Interval);
                seedRequest.Event = AnnounceEvent.None;
                w.Announce(seedHost, seedRequest);
            }
            // Full everywhere: the torrent, the tracker's peers and its torrents. Equal attackers never evict each other.
            Assert.Equal(options.MaxSwarms, w.Tracker.SwarmCount);
            Assert.Equal(options.MaxPeersPerSwarm, w.GetSwarmSize(Real));
            Assert.Equal(0, w.Tracker.EvictedCount);

            var honest = w.AddHost("honest");
            var answer = w.Announce(honest, TrackerWorld.Request(Real, "honest", 7000, numWant: 20));
            Assert.Contains(new HostPort(seedHost.HostAddress, 6881), answer.Peers.Select(p => p.EndPoint));

            var newcomer = w.AddHost("newcomer");
            var fresh = TrackerWorld.Hash(99);
            w.Announce(newcomer, TrackerWorld.Request(fresh, "newcomer", 8000, left: 0));
            Assert.NotNull(w.Tracker.GetSwarm(fresh));
            Assert.Equal(options.MaxSwarms, w.Tracker.SwarmCount);
            Assert.Equal(2, w.Tracker.EvictedCount);   // one fake peer for the honest leecher, one fake torrent for the new one
            var evicted = w.Events.Where(e => e.Type == PeerEventTypes.PeerEvicted).ToList();
            Assert.Equal(2, evicted.Count);
            Assert.All(evicted, e => Assert.Contains((string)e.Data["Address"], attackers.Select(h => h.HostAddress)));
            Assert.DoesNotContain(evicted, e => (string)e.Data["Address"] == seedHost.HostAddress);
        }

        /// <summary>
        /// Within the address evicted from, one-shot leechers go first, then leechers that re-announced, and the seeder
        /// last, even though it is the stalest (a seeder announces once an interval; "stalest first" would drop it first).
        /// </summary>
        [Fact]
        public void Eviction_takes_one_shot_leechers_before_re_announcers_and_the_stale_seeder_last()
        {
            var w = new TrackerWorld(options: new TrackerOptions { MaxPeersPerSwarm = 4 });
            var crowd = w.AddHost("crowd"); var other = w.AddHost("other");
            w.Announce(crowd, TrackerWorld.Request(Real, "seed", 1, left: 0));
            w.Sim.RunFor(TimeSpan.FromMinutes(5));
            w.Announce(crowd, TrackerWorld.Request(Real, "again", 2));
            w.Announce(crowd, TrackerWorld.Request(Real, "oneshot", 3));
            w.Announce(crowd, TrackerWorld.Request(Real, "again", 2, ev: AnnounceEvent.None));
            w.Announce(other, TrackerWorld.Request(Real, "other", 4));

            foreach (string newcomer in new[] { "n1", "n2" })
            {
                var host = w.AddHost("host-" + newcomer);
                w.Announce(host, TrackerWorld.Request(Real, newcomer, 5, numWant: 10));
            }
            var left = w.Announce(other, TrackerWorld.Request(Real, "other", 4, numWant: 10, ev: AnnounceEvent.None)).Peers.Select(p => p.EndPoint.Port).OrderBy(p => p);
            // "oneshot" (port 3) went for n1, "again" (port 2) for n2; the seeder (port 1) stayed.
            Assert.Equal(new[] { 1, 5, 5 }, left);
            // Now every address holds one peer: nobody is heavier by two, so a fifth address is refused.
            var refused = w.Fails<PeerException>(() => new TrackerClient(w.AddHost("late")).AnnounceAsync(w.AnnounceUrl, TrackerWorld.Request(Real, "late", 6)));
            Assert.Contains("most peers", refused.Message);
        }

        static AnnounceRequest Fake(InfoHash hash, int attacker, int n, long left) => new AnnounceRequest
        {
            InfoHash = hash, PeerId = TrackerFlooder.FakeId(attacker, n), Port = 1 + n % 65000, Left = left,
            Event = AnnounceEvent.Started, NumWant = 0,
        };
    }
}
