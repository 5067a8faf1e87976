using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// What QRP tables that many servents share cost once per process instead of once per servent or per link: the
    /// reset and compressed patches of a sparse table (most leaves share nothing, so most tables are the same empty
    /// one), and the sparse table a whole one-patch sequence decodes to. Both are pure functions of their keys, so a
    /// hit gives exactly what computing would; entries are immutable and shared. Bounded: when full, it starts over.
    /// </summary>
    static class QrpTableCache
    {
        const int MaxEntries = 4096;
        // Patches a stranger sends are kept only when small, and only when they decode to few slots (the few-keyword
        // tables this cache is for): 4,096 entries of at most 4 KiB of patch and 4 KiB of slots bound what other
        // servents can make a live process hold here to 32 MiB.
        const int MaxRememberedPatchBytes = 4096;
        static readonly object Gate = new object();
        static readonly Dictionary<Key, QueryRouteTable.EncodedUpdates> Sent = new Dictionary<Key, QueryRouteTable.EncodedUpdates>();
        static readonly Dictionary<Key, int[]> Decoded = new Dictionary<Key, int[]>();

        /// <summary>The updates (and their payloads) for a sparse table of 2^bits slots, made by <paramref name="build"/> on a miss.</summary>
        public static QueryRouteTable.EncodedUpdates Updates(int bits, int maxPatchBytes, int[] slots, Func<QueryRouteTable.EncodedUpdates> build)
        {
            var key = new Key(bits, maxPatchBytes, Bytes(slots));
            lock (Gate) if (Sent.TryGetValue(key, out var known)) return known;
            var made = build();
            lock (Gate)
            {
                if (Sent.Count >= MaxEntries) Sent.Clear();
                Sent[key] = made;
            }
            return made;
        }

        /// <summary>A one-patch sequence after a reset, decoded before with the same parameters and bytes.</summary>
        public static bool TryDecoded(int bits, int infinity, int entryBits, int compressor, byte[] data, out int[] slots)
        {
            slots = null;
            if (data.Length > MaxRememberedPatchBytes) return false;
            lock (Gate) return Decoded.TryGetValue(new Key(bits, (infinity << 16) | (entryBits << 8) | compressor, data), out slots);
        }

        public static void RememberDecoded(int bits, int infinity, int entryBits, int compressor, byte[] data, int[] slots)
        {
            if (data.Length > MaxRememberedPatchBytes || (long)slots.Length * sizeof(int) > MaxRememberedPatchBytes) return;
            var copy = (byte[])data.Clone();   // the patch's bytes are its owner's
            lock (Gate)
            {
                if (Decoded.Count >= MaxEntries) Decoded.Clear();
                Decoded[new Key(bits, (infinity << 16) | (entryBits << 8) | compressor, copy)] = slots;
            }
        }

        static byte[] Bytes(int[] slots)
        {
            var bytes = new byte[slots.Length * 4];
            Buffer.BlockCopy(slots, 0, bytes, 0, bytes.Length);
            return bytes;
        }

        readonly struct Key : IEquatable<Key>
        {
            readonly int _a, _b, _hash;
            readonly byte[] _bytes;

            public Key(int a, int b, byte[] bytes)
            {
                _a = a;
                _b = b;
                _bytes = bytes;
                uint h = 2166136261;   // FNV-1a
                foreach (byte x in bytes) h = (h ^ x) * 16777619;
                _hash = (int)(h ^ (uint)(a * 31 + b));
            }

            public bool Equals(Key other)
            {
                if (_a != other._a || _b != other._b || _hash != other._hash || _bytes.Length != other._bytes.Length) return false;
                for (int i = 0; i < _bytes.Length; i++) if (_bytes[i] != other._bytes[i]) return false;
                return true;
            }

            public override bool Equals(object obj) => obj is Key k && Equals(k);
            public override int GetHashCode() => _hash;
        }
    }
}
