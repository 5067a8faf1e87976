using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// A host cache's entries link by 16-bit slot numbers and keep no hash: a cache at the largest capacity still finds,
    /// updates and forgets hosts in order as its ring wraps; a larger capacity is refused. Short rings are searched end
    /// to end, longer ones through an index: either way every host is found.
    /// </summary>
    public class HostCacheCompactEntryTests
    {
        static HostPort Host(int i) => new HostPort($"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}", 6346);

        [Fact]
        public void A_cache_at_the_largest_capacity_keeps_the_newest_in_order_and_finds_each_of_them()
        {
            var cache = new HostCache(HostCache.MaxCapacity);
            int total = HostCache.MaxCapacity + 4_465;
            for (int i = 0; i < total; i++) cache.Add(Host(i));
            Assert.Equal(HostCache.MaxCapacity, cache.Count);
            var kept = cache.OldestFirst();
            Assert.Equal(Host(4_465), kept[0]);
            Assert.Equal(Host(total - 1), kept[kept.Count - 1]);

            // Known hosts are found (learnt again in place: neither count nor order changes), forgotten ones are not.
            cache.Add(Host(4_465), knownUltrapeer: true);
            cache.Add(Host(total - 1), knownUltrapeer: true);
            cache.Add(Host(total / 2), knownUltrapeer: true);
            Assert.Equal(HostCache.MaxCapacity, cache.Count);
            Assert.Equal(kept, cache.OldestFirst());
            cache.Add(Host(0));   // forgotten: learnt anew, as the newest, and the oldest goes
            Assert.Equal(Host(0), cache.OldestFirst()[HostCache.MaxCapacity - 1]);
            Assert.Equal(Host(4_466), cache.OldestFirst()[0]);
        }

        [Fact]
        public void A_capacity_past_sixteen_bit_links_is_refused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new HostCache(HostCache.MaxCapacity + 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => new HostCache(0));
        }

        [Theory]
        [InlineData(HostCache.IndexFrom)]        // never indexed
        [InlineData(HostCache.IndexFrom + 1)]    // indexed once it grows past IndexFrom
        [InlineData(3 * HostCache.IndexFrom)]
        public void Every_host_is_found_in_short_searched_rings_and_long_indexed_ones_as_they_grow_and_wrap(int capacity)
        {
            // Addresses, names and one address on many ports: the kinds of host a search must tell apart.
            static HostPort Mixed(int i) => (i % 3) switch
            {
                0 => new HostPort("10.0.0." + (i % 256), 6346),
                1 => new HostPort("10.0.0.7", 1000 + i),
                _ => new HostPort("peer" + i + ".example", 6346),
            };
            var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var cache = new HostCache(capacity);
            var learnt = new List<HostPort>();
            for (int i = 0; i < 4 * capacity; i++)
            {
                cache.Add(Mixed(i));
                learnt.Add(Mixed(i));
                var kept = learnt.Skip(Math.Max(0, learnt.Count - capacity)).ToList();
                Assert.Equal(kept, cache.OldestFirst());
                if (i % 7 != 0) continue;
                // Each kept host is found (learnt again in place, in another spelling of its case), each forgotten one is not.
                foreach (var h in kept) cache.Add(new HostPort(h.Host.ToUpperInvariant(), h.Port));
                Assert.Equal(kept, cache.OldestFirst());
                foreach (var h in kept) cache.Failed(h, t0);
                Assert.Empty(cache.Candidates(t0, capacity, new HostPort[0]));
                foreach (var h in learnt.Take(learnt.Count - kept.Count)) cache.Succeeded(h);
                Assert.Empty(cache.Candidates(t0, capacity, new HostPort[0]));
                foreach (var h in kept) cache.Succeeded(h);
                Assert.Equal(kept.AsEnumerable().Reverse(), cache.Candidates(t0, capacity, new HostPort[0]));
            }
        }
    }
}
