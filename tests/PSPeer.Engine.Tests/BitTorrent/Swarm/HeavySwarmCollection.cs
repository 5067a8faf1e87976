using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>
    /// Swarm tests that move megabytes (the 50-leecher simulation, live and interop transfers) run alone, after the
    /// parallel tests: their allocations would otherwise disturb tests that measure process memory
    /// (GC.GetTotalMemory), and their timing would suffer from sharing two cores with everything else.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class HeavySwarmCollection
    {
        public const string Name = "Heavy swarm transfers";
    }
}
