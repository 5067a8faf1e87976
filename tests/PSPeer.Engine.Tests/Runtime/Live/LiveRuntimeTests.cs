using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Live
{
    public class LiveRuntimeTests
    {
        // Runtimes made back to back (within one clock tick) stand for processes started together: their random
        // sources must differ, or their nodes draw the same peer ids and GUIDs and drop each other as duplicates.
        [Fact]
        public void Unseeded_runtimes_made_in_the_same_instant_draw_different_numbers()
        {
            var first = new byte[16];
            var second = new byte[16];
            new LiveRuntime("127.0.0.1").Random.NextBytes(first);
            new LiveRuntime("127.0.0.1").Random.NextBytes(second);
            Assert.NotEqual(first, second);
        }

        [Fact]
        public void A_seeded_runtime_repeats_its_numbers()
        {
            var first = new byte[16];
            var second = new byte[16];
            new LiveRuntime("127.0.0.1", seed: 42).Random.NextBytes(first);
            new LiveRuntime("127.0.0.1", seed: 42).Random.NextBytes(second);
            Assert.Equal(first, second);
        }
    }
}
