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
            var bytes = Bytes(slots);
            var key = new Key(bits, maxPatchBytes, bytes, 0, bytes.Length);
            lock (Gate) if (Sent.TryGetValue(key, out var known)) return known;
            var made = build();
            lock (Gate)
            {
                if (Sent.Count >= MaxEntries) Sent.Clear();
                Sent[key] = made;
            }
            return made;
        }

        /// <summary>
        /// A sequence after a reset whose data (<paramref name="count"/> bytes of <paramref name="data"/> from
        /// <paramref name="offset"/>) was decoded before with the same parameters.
        /// </summary>
        public static bool TryDecoded(int bits, int infinity, int entryBits, int compressor, byte[] data, int offset, int count, out int[] slots)
        {
            slots = null;
            if (count > MaxRememberedPatchBytes) return false;
            lock (Gate) return Decoded.TryGetValue(new Key(bits, (infinity << 16) | (entryBits << 8) | compressor, data, offset, count), out slots);
        }

        public static void RememberDecoded(int bits, int infinity, int entryBits, int compressor, byte[] data, int offset, int count, int[] slots)
        {
            if (count > MaxRememberedPatchBytes || (long)slots.Length * sizeof(int) > MaxRememberedPatchBytes) return;
            var copy = new byte[count];   // the patch's bytes are its owner's
            Buffer.BlockCopy(data, offset, copy, 0, count);
            lock (Gate)
            {
                if (Decoded.Count >= MaxEntries) Decoded.Clear();
                Decoded[new Key(bits, (infinity << 16) | (entryBits << 8) | compressor, copy, 0, count)] = slots;
            }
        }

        static byte[] Bytes(int[] slots)
        {
            var bytes = new byte[slots.Length * 4];
            Buffer.BlockCopy(slots, 0, bytes, 0, bytes.Length);
            return bytes;
        }

        // Two numbers and count bytes of an array from offset (a key looked up may be a slice of a payload; a key kept
        // is an array of its own).
        readonly struct Key : IEquatable<Key>
        {
            readonly int _a, _b, _hash, _offset, _count;
            readonly byte[] _bytes;

            public Key(int a, int b, byte[] bytes, int offset, int count)
            {
                _a = a;
                _b = b;
                _bytes = bytes;
                _offset = offset;
                _count = count;
                uint h = 2166136261;   // FNV-1a
                for (int i = offset; i < offset + count; i++) h = (h ^ bytes[i]) * 16777619;
                _hash = (int)(h ^ (uint)(a * 31 + b));
            }

            public bool Equals(Key other)
            {
                if (_a != other._a || _b != other._b || _hash != other._hash || _count != other._count) return false;
                for (int i = 0; i < _count; i++) if (_bytes[_offset + i] != other._bytes[other._offset + i]) return false;
                return true;
            }

            public override bool Equals(object obj) => obj is Key k && Equals(k);
            public override int GetHashCode() => _hash;
        }
    }
}
