using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Peers we know a listening address of (from trackers, or dialled by hand), and when to dial each again after it
    /// dropped or could not be reached: 5 s, doubling to 2 min. Without it a leecher whose peers all drop would
    /// re-learn them only at its next announce, which opentracker puts ~30 min away. Banned addresses are forgotten and
    /// never come back. Incoming connections are not here: their remote port is the dialler's ephemeral one, not an
    /// address that accepts. Not thread-safe: the node calls it under its lock.
    /// </summary>
    sealed class RedialBook
    {
        public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(5);
        public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(2);
        /// <summary>A connection that lasted this long was good: its drop starts the backoff afresh.</summary>
        public static readonly TimeSpan GoodConnection = TimeSpan.FromMinutes(2);
        /// <summary>Bounds memory against a tracker that names endless addresses.</summary>
        public const int MaxEntries = 1000;

        sealed class Entry
        {
            public int Failures;
            public DateTimeOffset? DueAt;   // null: connected, being dialled, or not yet dialled the first time
        }

        readonly Dictionary<HostPort, Entry> _entries = new Dictionary<HostPort, Entry>();
        readonly HashSet<HostPort> _banned = new HashSet<HostPort>();

        public int Count => _entries.Count;

        /// <summary>Remembers an address (a first dial is the caller's business); a banned one is ignored.</summary>
        public void Learn(HostPort peer)
        {
            if (peer == null || _banned.Contains(peer) || _entries.ContainsKey(peer) || _entries.Count >= MaxEntries) return;
            _entries[peer] = new Entry();
        }

        /// <summary>A dial to it failed (unreachable, refused, bad handshake): try again after the next backoff step.</summary>
        public void Failed(HostPort peer, DateTimeOffset now) => Schedule(peer, now, false);

        /// <summary>An established connection to it ended; a long one resets the backoff.</summary>
        public void Dropped(HostPort peer, DateTimeOffset now, TimeSpan lasted) => Schedule(peer, now, lasted >= GoodConnection);

        /// <summary>Never dial it again.</summary>
        public void Ban(HostPort peer)
        {
            if (peer == null) return;
            _banned.Add(peer);
            _entries.Remove(peer);
        }

        /// <summary>Addresses whose wait is over, earliest first; each is taken (not due again until it fails or drops again).</summary>
        public List<HostPort> TakeDue(DateTimeOffset now)
        {
            var due = new List<KeyValuePair<HostPort, DateTimeOffset>>();
            foreach (var kv in _entries)
                if (kv.Value.DueAt.HasValue && kv.Value.DueAt.Value <= now) due.Add(new KeyValuePair<HostPort, DateTimeOffset>(kv.Key, kv.Value.DueAt.Value));
            due.Sort((a, b) => a.Value.CompareTo(b.Value));
            var list = new List<HostPort>(due.Count);
            foreach (var kv in due)
            {
                _entries[kv.Key].DueAt = null;
                list.Add(kv.Key);
            }
            return list;
        }

        /// <summary>Puts a taken address back as due now (there was no free connection slot for it).</summary>
        public void Defer(HostPort peer, DateTimeOffset now)
        {
            if (_entries.TryGetValue(peer, out var e) && !e.DueAt.HasValue) e.DueAt = now;
        }

        void Schedule(HostPort peer, DateTimeOffset now, bool reset)
        {
            if (peer == null || !_entries.TryGetValue(peer, out var e)) return;
            if (reset) e.Failures = 0;
            var delay = TimeSpan.FromTicks(FirstDelay.Ticks << Math.Min(e.Failures, 8));
            e.Failures++;
            e.DueAt = now + (delay > MaxDelay ? MaxDelay : delay);
        }
    }
}
