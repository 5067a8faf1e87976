using System;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Napster
{
    /// <summary>
    /// One search a peer sent and has not yet seen the end of. It stays queued until its end marker arrives even
    /// after its caller gave up (timeout, cancel, enough hits), because the server answers searches in order and the
    /// results still on the wire belong to it, not to the next search.
    /// </summary>
    sealed class PendingSearch
    {
        readonly object _gate = new object();
        readonly Action<SearchHit> _onHit;
        readonly TaskCompletionSource<int> _done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        int _hits;
        bool _finished;

        public PendingSearch(string query, int maxResults, DateTimeOffset sentAt, Action<SearchHit> onHit)
        {
            Query = query; MaxResults = maxResults; SentAt = sentAt; _onHit = onHit;
        }

        public string Query { get; }
        public int MaxResults { get; }
        public DateTimeOffset SentAt { get; }
        /// <summary>Completes with the number of hits delivered.</summary>
        public Task<int> Completion => _done.Task;

        /// <summary>
        /// Hands a hit to the caller unless the search is over. Holding the gate while calling means the caller never
        /// sees a hit after SearchAsync returned, and never two at once.
        /// </summary>
        public bool Deliver(SearchHit hit)
        {
            lock (_gate)
            {
                if (_finished) return false;
                _hits++;
                try { _onHit?.Invoke(hit); }
                catch (Exception e)
                {
                    // The caller's callback failed: that ends this search (SearchAsync rethrows), not the session.
                    _finished = true;
                    _done.TrySetException(e);
                    return true;
                }
                if (_hits >= MaxResults) FinishLocked();
                return true;
            }
        }

        public void Finish()
        {
            lock (_gate) FinishLocked();
        }

        void FinishLocked()
        {
            if (_finished) return;
            _finished = true;
            _done.TrySetResult(_hits);
        }
    }
}
