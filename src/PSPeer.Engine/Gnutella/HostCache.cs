using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// Servents this one has heard of (Bootstrap, Pongs, X-Try-Ultrapeers): where AutoConnect dials, what a refusal's
    /// X-Try-Ultrapeers lists, and the pong cache that answers Pings without flooding them on.
    /// </summary>
    /// <remarks>
    /// Bounded (oldest forgotten first). A host that failed is skipped until its back-off passes, doubling per
    /// failure, so a dead bootstrap entry costs a dial now and then rather than one per maintenance round.
    /// </remarks>
    sealed class HostCache
    {
        sealed class Entry
        {
            public HostPort Host;
            public Pong Pong;                 // what it last said about itself; null when learnt otherwise
            public bool KnownUltrapeer;
            public bool KnownLeaf;            // linked to us as a leaf: no use dialling it for an ultrapeer link
            public DateTimeOffset RetryAfter;
            public int Failures;
        }

        readonly int _capacity;
        readonly object _gate = new object();
        readonly Dictionary<HostPort, Entry> _entries = new Dictionary<HostPort, Entry>();
        readonly LinkedList<HostPort> _order = new LinkedList<HostPort>();   // oldest first

        public HostCache(int capacity) => _capacity = capacity;

        public int Count { get { lock (_gate) return _entries.Count; } }

        public void Add(HostPort host, Pong pong = null, bool knownUltrapeer = false, bool knownLeaf = false)
        {
            if (host == null || host.Port <= 0 || host.Host == "0.0.0.0") return;
            lock (_gate)
            {
                if (_entries.TryGetValue(host, out var e))
                {
                    if (pong != null) e.Pong = pong;
                    if (knownUltrapeer) { e.KnownUltrapeer = true; e.KnownLeaf = false; }
                    else if (knownLeaf) { e.KnownLeaf = true; e.KnownUltrapeer = false; }
                    return;
                }
                if (_entries.Count >= _capacity)
                {
                    _entries.Remove(_order.First.Value);
                    _order.RemoveFirst();
                }
                _entries[host] = new Entry { Host = host, Pong = pong, KnownUltrapeer = knownUltrapeer, KnownLeaf = knownLeaf && !knownUltrapeer };
                _order.AddLast(host);
            }
        }

        /// <summary>Hosts worth dialling now, newest first, skipping <paramref name="exclude"/>.</summary>
        public List<HostPort> Candidates(DateTimeOffset now, int max, ICollection<HostPort> exclude)
        {
            var result = new List<HostPort>();
            lock (_gate)
            {
                for (var node = _order.Last; node != null && result.Count < max; node = node.Previous)
                {
                    var e = _entries[node.Value];
                    if (e.KnownLeaf || e.RetryAfter > now || exclude.Contains(e.Host)) continue;
                    result.Add(e.Host);
                }
            }
            return result;
        }

        public void Failed(HostPort host, DateTimeOffset now)
        {
            lock (_gate)
            {
                if (!_entries.TryGetValue(host, out var e)) return;
                e.Failures = Math.Min(e.Failures + 1, 8);
                e.RetryAfter = now + TimeSpan.FromSeconds(2 << e.Failures);
            }
        }

        public void Succeeded(HostPort host)
        {
            lock (_gate)
            {
                if (!_entries.TryGetValue(host, out var e)) return;
                e.Failures = 0;
                e.RetryAfter = DateTimeOffset.MinValue;
            }
        }

        /// <summary>Up to <paramref name="max"/> hosts as "ip:port,ip:port" for X-Try-Ultrapeers (ultrapeers first).</summary>
        public string TryUltrapeersHeader(int max, HostPort exclude)
        {
            var list = new List<string>();
            lock (_gate)
            {
                for (int pass = 0; pass < 2; pass++)
                    for (var node = _order.Last; node != null && list.Count < max; node = node.Previous)
                    {
                        var e = _entries[node.Value];
                        if (e.KnownLeaf || e.KnownUltrapeer != (pass == 0) || e.Host.Equals(exclude)) continue;
                        list.Add(e.Host.ToString());
                    }
            }
            return string.Join(",", list);
        }

        /// <summary>Cached pongs to answer a Ping with, newest first, not the asker's own.</summary>
        public List<Pong> Pongs(int max, HostPort exclude)
        {
            var result = new List<Pong>();
            lock (_gate)
            {
                for (var node = _order.Last; node != null && result.Count < max; node = node.Previous)
                {
                    var e = _entries[node.Value];
                    if (e.Pong != null && !e.KnownLeaf && !e.Host.Equals(exclude)) result.Add(e.Pong);
                }
            }
            return result;
        }
    }
}
