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
    /// timestamps or timers. Thread-safe (one lock), since live servents route from the thread pool.
    /// </summary>
    public sealed class GuidRouteTable<T> where T : class
    {
        readonly IClock _clock;
        readonly TimeSpan _halfLife;
        readonly int _generationCapacity;
        readonly object _gate = new object();
        Dictionary<GnutellaGuid, T> _current = new Dictionary<GnutellaGuid, T>();
        Dictionary<GnutellaGuid, T> _previous = new Dictionary<GnutellaGuid, T>();
        DateTimeOffset _generationStart;

        public GuidRouteTable(IClock clock, TimeSpan lifetime, int capacity)
        {
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime));
            if (capacity < 2) throw new ArgumentOutOfRangeException(nameof(capacity), "A route table holds at least 2 entries.");
            _halfLife = TimeSpan.FromTicks(lifetime.Ticks / 2);
            _generationCapacity = capacity / 2;
            _generationStart = clock.Now;
        }

        /// <summary>Records where <paramref name="id"/> came from; false (and no change) when it is already known: a duplicate.</summary>
        public bool TryAdd(GnutellaGuid id, T from)
        {
            if (from == null) throw new ArgumentNullException(nameof(from));
            lock (_gate)
            {
                Age();
                if (_current.ContainsKey(id) || _previous.ContainsKey(id)) return false;
                if (_current.Count >= _generationCapacity) Rotate(_clock.Now);
                _current.Add(id, from);
                return true;
            }
        }

        public bool TryGet(GnutellaGuid id, out T from)
        {
            lock (_gate)
            {
                Age();
                return _current.TryGetValue(id, out from) || _previous.TryGetValue(id, out from);
            }
        }

        /// <summary>True when <paramref name="id"/> is known (seen within its lifetime).</summary>
        public bool Contains(GnutellaGuid id) => TryGet(id, out _);

        /// <summary>Forgets every route through <paramref name="from"/> (a link that closed).</summary>
        public void RemoveAll(T from)
        {
            lock (_gate)
            {
                RemoveFrom(_current, from);
                RemoveFrom(_previous, from);
            }
        }

        public int Count
        {
            get { lock (_gate) { Age(); return _current.Count + _previous.Count; } }
        }

        void Age()
        {
            var now = _clock.Now;
            var age = now - _generationStart;
            if (age < _halfLife) return;
            if (age >= _halfLife + _halfLife)
            {
                // Both generations are older than the lifetime: everything has expired.
                _current.Clear();
                _previous.Clear();
                _generationStart = now;
                return;
            }
            // Rotate on the half-life boundary, not at "now", so no entry outlives the lifetime however late we look.
            Rotate(_generationStart + _halfLife);
        }

        void Rotate(DateTimeOffset now)
        {
            var dropped = _previous;
            _previous = _current;
            dropped.Clear();
            _current = dropped;
            _generationStart = now;
        }

        static void RemoveFrom(Dictionary<GnutellaGuid, T> map, T from)
        {
            List<GnutellaGuid> doomed = null;
            foreach (var pair in map)
                if (ReferenceEquals(pair.Value, from)) (doomed ?? (doomed = new List<GnutellaGuid>())).Add(pair.Key);
            if (doomed != null) foreach (var id in doomed) map.Remove(id);
        }
    }
}
