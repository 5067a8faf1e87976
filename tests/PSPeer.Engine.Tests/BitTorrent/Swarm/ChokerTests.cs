using System;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Runtime;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    public class ChokerTests
    {
        static readonly DateTimeOffset T0 = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
        static readonly DateTimeOffset Old = T0 - TimeSpan.FromHours(1);

        static ChokeCandidate P(int id, double rate, bool interested = true, bool snubbed = false, DateTimeOffset? connected = null) =>
            new ChokeCandidate(id, interested, rate, snubbed, connected ?? Old);

        [Fact]
        public void The_four_fastest_interested_peers_get_the_regular_slots_plus_one_optimistic()
        {
            var choker = new Choker(4, TimeSpan.FromSeconds(30), new SeededRandom(1));
            var peers = new[] { P(1, 10), P(2, 50), P(3, 40), P(4, 30), P(5, 20), P(6, 5), P(7, 100, interested: false) };
            var unchoked = choker.Rechoke(peers, T0);
            Assert.Contains(2, unchoked); Assert.Contains(3, unchoked); Assert.Contains(4, unchoked); Assert.Contains(5, unchoked);
            Assert.DoesNotContain(7, unchoked);                    // not interested: no slot
            Assert.Equal(5, unchoked.Count);
            Assert.True(choker.OptimisticId == 1 || choker.OptimisticId == 6);
            Assert.Contains(choker.OptimisticId, unchoked);
        }

        [Fact]
        public void A_snubbed_peer_loses_its_regular_slot()
        {
            var choker = new Choker(2, TimeSpan.FromSeconds(30), new SeededRandom(1));
            var unchoked = choker.Rechoke(new[] { P(1, 1000, snubbed: true), P(2, 10), P(3, 5) }, T0);
            Assert.Contains(2, unchoked);
            Assert.Contains(3, unchoked);
            // The snubbed one can only be the optimistic unchoke.
            Assert.Equal(1, choker.OptimisticId);
        }

        [Fact]
        public void The_optimistic_slot_holds_until_its_interval_then_rotates()
        {
            var choker = new Choker(1, TimeSpan.FromSeconds(30), new SeededRandom(7));
            var peers = Enumerable.Range(1, 10).Select(i => P(i, i == 1 ? 100 : 0)).ToArray();
            choker.Rechoke(peers, T0);
            int first = choker.OptimisticId;
            Assert.NotEqual(1, first);
            choker.Rechoke(peers, T0 + TimeSpan.FromSeconds(10));
            choker.Rechoke(peers, T0 + TimeSpan.FromSeconds(20));
            Assert.Equal(first, choker.OptimisticId);
            var seen = new System.Collections.Generic.HashSet<int> { first };
            for (int k = 1; k <= 20; k++)
            {
                choker.Rechoke(peers, T0 + TimeSpan.FromSeconds(30 * k));
                seen.Add(choker.OptimisticId);
            }
            Assert.True(seen.Count > 3, "the optimistic unchoke rotates among the choked peers");
        }

        [Fact]
        public void New_peers_are_three_times_as_likely_to_get_the_optimistic_slot()
        {
            var choker = new Choker(1, TimeSpan.FromSeconds(30), new SeededRandom(3));
            int newWins = 0, rounds = 3000;
            for (int k = 0; k < rounds; k++)
            {
                var now = T0 + TimeSpan.FromSeconds(30 * k);
                // peer 1 holds the regular slot; 2 is old, 3 connected just now
                var peers = new[] { P(1, 100), P(2, 0), P(3, 0, connected: now) };
                choker.Rechoke(peers, now);
                if (choker.OptimisticId == 3) newWins++;
            }
            double share = newWins / (double)rounds;
            Assert.InRange(share, 0.70, 0.80);   // 3:1 -> 0.75
        }

        [Fact]
        public void Nobody_interested_means_nobody_unchoked()
        {
            var choker = new Choker(4, TimeSpan.FromSeconds(30), new SeededRandom(1));
            Assert.Empty(choker.Rechoke(new[] { P(1, 5, interested: false), P(2, 9, interested: false) }, T0));
            Assert.Equal(-1, choker.OptimisticId);
        }
    }
}
