using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>The host cache's order, bound, back-off and lookups (it is a ring of structs with a hash index).</summary>
    public class HostCacheTests
    {
        static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        static HostPort H(int i) => new HostPort("10.0." + (i / 256) + "." + (i % 256), 6346);

        static readonly HostPort[] None = new HostPort[0];

        [Fact]
        public void Holds_at_most_its_capacity_and_forgets_the_oldest_learnt_first()
        {
            var cache = new HostCache(10);
            for (int i = 0; i < 25; i++)
            {
                cache.Add(H(i));
                Assert.Equal(Math.Min(i + 1, 10), cache.Count);
                // Always the last ten learnt, oldest first, whatever the ring's growth and wrap did.
                Assert.Equal(Enumerable.Range(Math.Max(0, i - 9), Math.Min(i + 1, 10)).Select(H), cache.OldestFirst());
            }
            // The evicted are gone from the index too: learning one again makes it the newest.
            cache.Add(H(3));
            Assert.Equal(Enumerable.Range(16, 9).Select(H).Concat(new[] { H(3) }), cache.OldestFirst());
        }

        [Fact]
        public void Learning_a_known_host_again_updates_it_in_place_without_making_it_newer()
        {
            var cache = new HostCache(3);
            cache.Add(H(1));
            cache.Add(H(2));
            cache.Add(H(3));
            var pong = new Pong { Port = 6346, Address = "10.0.0.1" };
            cache.Add(new HostPort("10.0.0.1", 6346), pong, knownUltrapeer: true);   // equal to H(1), another object
            Assert.Equal(3, cache.Count);
            Assert.Equal(new[] { H(1), H(2), H(3) }, cache.OldestFirst());
            Assert.Same(pong, Assert.Single(cache.Pongs(10, null)));
            Assert.Equal("10.0.0.1:6346", cache.TryUltrapeersHeader(1, null));   // now a known ultrapeer: listed first
            cache.Add(H(4));   // H(1) is still the oldest, so it goes
            Assert.Equal(new[] { H(2), H(3), H(4) }, cache.OldestFirst());
            Assert.Empty(cache.Pongs(10, null));
        }

        [Fact]
        public void Ignores_hosts_no_one_can_dial()
        {
            var cache = new HostCache(5);
            cache.Add(null);
            cache.Add(new HostPort("10.0.0.1", 0));
            cache.Add(new HostPort("0.0.0.0", 6346));
            Assert.Equal(0, cache.Count);
            Assert.Empty(cache.Candidates(T0, 5, None));
            Assert.Equal("", cache.TryUltrapeersHeader(5, null));
        }

        [Fact]
        public void Candidates_are_newest_first_without_leaves_excluded_hosts_or_hosts_in_back_off()
        {
            var cache = new HostCache(100);
            for (int i = 0; i < 6; i++) cache.Add(H(i));
            cache.Add(H(1), knownLeaf: true);
            cache.Failed(H(2), T0);
            Assert.Equal(new[] { H(5), H(3), H(0) }, cache.Candidates(T0, 10, new HashSet<HostPort> { H(4) }));
            Assert.Equal(new[] { H(5), H(4) }, cache.Candidates(T0, 2, None));
            // The first failure waits 4 s, the second 8 s from then; success clears it.
            Assert.DoesNotContain(H(2), cache.Candidates(T0.AddSeconds(3.9), 10, None));
            Assert.Contains(H(2), cache.Candidates(T0.AddSeconds(4), 10, None));
            cache.Failed(H(2), T0.AddSeconds(4));
            Assert.DoesNotContain(H(2), cache.Candidates(T0.AddSeconds(11.9), 10, None));
            Assert.Contains(H(2), cache.Candidates(T0.AddSeconds(12), 10, None));
            cache.Failed(H(2), T0.AddSeconds(12));
            cache.Succeeded(H(2));
            Assert.Contains(H(2), cache.Candidates(T0.AddSeconds(12), 10, None));
            // Unknown hosts are nothing to fail or succeed.
            cache.Failed(H(99), T0);
            cache.Succeeded(H(99));
            Assert.Equal(6, cache.Count);
        }

        [Fact]
        public void Back_off_stops_doubling_after_eight_failures()
        {
            var cache = new HostCache(4);
            cache.Add(H(1));
            var now = T0;
            for (int i = 0; i < 12; i++) cache.Failed(H(1), now);
            // 2 << 8 = 512 s at most.
            Assert.Empty(cache.Candidates(now.AddSeconds(511), 1, None));
            Assert.Single(cache.Candidates(now.AddSeconds(512), 1, None));
        }

        [Fact]
        public void Try_header_lists_ultrapeers_first_newest_first_and_never_leaves_or_the_asker()
        {
            var cache = new HostCache(50);
            cache.Add(H(1), knownUltrapeer: true);
            cache.Add(H(2));
            cache.Add(H(3), knownUltrapeer: true);
            cache.Add(H(4), knownLeaf: true);
            cache.Add(H(5));
            Assert.Equal("10.0.0.3:6346,10.0.0.1:6346,10.0.0.5:6346,10.0.0.2:6346", cache.TryUltrapeersHeader(10, null));
            Assert.Equal("10.0.0.1:6346,10.0.0.5:6346", cache.TryUltrapeersHeader(2, H(3)));
            // A leaf that becomes an ultrapeer is listed again; an ultrapeer seen as a leaf is not.
            cache.Add(H(4), knownUltrapeer: true);
            cache.Add(H(1), knownLeaf: true);
            Assert.Equal("10.0.0.4:6346,10.0.0.3:6346", cache.TryUltrapeersHeader(2, null));
        }

        [Fact]
        public void Lookups_find_every_host_through_growth_wraps_and_colliding_hashes()
        {
            // Many hosts with one address and different ports share hash chains; the capacity is not a power of two.
            var cache = new HostCache(37);
            var all = new List<HostPort>();
            for (int i = 0; i < 200; i++)
            {
                var host = new HostPort(i % 2 == 0 ? "10.0.0.1" : "10.0.0.2", 1000 + i);
                all.Add(host);
                cache.Add(host);
                cache.Failed(host, T0);   // only a host the cache finds gets a back-off
                var kept = all.Skip(Math.Max(0, all.Count - 37)).ToList();
                Assert.Equal(kept, cache.OldestFirst());
                if (i % 17 == 0)
                {
                    Assert.Empty(cache.Candidates(T0, 100, None));
                    foreach (var h in kept) cache.Succeeded(h);
                    Assert.Equal(kept.AsEnumerable().Reverse(), cache.Candidates(T0, 100, None));
                    foreach (var h in kept) cache.Failed(h, T0);
                }
            }
        }

        [Fact]
        public void A_hosts_pong_and_back_off_move_with_it_as_the_ring_grows_and_leave_with_it()
        {
            // Pongs and back-offs live beside the entries (only some hosts have them): they must follow their host
            // through the ring's growth and never pass to a newcomer that takes a forgotten host's slot.
            var cache = new HostCache(8);
            var pong = new Pong { Address = "10.0.0.0", Port = 6346, FileCount = 3 };
            cache.Add(H(0), pong);
            cache.Add(H(1));
            cache.Failed(H(1), T0);
            for (int i = 2; i < 8; i++) cache.Add(H(i));   // the ring grows from 4 to 8
            Assert.Equal(new[] { pong }, cache.Pongs(10, null));
            Assert.DoesNotContain(H(1), cache.Candidates(T0, 10, None));
            Assert.Contains(H(0), cache.Candidates(T0, 10, None));

            cache.Add(H(8));   // takes H(0)'s slot
            cache.Add(H(9));   // takes H(1)'s
            Assert.Empty(cache.Pongs(10, null));
            Assert.Equal(Enumerable.Range(2, 8).Select(H).Reverse(), cache.Candidates(T0, 10, None));
        }

        [Fact]
        public void Caches_that_read_the_same_host_in_lists_share_one_endpoint()
        {
            // Every servent that links to an ultrapeer reads the same few hosts in its X-Try-Ultrapeers and keeps them.
            var bytes = System.Text.Encoding.ASCII.GetBytes("10.9.8.7:6346,Host.Example:6347");
            var first = new HostCache(10);
            var second = new HostCache(10);
            first.AddList(bytes, 0, bytes.Length, 10, true);
            second.AddList(bytes, 0, bytes.Length, 10, true);
            Assert.Same(first.OldestFirst()[0], second.OldestFirst()[0]);
            Assert.Same(first.OldestFirst()[1], second.OldestFirst()[1]);
            Assert.True(HostCache.TryParseEndpoint(bytes, 0, 13, null, out var parsed));
            Assert.Same(first.OldestFirst()[0], parsed);
            // Shared only when the text is exactly the same: another case keeps its own spelling.
            var upper = System.Text.Encoding.ASCII.GetBytes("HOST.EXAMPLE:6347");
            Assert.True(HostCache.TryParseEndpoint(upper, 0, upper.Length, null, out var other));
            Assert.Equal("HOST.EXAMPLE", other.Host);
            Assert.Equal(first.OldestFirst()[1], other);
        }

        [Fact]
        public void A_list_grows_the_ring_to_what_it_needs_and_single_hosts_double_it()
        {
            static byte[] List(int from, int count) =>
                System.Text.Encoding.ASCII.GetBytes(string.Join(",", Enumerable.Range(from, count).Select(i => H(i).ToString())));
            var cache = new HostCache(1000);
            var ten = List(0, 10);
            cache.AddList(ten, 0, ten.Length, 20, true);
            Assert.Equal(12, cache.RingLength);   // ten, and room for the host of the link the list came with
            cache.Add(H(100));
            Assert.Equal(12, cache.RingLength);
            var more = List(10, 10);
            cache.AddList(more, 0, more.Length, 20, true);
            Assert.Equal(24, cache.RingLength);   // 21 + 2, in steps of four (doubling made 32)
            for (int i = 0; i < 3; i++) cache.Add(H(200 + i));
            Assert.Equal(24, cache.RingLength);
            cache.Add(H(300));
            Assert.Equal(48, cache.RingLength);   // one host at a time doubles
            Assert.Equal(25, cache.Count);
            // Bounded by the capacity however it grows.
            var small = new HostCache(5);
            small.AddList(ten, 0, ten.Length, 20, true);
            Assert.Equal(5, small.RingLength);
            Assert.Equal(Enumerable.Range(5, 5).Select(H), small.OldestFirst());
        }

        [Fact]
        public void A_capacity_of_one_keeps_the_newest()
        {
            var cache = new HostCache(1);
            cache.Add(H(1));
            cache.Add(H(2));
            Assert.Equal(new[] { H(2) }, cache.OldestFirst());
            Assert.Throws<ArgumentOutOfRangeException>(() => new HostCache(0));
        }
    
        [Fact]
        public void A_list_is_learnt_in_order_known_hosts_updated_in_place_and_what_cannot_be_dialled_skipped()
        {
            var cache = new HostCache(100);
            cache.Add(H(2));
            cache.AddList(" 10.0.0.1:6346, 10.0.0.2:6346,bad,10.0.0.9:0,0.0.0.0:6346,[10.0.0.3]:6346,10.0.0.1:6346 ", 20, knownUltrapeers: true);
            Assert.Equal(new[] { H(2), H(1), H(3) }, cache.OldestFirst());
            // Learnt as ultrapeers (H(2) too, in place): listed first, newest first.
            Assert.Equal("10.0.0.3:6346,10.0.0.1:6346,10.0.0.2:6346", cache.TryUltrapeersHeader(10, null));
            // Hosts compare ignoring case, as HostPort does.
            var named = new HostCache(10);
            named.Add(new HostPort("Peer.Example", 6346));
            named.AddList("peer.example:6346,other.example:6346", 20, knownUltrapeers: false);
            Assert.Equal(2, named.Count);
        }

        [Fact]
        public void A_list_counts_its_items_against_the_bound_and_its_bytes_read_as_its_string()
        {
            var cache = new HostCache(100);
            string list = string.Join(",", Enumerable.Range(1, 30).Select(i => H(i).ToString()));
            cache.AddList(list, 20, knownUltrapeers: false);
            Assert.Equal(Enumerable.Range(1, 20).Select(H), cache.OldestFirst());

            var fromBytes = new HostCache(100);
            var bytes = System.Text.Encoding.ASCII.GetBytes("X-Try: " + list);
            fromBytes.AddList(bytes, 7, bytes.Length - 7, 20, knownUltrapeers: false);
            Assert.Equal(cache.OldestFirst(), fromBytes.OldestFirst());
        }

        [Fact]
        public void A_list_longer_than_a_handshake_reads_is_learnt_whole_when_its_bound_allows()
        {
            // Its items are read once and kept for the second step, however many the bound lets in.
            var cache = new HostCache(100);
            string list = string.Join(",", Enumerable.Range(1, 45).Select(i => H(i).ToString())) + "," + H(3) + ",peer.example:6346," + H(46);
            cache.AddList(list, 47, knownUltrapeers: false);
            Assert.Equal(Enumerable.Range(1, 45).Select(H).Concat(new[] { new HostPort("peer.example", 6346) }), cache.OldestFirst());
            var bytes = System.Text.Encoding.ASCII.GetBytes(list);
            var fromBytes = new HostCache(100);
            fromBytes.AddList(bytes, 0, bytes.Length, 48, knownUltrapeers: false);
            Assert.Equal(cache.OldestFirst().Concat(new[] { H(46) }), fromBytes.OldestFirst());
        }

        [Fact]
        public void Our_list_is_written_into_a_head_as_the_header_string_says_it()
        {
            var cache = new HostCache(100);
            cache.Add(H(1), knownUltrapeer: true);
            cache.Add(new HostPort("fe80::1", 6346), knownUltrapeer: true);
            cache.Add(H(2));
            cache.Add(H(3), knownLeaf: true);
            var writer = HandshakeHeadWriter.Start("GNUTELLA/0.6 200 OK");
            cache.WriteTryUltrapeers(writer, "X-Try-Ultrapeers", 10, H(2));
            string head = System.Text.Encoding.ASCII.GetString(writer.Finish());
            Assert.Equal("GNUTELLA/0.6 200 OK\r\nX-Try-Ultrapeers: " + cache.TryUltrapeersHeader(10, H(2)) + "\r\n\r\n", head);
            Assert.Contains("[fe80::1]:6346", head);

            var empty = HandshakeHeadWriter.Start("GNUTELLA/0.6 200 OK");
            new HostCache(10).WriteTryUltrapeers(empty, "X-Try-Ultrapeers", 10, null);
            Assert.Equal("GNUTELLA/0.6 200 OK\r\n\r\n", System.Text.Encoding.ASCII.GetString(empty.Finish()));
        }
    }
}
