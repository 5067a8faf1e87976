using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// One search in flight: every query GUID it sent (one per ring of an expanding-ring search), the hits it passed
    /// on (a wider ring finds the near answers again; each file is passed on once), and its completion.
    /// </summary>
    sealed class GnutellaSearch
    {
        readonly Action<SearchHit> _onHit;
        readonly object _gate = new object();
        readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        readonly Dictionary<GnutellaGuid, DateTimeOffset> _sentAt = new Dictionary<GnutellaGuid, DateTimeOffset>();
        readonly TaskCompletionSource<bool> _done = new TaskCompletionSource<bool>();
        int _count;

        public GnutellaSearch(string query, int maxResults, Action<SearchHit> onHit)
        {
            Query = query;
            MaxResults = Math.Max(1, maxResults);
            _onHit = onHit;
        }

        public string Query { get; }
        public int MaxResults { get; }
        public Task Completion => _done.Task;
        public bool IsDone => _done.Task.IsCompleted;
        public int Count { get { lock (_gate) return _count; } }
        /// <summary>What the hit callback threw, if it did.</summary>
        public System.Runtime.ExceptionServices.ExceptionDispatchInfo Failure { get; private set; }

        public void Sent(GnutellaGuid id, DateTimeOffset at) { lock (_gate) _sentAt[id] = at; }

        public DateTimeOffset SentAt(GnutellaGuid id) { lock (_gate) return _sentAt.TryGetValue(id, out var t) ? t : DateTimeOffset.MinValue; }

        public IEnumerable<GnutellaGuid> Ids { get { lock (_gate) return new List<GnutellaGuid>(_sentAt.Keys); } }

        /// <summary>Passes a hit on unless it is a repeat or the search is over; the callback never runs concurrently.</summary>
        public bool Deliver(SearchHit hit, string key)
        {
            bool finished = false;
            lock (_gate)
            {
                if (_done.Task.IsCompleted || !_seen.Add(key)) return false;
                _count++;
                try { _onHit?.Invoke(hit); }
                catch (Exception e)
                {
                    // The caller's callback failed: that ends this search (SearchAsync rethrows), never the link
                    // whose read loop delivered the hit.
                    Failure = Failure ?? System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                    finished = true;
                }
                if (_count >= MaxResults) finished = true;
            }
            if (finished) Finish();
            return true;
        }

        public void Finish() => _done.TrySetResult(true);
    }
}
