using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    public class SegmentBufferPoolTests
    {
        [Theory]
        [InlineData(1, 32)]
        [InlineData(23, 32)]
        [InlineData(33, 64)]
        [InlineData(16 * 1024, 16 * 1024)]
        [InlineData(16 * 1024 + 1, 32 * 1024)]
        public void Rents_the_next_power_of_two(int length, int expected)
        {
            Assert.Equal(expected, new SegmentBufferPool().Rent(length).Length);
        }

        [Fact]
        public void A_returned_buffer_is_rented_again_for_the_same_size_class()
        {
            var pool = new SegmentBufferPool();
            var first = pool.Rent(100);
            pool.Return(first);
            Assert.Same(first, pool.Rent(120));
            Assert.NotSame(first, pool.Rent(120));
        }

        [Fact]
        public void Keeps_at_most_a_mebibyte_of_free_buffers_per_size()
        {
            var pool = new SegmentBufferPool();
            var rented = new byte[200][];
            for (int i = 0; i < rented.Length; i++) rented[i] = pool.Rent(16 * 1024);
            foreach (var b in rented) pool.Return(b);
            // 64 of 16 KiB make a MiB: the 65th rent must be a new buffer.
            var again = new System.Collections.Generic.HashSet<byte[]>();
            for (int i = 0; i < 65; i++) again.Add(pool.Rent(16 * 1024));
            int reused = 0;
            foreach (var b in rented) if (again.Contains(b)) reused++;
            Assert.Equal(64, reused);
        }

        [Fact]
        public void Ignores_buffers_that_are_not_a_power_of_two()
        {
            var pool = new SegmentBufferPool();
            pool.Return(new byte[100]);
            Assert.Equal(128, pool.Rent(100).Length);
        }
    }
}
