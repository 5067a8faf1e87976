using System;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// GUID -> value, for <see cref="GuidRouteTable{T}"/>: open addressing with linear probing over one array of
    /// (GUID, value) slots, a null value marking a free slot. Not thread-safe (the route table locks).
    /// </summary>
    /// <remarks>
    /// A struct held in the route table's fields (no object of its own between the table and its slots: one memory
    /// miss fewer per lookup); default is an empty map that holds no array. Keep one copy of it (a field, used in place).
    /// </remarks>
    /// <remarks>
    /// Every query routed asks its servent's table whether the GUID is new and records it; in a large simulation
    /// those tables are far bigger than the caches, so each lookup's cost is its memory misses. A Dictionary reaches an
    /// entry through its bucket array (two misses), and "add when new" took a lookup to test and another to add; here a
    /// lookup is usually one miss, and TryAdd probes once. Random GUIDs spread evenly, so the table is kept at most
    /// three-quarters full and probe runs stay short. Removal shifts the following run back (no tombstones), so a
    /// table that loses entries never slows down.
    /// </remarks>
    struct GuidMap<T> where T : class
    {
        struct Slot
        {
            public GnutellaGuid Key;
            public T Value;   // null: free
        }

        const int MinCapacity = 8;
        Slot[] _slots;   // null until the first entry
        int _count;

        public int Count => _count;

        /// <summary>Holds a slot array (entries or not).</summary>
        public bool HoldsStorage => _slots != null;

        public bool ContainsKey(GnutellaGuid key) => Find(key) >= 0;

        public bool TryGetValue(GnutellaGuid key, out T value)
        {
            int i = Find(key);
            value = i >= 0 ? _slots[i].Value : null;
            return i >= 0;
        }

        /// <summary>Adds <paramref name="value"/> (not null) under <paramref name="key"/>; false, and no change, when the key is there.</summary>
        public bool TryAdd(GnutellaGuid key, T value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            if (_slots == null) _slots = new Slot[MinCapacity];
            else if ((_count + 1) * 4 > _slots.Length * 3) Grow();
            var slots = _slots;
            int mask = slots.Length - 1;
            for (int i = Home(key, mask); ; i = (i + 1) & mask)
            {
                ref var slot = ref slots[i];
                if (slot.Value == null)
                {
                    slot.Key = key;
                    slot.Value = value;
                    _count++;
                    return true;
                }
                if (slot.Key == key) return false;
            }
        }

        /// <summary>Empties the map, keeping its slots for what comes next (as Dictionary.Clear does).</summary>
        public void Clear()
        {
            if (_count == 0) return;
            Array.Clear(_slots, 0, _slots.Length);
            _count = 0;
        }

        /// <summary>Removes every entry whose value is <paramref name="value"/>.</summary>
        public void RemoveValue(T value)
        {
            var slots = _slots;
            for (int i = 0; slots != null && i < slots.Length && _count > 0; i++)
            {
                // Removing shifts a later entry into slot i: look at it again before moving on. An entry shifted here
                // from the start of the array (a run that wrapped) may be looked at twice, which changes nothing.
                while (slots[i].Value != null && ReferenceEquals(slots[i].Value, value)) RemoveAt(i);
            }
        }

        int Find(GnutellaGuid key)
        {
            var slots = _slots;
            if (slots == null) return -1;
            int mask = slots.Length - 1;
            for (int i = Home(key, mask); ; i = (i + 1) & mask)
            {
                ref var slot = ref slots[i];
                if (slot.Value == null) return -1;
                if (slot.Key == key) return i;
            }
        }

        static int Home(GnutellaGuid key, int mask) => key.GetHashCode() & mask;

        // Backward-shift deletion: the entries after the hole that could live in it move back, so every entry stays
        // reachable from its home slot without passing a free slot.
        void RemoveAt(int hole)
        {
            var slots = _slots;
            int mask = slots.Length - 1;
            int i = hole;
            while (true)
            {
                i = (i + 1) & mask;
                if (slots[i].Value == null) break;
                int home = Home(slots[i].Key, mask);
                // The entry at i may move to the hole when its home is not cyclically within (hole, i].
                bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
                if (stays) continue;
                slots[hole] = slots[i];
                hole = i;
            }
            slots[hole] = default;
            _count--;
        }

        void Grow()
        {
            var old = _slots;
            var slots = new Slot[old.Length * 2];
            int mask = slots.Length - 1;
            foreach (var entry in old)
            {
                if (entry.Value == null) continue;
                int i = Home(entry.Key, mask);
                while (slots[i].Value != null) i = (i + 1) & mask;
                slots[i] = entry;
            }
            _slots = slots;
        }
    }
}
