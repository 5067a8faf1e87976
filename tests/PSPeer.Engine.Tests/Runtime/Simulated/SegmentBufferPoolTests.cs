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
        public void Keeps_a_whole_wave_of_small_buffers_for_the_next_one()
        {
            // A wave of a network build: 20,000 handshake heads in flight at once, then read and given back.
            var pool = new SegmentBufferPool();
            var wave = new byte[20_000][];
            for (int i = 0; i < wave.Length; i++) wave[i] = pool.Rent(200);
            foreach (var b in wave) pool.Return(b);
            var given = new System.Collections.Generic.HashSet<byte[]>(wave);
            for (int i = 0; i < wave.Length; i++) Assert.Contains(pool.Rent(200), given);
        }

        [Fact]
        public void Keeps_at_most_the_bound_of_free_buffers_in_all()
        {
            var pool = new SegmentBufferPool();
            int fit = (int)(SegmentBufferPool.MaxRetainedBytes / (16 * 1024));
            var rented = new byte[fit + 10][];
            for (int i = 0; i < rented.Length; i++) rented[i] = pool.Rent(16 * 1024);
            foreach (var b in rented) pool.Return(b);
            Assert.Equal(SegmentBufferPool.MaxRetainedBytes, pool.RetainedBytes);
            // The bound is in all: a full pool still keeps one buffer of a size it holds none of.
            var small = pool.Rent(100);
            pool.Return(small);
            Assert.Same(small, pool.Rent(100));
            // Only `fit` of the large ones were kept: the next rent after them is a new buffer.
            var again = new System.Collections.Generic.HashSet<byte[]>();
            for (int i = 0; i < fit + 1; i++) again.Add(pool.Rent(16 * 1024));
            int reused = 0;
            foreach (var b in rented) if (again.Contains(b)) reused++;
            Assert.Equal(fit, reused);
            Assert.Equal(0, pool.RetainedBytes);
        }

        [Fact]
        public void Trim_lets_every_free_buffer_go()
        {
            var pool = new SegmentBufferPool();
            var first = pool.Rent(100);
            pool.Return(first);
            pool.Trim();
            Assert.Equal(0, pool.RetainedBytes);
            Assert.NotSame(first, pool.Rent(100));
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
