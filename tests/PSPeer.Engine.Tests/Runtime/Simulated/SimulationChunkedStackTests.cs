using System;
using System.Collections.Generic;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// The simulation's pools keep their free buffers and rings in a ChunkedStack: last in, first out like a stack,
    /// however deep, and never in an array large enough for the large object heap (where an allocation mid-build
    /// starts a full collection).
    /// </summary>
    public class SimulationChunkedStackTests
    {
        [Fact]
        public void Items_come_back_last_in_first_out_across_chunk_boundaries_up_and_down()
        {
            var stack = new ChunkedStack<object>();
            var reference = new Stack<object>();
            var random = new Random(5);
            for (int round = 0; round < 200; round++)
            {
                int pushes = random.Next(3) == 0 ? 20_000 : random.Next(100);
                for (int i = 0; i < pushes; i++)
                {
                    var item = new object();
                    stack.Push(item);
                    reference.Push(item);
                }
                int pops = random.Next(reference.Count + 1);
                for (int i = 0; i < pops; i++) Assert.Same(reference.Pop(), stack.Pop());
                Assert.Equal(reference.Count, stack.Count);
            }
            while (reference.Count > 0) Assert.Same(reference.Pop(), stack.Pop());
            Assert.Equal(0, stack.Count);
        }

        [Fact]
        public void A_deep_stack_holds_no_array_large_enough_for_the_large_object_heap()
        {
            var stack = new ChunkedStack<byte[]>();
            var item = new byte[1];
            for (int i = 0; i < 200_000; i++) stack.Push(item);
            Assert.Equal(200_000, stack.Count);
            // 200,000 references in one array would be 1.6 MB; the runtime puts arrays of 85,000 bytes or more there.
            Assert.True(24 + (long)stack.LongestChunk * IntPtr.Size < 85_000, $"a chunk of {stack.LongestChunk} references");
            Assert.True(stack.LongestChunk >= 1024, "chunks grow past the first ones");
        }
    }
}
