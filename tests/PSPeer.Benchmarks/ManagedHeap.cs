using System;

namespace PSPeer.Benchmarks
{
    /// <summary>The managed heap's size after a full collection with finalizers run: what the memory parts measure.</summary>
    static class ManagedHeap
    {
        public static long Settled()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return GC.GetTotalMemory(true);
        }
    }
}
