using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Chord
{
    /// <summary>
    /// The keys one node holds (owned or replicated): per key a set of distinct values (byte strings, compared byte
    /// for byte), oldest first, each with its expiry. Storing a value again refreshes its expiry and keeps its place. Not thread-safe: the node's lock guards
    /// it. Made on the first store, so a node that holds nothing pays nothing.
    /// </summary>
    sealed class KeyStore
    {
        struct Entry
        {
            public byte[] Value;
            public long ExpiresTicks;
        }

        sealed class ValueSet
        {
            public Entry[] Entries = new Entry[1];
            public int Count;
        }

        readonly SortedList<ChordId, ValueSet> _keys = new SortedList<ChordId, ValueSet>();
        int _values;

        public int KeyCount => _keys.Count;
        public int ValueCount => _values;

        /// <summary>Adds or refreshes a value; false when the key already holds <paramref name="maxValues"/> others (303).</summary>
        public bool Put(ChordId key, byte[] value, long expiresTicks, int maxValues)
        {
            if (!_keys.TryGetValue(key, out var set))
            {
                set = new ValueSet();
                _keys.Add(key, set);
            }
            for (int i = 0; i < set.Count; i++)
            {
                if (!SameBytes(set.Entries[i].Value, value)) continue;
                if (expiresTicks > set.Entries[i].ExpiresTicks) set.Entries[i].ExpiresTicks = expiresTicks;
                return true;
            }
            if (set.Count >= maxValues)
            {
                if (set.Count == 0) _keys.Remove(key);
                return false;
            }
            if (set.Count == set.Entries.Length) Array.Resize(ref set.Entries, Math.Min(set.Entries.Length * 2, Math.Max(maxValues, 1)));
            set.Entries[set.Count++] = new Entry { Value = value, ExpiresTicks = expiresTicks };
            _values++;
            return true;
        }

        /// <summary>
        /// Adds a value copied from another holder whose age is not known (a transfer from a client that does not say):
        /// a value already here keeps its own expiry, so copies moving around the ring never outlive what their
        /// publisher keeps refreshing by more than one lifetime. True when the value is new here.
        /// </summary>
        public bool Merge(ChordId key, byte[] value, long expiresTicks, int maxValues)
        {
            if (Contains(key, value)) return false;
            return Put(key, value, expiresTicks, maxValues);
        }

        /// <summary>Whether the key holds this value (live or not yet swept).</summary>
        public bool Contains(ChordId key, byte[] value)
        {
            if (!_keys.TryGetValue(key, out var set)) return false;
            for (int i = 0; i < set.Count; i++)
                if (SameBytes(set.Entries[i].Value, value)) return true;
            return false;
        }

        public static bool SameBytes(byte[] a, byte[] b)
        {
            if (ReferenceEquals(a, b)) return true;
            if (a == null || b == null || a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
            return true;
        }

        /// <summary>The live values of a key, oldest first; empty when none.</summary>
        public IReadOnlyList<byte[]> Get(ChordId key, long nowTicks)
        {
            if (!_keys.TryGetValue(key, out var set)) return Array.Empty<byte[]>();
            var values = new List<byte[]>(set.Count);
            for (int i = 0; i < set.Count; i++) if (set.Entries[i].ExpiresTicks > nowTicks) values.Add(set.Entries[i].Value);
            return values;
        }

        /// <summary>The live values of a key, oldest first, with when each expires; empty when none.</summary>
        public (List<byte[]> Values, List<long> ExpiresTicks) GetWithExpiry(ChordId key, long nowTicks)
        {
            var values = new List<byte[]>();
            var expires = new List<long>();
            if (_keys.TryGetValue(key, out var set))
                for (int i = 0; i < set.Count; i++)
                {
                    if (set.Entries[i].ExpiresTicks <= nowTicks) continue;
                    values.Add(set.Entries[i].Value);
                    expires.Add(set.Entries[i].ExpiresTicks);
                }
            return (values, expires);
        }

        /// <summary>Keys in (from, to] on the circle in ring order (after from), with their live values and when each expires.</summary>
        public IEnumerable<(ChordId Key, List<byte[]> Values, List<long> ExpiresTicks)> Range(ChordId from, ChordId to, long nowTicks)
        {
            var keys = _keys.Keys;
            int n = keys.Count;
            if (n == 0) yield break;
            int start = FirstAbove(from);
            for (int step = 0; step < n; step++)
            {
                var key = keys[(start + step) % n];
                if (!key.InOpenClosed(from, to)) yield break;
                var (values, expires) = GetWithExpiry(key, nowTicks);
                if (values.Count > 0) yield return (key, values, expires);
            }
        }

        // The index of the first key greater than id (wrapping to 0).
        int FirstAbove(ChordId id)
        {
            var keys = _keys.Keys;
            int lo = 0, hi = keys.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (keys[mid].CompareTo(id) <= 0) lo = mid + 1; else hi = mid;
            }
            return lo == keys.Count ? 0 : lo;
        }

        /// <summary>Drops expired values and keys left empty; returns the values dropped.</summary>
        public int Sweep(long nowTicks)
        {
            int dropped = 0;
            for (int k = _keys.Count - 1; k >= 0; k--)
            {
                var set = _keys.Values[k];
                int kept = 0;
                for (int i = 0; i < set.Count; i++)
                {
                    if (set.Entries[i].ExpiresTicks > nowTicks) set.Entries[kept++] = set.Entries[i];
                    else dropped++;
                }
                for (int i = kept; i < set.Count; i++) set.Entries[i] = default;
                set.Count = kept;
                if (kept == 0) _keys.RemoveAt(k);
            }
            _values -= dropped;
            return dropped;
        }

        /// <summary>Drops every key outside (from, to]: this node no longer owns or replicates them.</summary>
        public int RemoveOutside(ChordId from, ChordId to)
        {
            int dropped = 0;
            for (int k = _keys.Count - 1; k >= 0; k--)
            {
                if (_keys.Keys[k].InOpenClosed(from, to)) continue;
                dropped += _keys.Values[k].Count;
                _keys.RemoveAt(k);
            }
            _values -= dropped;
            return dropped;
        }

        /// <summary>Drops one key and its values (a copy this node no longer holds for the ring); returns the values dropped.</summary>
        public int Remove(ChordId key)
        {
            int i = _keys.IndexOfKey(key);
            if (i < 0) return 0;
            int dropped = _keys.Values[i].Count;
            _keys.RemoveAt(i);
            _values -= dropped;
            return dropped;
        }

        /// <summary>The keys held outside (from, to], in key order (copies this node no longer owns or replicates).</summary>
        public List<ChordId> KeysOutside(ChordId from, ChordId to, int max)
        {
            var keys = new List<ChordId>();
            for (int k = 0; k < _keys.Count && keys.Count < max; k++)
                if (!_keys.Keys[k].InOpenClosed(from, to)) keys.Add(_keys.Keys[k]);
            return keys;
        }

        public List<(ChordId, IReadOnlyList<byte[]>)> Snapshot(long nowTicks)
        {
            var items = new List<(ChordId, IReadOnlyList<byte[]>)>(_keys.Count);
            for (int k = 0; k < _keys.Count; k++)
            {
                var values = Get(_keys.Keys[k], nowTicks);
                if (values.Count > 0) items.Add((_keys.Keys[k], values));
            }
            return items;
        }
    }
}
