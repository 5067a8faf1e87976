using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>
    /// Seeder lockout (issue 10, item 3) on the simulated runtime: slot squatters from several attacker addresses against
    /// a seeder with the default 50 slots, and an honest leecher that must get in and finish within bounded virtual time.
    /// </summary>
    public class SwarmLockoutTests
    {
        const int PieceLength = 32 * 1024;
        readonly ITestOutputHelper _output;

        public SwarmLockoutTests(ITestOutputHelper output) => _output = output;

        /// <summary>
        /// Handshakes, then holds the slot: a keep-alive a minute (and, when <paramref name="interested"/>, one Interested
        /// first, as a choked leecher would). Bounded: ten minutes, or until the node closes it.
        /// </summary>
        static async Task SquatAsync(IPeerRuntime from, HostPort seeder, TorrentMetainfo torrent, string peerId, bool interested)
        {
            RawPeer raw;
            try { raw = await RawPeer.ConnectAsync(from, seeder, torrent, peerId); }
            catch (Exception) { return; }   // refused: nothing to hold
            try
            {
                if (interested) await raw.SendAsync(PeerMessage.Interested);
                for (int minute = 0; minute < 10; minute++)
                {
                    await from.Clock.Delay(TimeSpan.FromMinutes(1));
                    await raw.SendAsync(PeerMessage.KeepAlive);
                }
            }
            catch (Exception) { /* evicted */ }
            finally { raw.Dispose(); }
        }

        static List<string> StartSquatters(SwarmWorld w, int hosts, int perHost, bool interested, string prefix = "attacker")
        {
            var names = new List<string>();
            for (int h = 0; h < hosts; h++)
            {
                string name = prefix + h;
                names.Add(name);
                var host = w.Host(name);
                for (int i = 0; i < perHost; i++)
                {
                    string id = $"-EV0001-{prefix[0]}{h:D2}{i:D3}";   // unique per squatter: equal ids are one peer
                    w.Sim.Spawn(() => SquatAsync(host, w.AddressOf("seed"), w.Torrent, id, interested));
                }
            }
            return names;
        }

        static int ConnectionsFrom(BitTorrentPeer node, SwarmWorld w, string host) =>
            node.Peers.Count(p => p.EndPoint.StartsWith(w.Hosts[host].HostAddress + ":", StringComparison.Ordinal));

        [Fact]
        public void A_seeder_full_of_idle_handshaked_connections_lets_an_honest_leecher_in_and_the_download_completes()
        {
            var w = new SwarmWorld(seed: 101, size: 20 * PieceLength + 777, pieceLength: PieceLength);
            var seeder = w.Seeder("seed");
            var attackers = StartSquatters(w, hosts: 6, perHost: 10, interested: false);
            w.Sim.RunFor(TimeSpan.FromSeconds(65));
            Assert.Equal(seeder.Options.MaxConnections, seeder.Peers.Count);   // every slot held by a squatter

            // The honest leecher is let in at once (a squatter past its grace period gives up its slot) and finishes.
            var leecher = w.Leecher("honest");
            var asked = w.Sim.Now;
            w.Connect(leecher, "seed");
            w.Run(() => leecher.WhenCompleted(), 120);
            Assert.Equal(w.Content, w.Downloaded("honest"));
            _output.WriteLine($"honest leecher complete {(leecher.CompletedAt.Value - asked).TotalSeconds:0.0} s (virtual) after it dialled");
            Assert.True(leecher.CompletedAt.Value - asked < TimeSpan.FromSeconds(30), "the honest leecher waited for a slot");

            var evicted = w.Events.Where(e => e.Node == "seed" && e.Type == PeerEventTypes.PeerEvicted && (string)e.Data["Action"] == "Evicted").ToList();
            Assert.NotEmpty(evicted);
            Assert.All(evicted, e => Assert.Contains((string)e.Data["Address"], attackers.Select(a => w.Hosts[a].HostAddress)));
            Assert.True(seeder.Peers.Count <= seeder.Options.MaxConnections);
        }

        [Fact]
        public void Connections_that_look_useful_are_held_to_a_few_per_address_and_an_honest_leecher_still_gets_in()
        {
            var w = new SwarmWorld(seed: 102, size: 20 * PieceLength + 777, pieceLength: PieceLength);
            var seeder = w.Seeder("seed");
            // Sixty choked "leechers" that say Interested and wait: useful by the rule, so only the per-address limit helps.
            var attackers = StartSquatters(w, hosts: 3, perHost: 20, interested: true);
            w.Sim.RunFor(TimeSpan.FromSeconds(5));
            foreach (var a in attackers) Assert.Equal(seeder.Options.MaxConnectionsPerAddress, ConnectionsFrom(seeder, w, a));
            Assert.Contains(w.Events, e => e.Node == "seed" && e.Type == PeerEventTypes.PeerEvicted && (string)e.Data["Action"] == "Refused");

            var leecher = w.Leecher("honest");
            var asked = w.Sim.Now;
            w.Connect(leecher, "seed");
            w.Run(() => leecher.WhenCompleted(), 120);
            Assert.Equal(w.Content, w.Downloaded("honest"));
            _output.WriteLine($"honest leecher complete {(leecher.CompletedAt.Value - asked).TotalSeconds:0.0} s (virtual) after it dialled");
            Assert.True(leecher.CompletedAt.Value - asked < TimeSpan.FromSeconds(30), "the honest leecher waited for a slot");
            // Waiting leechers are useful: none of them lost its slot.
            Assert.DoesNotContain(w.Events, e => e.Node == "seed" && e.Type == PeerEventTypes.PeerEvicted && (string)e.Data["Action"] == "Evicted");
        }

        [Fact]
        public void A_node_full_of_useful_or_new_connections_refuses_the_newcomer_with_an_event()
        {
            var w = new SwarmWorld(seed: 103, size: 20 * PieceLength, pieceLength: PieceLength);
            var seeder = w.Seeder("seed", new SwarmOptions { MaxConnections = 12, MaxConnectionsPerAddress = 4 });
            StartSquatters(w, hosts: 2, perHost: 4, interested: true, prefix: "waiting");   // useful
            StartSquatters(w, hosts: 1, perHost: 4, interested: false, prefix: "idle");     // useless once past the grace
            w.Sim.RunFor(TimeSpan.FromSeconds(5));
            Assert.Equal(12, seeder.Peers.Count);

            // Within the grace period even idle connections keep their slots.
            PeerMessage bitfield = null;
            w.Run(async () =>
            {
                // The seeder answers the handshake, then closes instead of sending its bitfield.
                using (var raw = await RawPeer.ConnectAsync(w.Host("early"), w.AddressOf("seed"), w.Torrent, "-EV0001-early"))
                    bitfield = await raw.NextAsync(PeerMessageType.Bitfield);
            });
            Assert.Null(bitfield);
            Assert.Contains(w.Events, e => e.Node == "seed" && e.Type == PeerEventTypes.PeerEvicted && (string)e.Data["Action"] == "Refused"
                                           && ((string)e.Data["Reason"]).Contains("useful"));
            Assert.Equal(4, ConnectionsFrom(seeder, w, "idle0"));

            // Past it, the idle ones go first, from the address with the most connections, and waiting leechers stay.
            w.Sim.RunFor(FairSlots.Grace);
            var leecher = w.Leecher("honest");
            w.Connect(leecher, "seed");
            Assert.Equal(3, ConnectionsFrom(seeder, w, "idle0"));
            Assert.Equal(4, ConnectionsFrom(seeder, w, "waiting0"));
            Assert.Equal(4, ConnectionsFrom(seeder, w, "waiting1"));
            w.Run(() => leecher.WhenCompleted(), 120);
        }
    }
}
