using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// Endpoints shared across host caches: a host learnt by Add is the object a list naming it later resolves to, and
    /// equal by value to one made anew; four endpoints of one set all stay (a fifth pushes the oldest out); the
    /// table grows with the host caches made, keeping what it shares.
    /// </summary>
    public class SharedEndpointTableTests
    {
        [Fact]
        public void A_host_added_to_one_cache_is_the_object_another_caches_list_resolves_to_and_equal_by_value()
        {
            var host = new HostPort("198.51.100.77", 6346);
            var first = new HostCache(10);
            first.Add(host, knownUltrapeer: true);
            var second = new HostCache(10);
            second.AddList("198.51.100.77:6346", 10, knownUltrapeers: true);

            var learnt = Assert.Single(second.OldestFirst());
            Assert.Same(Assert.Single(first.OldestFirst()), learnt);
            Assert.Equal(new HostPort("198.51.100.77", 6346), learnt);
            Assert.Equal(new HostPort("198.51.100.77", 6346).GetHashCode(), learnt.GetHashCode());
        }

        [Fact]
        public void Shared_hands_back_the_first_equal_endpoint_with_the_same_host_text_and_shares_a_new_one()
        {
            var mine = new HostPort("203.0.113.41", 6346);
            Assert.Same(mine, HostCache.Shared(mine));
            Assert.Same(mine, HostCache.Shared(new HostPort("203.0.113.41", 6346)));
            Assert.NotSame(mine, HostCache.Shared(new HostPort("203.0.113.41", 6347)));   // another port
            Assert.Null(HostCache.Shared(null));
        }

        [Fact]
        public void Four_endpoints_of_one_set_all_stay_and_a_fifth_pushes_the_oldest_out()
        {
            var table = new SharedEndpointTable();
            HostPort Find(HostPort e, int hash) => table.Find(new HostCache.Text(e.Host), 0, e.Host.Length, e.Port, hash);
            var hosts = new HostPort[5];
            for (int i = 0; i < 5; i++) hosts[i] = new HostPort("10.0.0." + (i + 1), 6346);
            for (int i = 0; i < 4; i++) table.Put(hosts[i], 4 + i);   // hashes 4..7: one set
            for (int i = 0; i < 4; i++) Assert.Same(hosts[i], Find(hosts[i], 4 + i));
            table.Put(hosts[4], 4);
            Assert.Null(Find(hosts[0], 4));
            for (int i = 1; i < 5; i++) Assert.Same(hosts[i], Find(hosts[i], 4 + i % 4));
            Assert.Null(Find(new HostPort("10.0.0.5", 6347), 4));   // same host, other port
        }

        [Fact]
        public void The_table_grows_with_the_caches_made_and_keeps_what_it_shares()
        {
            var table = new SharedEndpointTable();
            int first = table.Slots;
            var kept = new HostPort("192.0.2.9", 6346);
            int hash = HostCache.HashOf(kept.Host, kept.Port);
            table.Put(kept, hash);
            for (int i = 0; i < first; i++) table.CacheMade();
            Assert.True(table.Slots >= 2 * first, $"{table.Slots} slots for {first} caches");
            Assert.Same(kept, table.Find(new HostCache.Text(kept.Host), 0, kept.Host.Length, kept.Port, hash));
        }
    }
}
