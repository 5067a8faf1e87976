using System;

namespace PSPeer.Engine.Tests.Support
{
    /// <summary>
    /// The managed heap's size once garbage has been collected and finalizers have run, for tests that measure what
    /// connections cost (run alone in the memory collection, so other tests' allocations stay out of the figure).
    /// </summary>
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
