using System.Collections.Generic;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Networks
{
    /// <summary>The searches run through a network and the hop counts of their hits. Locked: live hits come on any thread.</summary>
    internal sealed class SearchLog
    {
        internal sealed class Record
        {
            public int Origin;
            public string Query;
            public int? Ttl;
            public int Hits;
        }

        readonly object _gate = new object();
        readonly List<Record> _records = new List<Record>();
        readonly Dictionary<int, int> _hitHops = new Dictionary<int, int>();

        public Record Begin(int origin, string query, int? ttl)
        {
            var r = new Record { Origin = origin, Query = query, Ttl = ttl };
            lock (_gate) _records.Add(r);
            return r;
        }

        public void Hit(Record record, SearchHit hit)
        {
            lock (_gate)
            {
                record.Hits++;
                _hitHops.TryGetValue(hit.Hops, out int n);
                _hitHops[hit.Hops] = n + 1;
            }
        }

        public (List<Record> records, Dictionary<int, int> hitHops) Snapshot()
        {
            lock (_gate) return (new List<Record>(_records), new Dictionary<int, int>(_hitHops));
        }

        public void Reset()
        {
            lock (_gate)
            {
                _records.Clear();
                _hitHops.Clear();
            }
        }
    }
}
