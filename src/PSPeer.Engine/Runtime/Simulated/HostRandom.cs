using System;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// A simulated host's random source: xoshiro256** seeded through SplitMix64 from the host's derived seed. Its whole
    /// state is four words, where System.Random keeps 56 ints and three objects (about 320 bytes): a million hosts
    /// each have one. Deterministic for a seed, as the simulation needs; not for cryptography.
    /// </summary>
    sealed class HostRandom : IRandomSource
    {
        ulong _s0, _s1, _s2, _s3;

        public HostRandom(int seed)
        {
            ulong x = (ulong)(uint)seed;
            _s0 = SplitMix(ref x);
            _s1 = SplitMix(ref x);
            _s2 = SplitMix(ref x);
            _s3 = SplitMix(ref x);
        }

        static ulong SplitMix(ref ulong x)
        {
            ulong z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        static ulong Rotl(ulong x, int k) => (x << k) | (x >> (64 - k));

        // Locked on itself (a private type nobody else can lock) in case a node calls from another thread.
        ulong NextUInt64()
        {
            lock (this)
            {
                ulong result = Rotl(_s1 * 5, 7) * 9;
                ulong t = _s1 << 17;
                _s2 ^= _s0;
                _s3 ^= _s1;
                _s1 ^= _s2;
                _s0 ^= _s3;
                _s2 ^= t;
                _s3 = Rotl(_s3, 45);
                return result;
            }
        }

        /// <summary>Uniform in [0, bound) without modulo bias (Lemire's multiply-and-reject).</summary>
        uint Below(uint bound)
        {
            ulong product = (NextUInt64() >> 32) * bound;
            uint low = (uint)product;
            if (low < bound)
            {
                uint threshold = (uint)(-bound) % bound;
                while (low < threshold)
                {
                    product = (NextUInt64() >> 32) * bound;
                    low = (uint)product;
                }
            }
            return (uint)(product >> 32);
        }

        public int Next(int maxExclusive)
        {
            if (maxExclusive < 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "The bound cannot be negative.");
            return maxExclusive <= 1 ? 0 : (int)Below((uint)maxExclusive);
        }

        public int Next(int minInclusive, int maxExclusive)
        {
            if (minInclusive > maxExclusive) throw new ArgumentOutOfRangeException(nameof(minInclusive), minInclusive, "The lower bound is above the upper one.");
            long range = (long)maxExclusive - minInclusive;
            return range <= 1 ? minInclusive : (int)(minInclusive + Below((uint)range));
        }

        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        public void NextBytes(byte[] buffer)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            int i = 0;
            while (i < buffer.Length)
            {
                ulong word = NextUInt64();
                for (int b = 0; b < 8 && i < buffer.Length; b++, word >>= 8) buffer[i++] = (byte)word;
            }
        }
    }
}
