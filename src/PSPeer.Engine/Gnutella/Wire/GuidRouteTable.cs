using System;
using System.Collections.Generic;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Bounded, expiring map GUID -> the link it came from: reverse-path routing of hits and pongs, push routing by
    /// servent id, duplicate suppression. Two generations: new entries go into the current one; every lifetime/2 (or
    /// when the current one holds capacity/2 entries) the previous generation is dropped and the current one becomes
    /// the previous. So an entry lives at least lifetime/2 (unless capacity pushed it out, oldest generation first)
    /// and never more than lifetime, and the table never holds more than capacity entries — with no per-entry
    /// timestamps or timers. Thread-safe (one lock), since live servents route from the thread pool; a simulated servent,
    /// run by one loop, makes its tables unlocked.
    /// </summary>
    /// <remarks>
    /// A simulated network holds three or four of these per servent, most never used: a generation's dictionary is
    /// made on its first entry and let go when everything in it has expired, and an owner that already routes under
    /// a lock of its own can hand it in, so an idle table is one small object.
    /// </remarks>
    public sealed class GuidRouteTable<T> where T : class
    {
        readonly IClock _clock;
        readonly long _halfLifeTicks;
        readonly int _generationCapacity;
        readonly object _gate;   // null: the owner keeps every call to one thread at a time, and nothing is locked
        GuidMap<T> _current;    // no storage until its first entry (structs, used in place)
        GuidMap<T> _previous;   // no storage when empty
        long _generationStartTicks;   // UTC ticks (a long, not a DateTimeOffset: 8 bytes less per table)
        // One bit per id added to a generation (by the top bits of its hash; the slots use the low ones): an id whose bit
        // is clear is not in that generation, and its slots need not be read. Most ids a servent sees are new, and
        // looking for each in the previous generation was a cache miss on that generation's slots, in a table far
        // larger than the caches; a servent that floods reach every few seconds holds a few dozen ids a generation, so
        // most bits stay clear. Bits are never cleared for a removal (a set bit only means "look").
        uint _currentIds, _previousIds;

        /// <param name="gate">The lock to take (the owner's own, when it uses the table under it anyway); null for one of its own.</param>
        /// <param name="unlocked">
        /// The owner guarantees that one thread at a time uses the table (a simulated servent, run by its simulation's one
        /// loop): no lock is taken at all.
        /// </param>
        public GuidRouteTable(IClock clock, TimeSpan lifetime, int capacity, object gate = null, bool unlocked = false)
            : this(clock, lifetime, capacity, gate, unlocked, (clock ?? throw new ArgumentNullException(nameof(clock))).Now.UtcTicks)
        {
        }

        /// <param name="startUtcTicks">
        /// When its first generation began. An owner that makes its table on first use hands in when it made itself: the
        /// table then ages exactly as one made with its owner would have (the generations turn over on the same
        /// boundaries), since nothing was added to or asked of it before.
        /// </param>
        internal GuidRouteTable(IClock clock, TimeSpan lifetime, int capacity, object gate, bool unlocked, long startUtcTicks)
        {
            _gate = unlocked ? null : gate ?? new object();
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime));
            if (capacity < 2) throw new ArgumentOutOfRangeException(nameof(capacity), "A route table holds at least 2 entries.");
            _halfLifeTicks = lifetime.Ticks / 2;
            _generationCapacity = capacity / 2;
            _generationStartTicks = startUtcTicks;
        }

        /// <summary>Records where <paramref name="id"/> came from; false (and no change) when it is already known: a duplicate.</summary>
        public bool TryAdd(GnutellaGuid id, T from)
        {
            if (from == null) throw new ArgumentNullException(nameof(from));
            using (new OptionalLock(_gate))
            {
                Age();
                uint bit = IdBit(id);
                if ((_previousIds & bit) != 0 && _previous.ContainsKey(id)) return false;
                if (_current.Count >= _generationCapacity)
                {
                    // Full: the current generation becomes the previous one, so the id must be looked for there first.
                    if (_current.ContainsKey(id)) return false;
                    Rotate(_clock.Now.UtcTicks);
                }
                if (!_current.TryAdd(id, from)) return false;
                _currentIds |= bit;
                return true;
            }
        }

        public bool TryGet(GnutellaGuid id, out T from)
        {
            using (new OptionalLock(_gate))
            {
                Age();
                from = null;
                return _current.TryGetValue(id, out from) || ((_previousIds & IdBit(id)) != 0 && _previous.TryGetValue(id, out from));
            }
        }

        /// <summary>True when <paramref name="id"/> is known (seen within its lifetime).</summary>
        public bool Contains(GnutellaGuid id) => TryGet(id, out _);

        /// <summary>Forgets every route through <paramref name="from"/> (a link that closed).</summary>
        public void RemoveAll(T from)
        {
            using (new OptionalLock(_gate))
            {
                _current.RemoveValue(from);
                _previous.RemoveValue(from);
            }
        }

        /// <summary>False when <paramref name="id"/> is surely not in the previous generation (its slots are not read then; for tests).</summary>
        internal bool PreviousMayHold(GnutellaGuid id)
        {
            using (new OptionalLock(_gate))
            {
                Age();
                return (_previousIds & IdBit(id)) != 0;
            }
        }

        static uint IdBit(GnutellaGuid id) => 1u << (int)((uint)id.GetHashCode() >> 27);

        /// <summary>Whether the table holds any dictionary now (an idle one holds none; for tests).</summary>
        internal bool HoldsStorage { get { using (new OptionalLock(_gate)) return _current.HoldsStorage || _previous.HoldsStorage; } }

        public int Count
        {
            get { using (new OptionalLock(_gate)) { Age(); return _current.Count + _previous.Count; } }
        }

        void Age()
        {
            long now = _clock.Now.UtcTicks;
            long age = now - _generationStartTicks;
            if (age < _halfLifeTicks) return;
            if (age >= _halfLifeTicks + _halfLifeTicks)
            {
                // Both generations are older than the lifetime: everything has expired, and an idle table holds nothing.
                _current = default;
                _previous = default;
                _currentIds = _previousIds = 0;
                _generationStartTicks = now;
                return;
            }
            // Rotate on the half-life boundary, not at "now", so no entry outlives the lifetime however late we look.
            Rotate(_generationStartTicks + _halfLifeTicks);
        }

        void Rotate(long nowTicks)
        {
            // The dropped generation's slots are reused (a busy table rotates often); an empty one's are not kept.
            var dropped = _previous;
            _previous = _current.Count > 0 ? _current : default;
            _previousIds = _current.Count > 0 ? _currentIds : 0;
            _currentIds = 0;
            dropped.Clear();
            _current = dropped;
            _generationStartTicks = nowTicks;
        }
    }
}
