using System;
using PSPeer.Engine.BitTorrent;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    public class SwarmLowerBoundTests
    {
        const long MiB = 1024 * 1024;

        [Fact]
        public void A_slow_seed_bounds_the_swarm_by_the_time_to_upload_one_copy()
        {
            // 8 MiB from a 1 MiB/s seed: 8 s, however fast the leechers trade.
            Assert.Equal(TimeSpan.FromSeconds(8), SwarmLowerBound.Of(8 * MiB, new[] { 1 * MiB }, new[] { 10 * MiB, 10 * MiB }));
        }

        [Fact]
        public void Many_slow_leechers_bound_the_swarm_by_the_total_upload_rate()
        {
            // 4 leechers need 4 copies of 8 MiB = 32 MiB, uploaded at 2 + 4 x 0.5 = 4 MiB/s: 8 s (the seed alone would take 4 s).
            Assert.Equal(TimeSpan.FromSeconds(8), SwarmLowerBound.Of(8 * MiB, new[] { 2 * MiB }, new[] { MiB / 2, MiB / 2, MiB / 2, MiB / 2 }));
        }

        [Fact]
        public void The_slowest_download_limit_bounds_the_swarm_too()
        {
            Assert.Equal(TimeSpan.FromSeconds(16), SwarmLowerBound.Of(8 * MiB, new[] { 8 * MiB }, new[] { 8 * MiB }, new[] { 0, MiB / 2 }));
        }

        [Fact]
        public void Without_a_seed_or_with_an_unlimited_uploader_there_is_no_bound()
        {
            Assert.Null(SwarmLowerBound.Of(8 * MiB, new long[0], new[] { MiB }));
            Assert.Null(SwarmLowerBound.Of(8 * MiB, new[] { MiB }, new[] { MiB, 0 }));
            Assert.Null(SwarmLowerBound.Of(8 * MiB, new[] { 0L }, new[] { MiB }));
        }
    }
}
