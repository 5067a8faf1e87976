using System;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// A host cache's entries link by 16-bit slot numbers and keep no hash: a cache at the largest capacity still finds,
    /// updates and forgets hosts in order as its ring wraps; a larger capacity is refused.
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
    }
}
