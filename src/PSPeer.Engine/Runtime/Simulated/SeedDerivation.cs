namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// Gives every named consumer (a host, the network's loss model) its own seed derived from the simulation's seed
    /// and the name alone, so adding a host or a feature never shifts another's random sequence.
    /// string.GetHashCode is randomized per process, so the name is hashed here with FNV-1a and mixed with SplitMix64.
    /// </summary>
    static class SeedDerivation
    {
        const ulong FnvOffset = 14695981039346656037UL;

        public static int Derive(int seed, string name) => Mix(seed, Hash(FnvOffset, name));

        /// <summary>
        /// <see cref="Derive(int, string)"/> of <paramref name="prefix"/> + <paramref name="name"/>, without making that
        /// string (a host's seed is derived from "host/" and its name: a string per host of a big simulation).
        /// </summary>
        public static int Derive(int seed, string prefix, string name) => Mix(seed, Hash(Hash(FnvOffset, prefix), name));

        // FNV-1a over the characters, continuing from hash.
        static ulong Hash(ulong hash, string text)
        {
            foreach (char c in text)
            {
                hash ^= c;
                hash *= 1099511628211UL;
            }
            return hash;
        }

        static int Mix(int seed, ulong hash)
        {
            ulong z = hash ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z ^ (z >> 32));
        }
    }
}
