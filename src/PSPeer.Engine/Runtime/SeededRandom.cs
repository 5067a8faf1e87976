using System;

namespace PSPeer.Engine.Runtime
{
    /// <summary>System.Random behind the runtime's interface; locked because live nodes call it from many threads.</summary>
    public sealed class SeededRandom : IRandomSource
    {
        readonly Random _random;
        public SeededRandom(int seed) => _random = new Random(seed);
        public int Next(int maxExclusive) { lock (_random) return _random.Next(maxExclusive); }
        public int Next(int minInclusive, int maxExclusive) { lock (_random) return _random.Next(minInclusive, maxExclusive); }
        public double NextDouble() { lock (_random) return _random.NextDouble(); }
        public void NextBytes(byte[] buffer) { lock (_random) _random.NextBytes(buffer); }
    }
}
