using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Runtime;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    public class PiecePickerTests
    {
        const int Block = BitTorrentConstants.BlockSize;

        static Bitfield Bits(int count, params int[] set)
        {
            var b = new Bitfield(count);
            foreach (int i in set) b.Set(i);
            return b;
        }

        static Bitfield All(int count) { var b = new Bitfield(count); b.SetAll(); return b; }

        static PiecePicker Picker(int pieces, int pieceLength, long total, Bitfield have = null, int randomFirst = 0, int seed = 1) =>
            new PiecePicker(pieces, pieceLength, total, have ?? new Bitfield(pieces), new SeededRandom(seed), randomFirst);

        static readonly System.Func<long, bool> None = _ => false;

        [Fact]
        public void Rarest_piece_the_peer_has_comes_first()
        {
            var picker = Picker(4, 2 * Block, 8L * Block);
            picker.AddPeer(All(4));
            picker.AddPeer(Bits(4, 0, 1, 3));
            picker.AddPeer(Bits(4, 0, 3));
            // availability: 0:3, 1:2, 2:1, 3:3
            var got = new List<BlockRequest>();
            picker.Pick(All(4), 2, None, got);
            Assert.All(got, r => Assert.Equal(2, r.Piece));
            got.Clear();
            picker.Pick(All(4), 2, None, got);
            Assert.All(got, r => Assert.Equal(1, r.Piece));
        }

        [Fact]
        public void Pieces_under_way_are_finished_before_new_ones_start()
        {
            var picker = Picker(3, 4 * Block, 12L * Block);
            var a = new List<BlockRequest>();
            picker.Pick(All(3), 1, None, a);                 // starts some piece, takes block 0
            int started = a[0].Piece;
            var b = new List<BlockRequest>();
            picker.Pick(All(3), 3, None, b);                 // another peer: the same piece's other blocks
            Assert.All(b, r => Assert.Equal(started, r.Piece));
            Assert.Equal(new[] { Block, 2 * Block, 3 * Block }, b.Select(r => r.Begin));
        }

        [Fact]
        public void Only_pieces_the_peer_has_are_asked_of_it()
        {
            var picker = Picker(8, Block, 8L * Block);
            var got = new List<BlockRequest>();
            picker.Pick(Bits(8, 5), 10, None, got);
            Assert.Single(got);
            Assert.Equal(5, got[0].Piece);
            Assert.Equal(0, picker.Pick(Bits(8, 5), 10, None, got));
        }

        [Fact]
        public void The_last_piece_and_block_are_short()
        {
            var picker = Picker(2, 2 * Block, 2L * Block + Block + 100);   // piece 1 = one full block + 100 bytes
            var got = new List<BlockRequest>();
            picker.Pick(Bits(2, 1), 10, None, got);
            Assert.Equal(new[] { Block, 100 }, got.Select(r => r.Length));
            Assert.Equal(Block + 100, picker.PieceSize(1));
        }

        [Fact]
        public void The_first_pieces_are_random_then_rarest_first_takes_over()
        {
            // Every piece has the same availability except piece 9, the rarest: random-first ignores that.
            var firsts = new HashSet<int>();
            for (int seed = 1; seed <= 20; seed++)
            {
                var picker = Picker(10, Block, 10L * Block, randomFirst: 4, seed: seed);
                picker.AddPeer(Bits(10, 0, 1, 2, 3, 4, 5, 6, 7, 8));
                picker.AddPeer(All(10));
                var got = new List<BlockRequest>();
                picker.Pick(All(10), 1, None, got);
                firsts.Add(got[0].Piece);
            }
            Assert.True(firsts.Count > 3, "random-first spreads the first piece");

            var p2 = Picker(10, Block, 10L * Block, have: Bits(10, 0, 1, 2, 3), randomFirst: 4);
            p2.AddPeer(Bits(10, 0, 1, 2, 3, 4, 5, 6, 7, 8));
            p2.AddPeer(All(10));
            var next = new List<BlockRequest>();
            p2.Pick(All(10), 1, None, next);
            Assert.Equal(9, next[0].Piece);
        }

        [Fact]
        public void Endgame_asks_for_blocks_requested_elsewhere_but_never_twice_of_one_peer()
        {
            var picker = Picker(1, 2 * Block, 2L * Block);
            var first = new List<BlockRequest>();
            picker.Pick(All(1), 10, None, first);
            Assert.Equal(2, first.Count);
            Assert.True(picker.IsEndgame);
            var firstKeys = new HashSet<long>(first.Select(r => r.Key));
            Assert.Equal(0, picker.Pick(All(1), 10, firstKeys.Contains, new List<BlockRequest>()));   // same peer: nothing
            var second = new List<BlockRequest>();
            picker.Pick(All(1), 10, None, second);                                                        // another peer: duplicates
            Assert.Equal(firstKeys, new HashSet<long>(second.Select(r => r.Key)));
            Assert.True(picker.BlockReceived(0, 0));
            Assert.False(picker.BlockReceived(0, 0));   // the duplicate copy is dropped
            Assert.False(picker.IsFullyReceived(0));
            Assert.True(picker.BlockReceived(0, Block));
            Assert.True(picker.IsFullyReceived(0));
            picker.PieceVerified(0);
            Assert.True(picker.Have.AllSet);
            Assert.False(picker.IsEndgame);
        }

        [Fact]
        public void Released_blocks_are_picked_again_and_a_failed_piece_starts_over()
        {
            var picker = Picker(2, 2 * Block, 4L * Block);
            var got = new List<BlockRequest>();
            picker.Pick(Bits(2, 0), 2, None, got);
            picker.Release(0, Block);                                   // choked before it came
            var again = new List<BlockRequest>();
            picker.Pick(Bits(2, 0), 5, None, again);
            Assert.Equal(new[] { Block }, again.Select(r => r.Begin));
            Assert.True(picker.BlockReceived(0, 0));
            Assert.True(picker.BlockReceived(0, Block));
            picker.PieceFailed(0);
            var retry = new List<BlockRequest>();
            picker.Pick(Bits(2, 0), 5, None, retry);
            Assert.Equal(new[] { 0, Block }, retry.Select(r => r.Begin));
            Assert.False(picker.IsEndgame);                              // piece 1 is still unrequested
        }

        [Fact]
        public void A_single_source_piece_is_asked_of_its_owner_only_until_the_owner_lets_go_or_is_evicted()
        {
            var picker = Picker(2, 4 * Block, 8L * Block);
            picker.SetSingleSource(0);
            var first = new List<BlockRequest>();
            picker.Pick(Bits(2, 0), 1, None, first, requester: 1);
            Assert.Equal(0, Assert.Single(first).Piece);
            // Another peer with piece 0 gets none of its remaining blocks.
            var other = new List<BlockRequest>();
            picker.Pick(Bits(2, 0, 1), 10, None, other, requester: 2);
            Assert.DoesNotContain(other, r => r.Piece == 0);
            Assert.NotEmpty(other);
            picker.ReleaseOwner(1);                                     // choked us, or gone
            var takeover = new List<BlockRequest>();
            picker.Pick(Bits(2, 0), 10, None, takeover, requester: 2);
            // Its unrequested blocks, then (endgame) a duplicate of the one 1 still holds.
            Assert.Equal(new[] { Block, 2 * Block, 3 * Block, 0 }, takeover.Where(r => r.Piece == 0).Select(r => r.Begin));
            var locked = new List<BlockRequest>();
            picker.Pick(Bits(2, 0), 10, None, locked, requester: 1);
            Assert.Empty(locked);                                        // piece 0 is 2's now
            // 2 sits on it: evicted, it never owns piece 0 again, and 1 takes over.
            Assert.Equal(2, picker.OwnerOf(0));
            picker.EvictOwner(0);
            foreach (var r in takeover.Where(r => r.Piece == 0)) picker.Release(r.Piece, r.Begin);
            var evicted = new List<BlockRequest>();
            picker.Pick(Bits(2, 0), 10, None, evicted, requester: 2);
            Assert.DoesNotContain(evicted, r => r.Piece == 0);
            var second = new List<BlockRequest>();
            picker.Pick(Bits(2, 0), 10, None, second, requester: 1);
            // (block 0 again too: None tells the picker 1 holds no request, so endgame offers a duplicate)
            Assert.Equal(new[] { Block, 2 * Block, 3 * Block, 0 }, second.Where(r => r.Piece == 0).Select(r => r.Begin));
            Assert.Equal(1, picker.OwnerOf(0));
            foreach (var r in second.Where(r => r.Piece == 0)) Assert.True(picker.BlockReceived(r.Piece, r.Begin));
            picker.PieceVerified(0);
            Assert.False(picker.IsSingleSource(0));
        }

        [Fact]
        public void A_block_nobody_asked_for_is_not_accepted()
        {
            var picker = Picker(2, 2 * Block, 4L * Block);
            Assert.False(picker.BlockReceived(0, 0));
            Assert.False(picker.BlockReceived(5, 0));
            Assert.False(picker.BlockReceived(0, 3));
        }

        [Fact]
        public void Interest_follows_what_we_lack()
        {
            var picker = Picker(3, Block, 3L * Block, have: Bits(3, 0, 1));
            Assert.False(picker.IsInteresting(Bits(3, 0, 1)));
            Assert.True(picker.IsInteresting(Bits(3, 2)));
            picker.PieceVerified(2);
            Assert.False(picker.IsInteresting(All(3)));
        }

        [Fact]
        public void Availability_counts_bitfields_and_haves_and_forgets_departed_peers()
        {
            var picker = Picker(3, Block, 3L * Block);
            var peer = Bits(3, 1);
            picker.AddPeer(peer);
            picker.AddHave(2);
            peer.Set(2);
            Assert.Equal(new[] { 0, 1, 1 }, Enumerable.Range(0, 3).Select(picker.Availability));
            picker.RemovePeer(peer);
            Assert.Equal(new[] { 0, 0, 0 }, Enumerable.Range(0, 3).Select(picker.Availability));
        }

        /// <summary>Counts the draws a picker makes.</summary>
        sealed class CountingRandom : IRandomSource
        {
            readonly SeededRandom _inner = new SeededRandom(7);
            public int Draws;
            public int Next(int maxExclusive) { Draws++; return _inner.Next(maxExclusive); }
            public int Next(int minInclusive, int maxExclusive) { Draws++; return _inner.Next(minInclusive, maxExclusive); }
            public double NextDouble() { Draws++; return _inner.NextDouble(); }
            public void NextBytes(byte[] buffer) { Draws++; _inner.NextBytes(buffer); }
        }

        [Theory]
        [InlineData(0)]   // rarest first
        [InlineData(8)]   // random first pieces
        public void Starting_a_piece_among_many_tied_candidates_draws_one_random_number(int randomFirst)
        {
            // Before: one draw per tied candidate, 4096 per new piece of a 1 GiB torrent with one seeder.
            var random = new CountingRandom();
            var picker = new PiecePicker(1000, Block, 1000L * Block, new Bitfield(1000), random, randomFirst);
            picker.AddPeer(All(1000));
            var got = new List<BlockRequest>();
            for (int i = 0; i < 5; i++)
            {
                int before = random.Draws;
                picker.Pick(All(1000), 1, None, got);
                Assert.Equal(1, random.Draws - before);
            }
            Assert.Equal(5, got.Select(r => r.Piece).Distinct().Count());
        }

        [Fact]
        public void Rarest_first_still_picks_only_among_the_rarest_and_spreads_over_them()
        {
            // 20 pieces: 5 have availability 1, the rest 2. Many fresh pickers (different seeds) starting one piece each
            // choose only among the five, and each of the five some of the time.
            var rare = new[] { 2, 7, 11, 13, 19 };
            var chosen = new Dictionary<int, int>();
            for (int seed = 0; seed < 400; seed++)
            {
                var picker = Picker(20, Block, 20L * Block, seed: seed);
                picker.AddPeer(All(20));
                picker.AddPeer(Bits(20, Enumerable.Range(0, 20).Except(rare).ToArray()));
                var got = new List<BlockRequest>();
                picker.Pick(All(20), 1, None, got);
                int piece = Assert.Single(got).Piece;
                Assert.Contains(piece, rare);
                chosen[piece] = chosen.TryGetValue(piece, out int n) ? n + 1 : 1;
            }
            Assert.Equal(rare.Length, chosen.Count);
            Assert.All(chosen.Values, n => Assert.InRange(n, 40, 120));   // 80 expected each
        }

        [Fact]
        public void Random_first_pieces_come_only_from_pieces_the_peer_has_and_not_under_way()
        {
            var picker = Picker(16, Block, 16L * Block, randomFirst: 4, seed: 3);
            var peer = Bits(16, 1, 4, 9, 12);
            picker.AddPeer(peer);
            var got = new List<BlockRequest>();
            picker.Pick(peer, 4, None, got);
            Assert.Equal(new[] { 1, 4, 9, 12 }, got.Select(r => r.Piece).OrderBy(p => p));
            got.Clear();
            Assert.Equal(0, picker.Pick(peer, 1, None, got));   // all four under way: nothing new to start (not endgame: others unrequested)
        }

        [Fact]
        public void A_block_is_asked_of_two_peers_only_in_endgame_and_the_picker_says_when_that_began()
        {
            var picker = Picker(2, 2 * Block, 4L * Block);
            var a = new List<BlockRequest>();
            picker.Pick(All(2), 3, None, a);
            Assert.False(picker.HasAskedTwice);                      // three distinct blocks, one left unrequested
            var b = new List<BlockRequest>();
            picker.Pick(All(2), 1, None, b);                          // the last unrequested block
            Assert.False(picker.HasAskedTwice);
            Assert.True(picker.IsEndgame);
            var c = new List<BlockRequest>();
            var mine = new HashSet<long>(b.Select(r => r.Key));
            picker.Pick(All(2), 2, mine.Contains, c);                 // endgame: blocks asked of someone else already
            Assert.True(picker.HasAskedTwice);
            Assert.All(c, r => Assert.Contains(r.Key, a.Select(x => x.Key)));
        }
    }
}
