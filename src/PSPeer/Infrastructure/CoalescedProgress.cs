using System;

namespace PSPeer
{
    /// <summary>
    /// Progress reports from engine or worker threads, coalesced for the pipeline thread: only the newest report
    /// waits in the <see cref="PipelinePump"/>, so fast work cannot flood the queue with stale progress records.
    /// </summary>
    internal sealed class CoalescedProgress<T> : IProgress<T>
    {
        readonly object _gate = new object();
        readonly PipelinePump _pump;
        readonly Action<T> _write;
        readonly Func<T, T, bool> _supersedes;
        bool _queued;
        T _latest;

        /// <param name="supersedes">
        /// Whether a new report replaces the one already waiting (new, waiting). Null: always. Parallel workers whose
        /// reports arrive out of order pass e.g. (a, b) =&gt; a &gt; b so the largest count wins.
        /// </param>
        public CoalescedProgress(PipelinePump pump, Action<T> write, Func<T, T, bool> supersedes = null)
        {
            _pump = pump;
            _write = write;
            _supersedes = supersedes;
        }

        public void Report(T value)
        {
            lock (_gate)
            {
                if (_queued)
                {
                    // A write is already queued; it will take the newest value.
                    if (_supersedes == null || _supersedes(value, _latest)) _latest = value;
                    return;
                }
                _latest = value;
                _queued = true;
            }
            _pump.Post(Flush);
        }

        void Flush()
        {
            T newest;
            lock (_gate)
            {
                newest = _latest;
                _latest = default(T);
                _queued = false;
            }
            _write(newest);
        }
    }
}
