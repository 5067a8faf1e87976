using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// The one loop of a simulation: a 4-ary heap of work ordered by (due tick, sequence number), run on the
    /// thread that calls <see cref="Run"/>. Virtual time moves only here, to the due time of the work being run, so
    /// two runs that enqueue the same work in the same order execute it in the same order at the same times.
    /// </summary>
    /// <remarks>
    /// Work is a static callback plus a state object, so the hot paths (posted continuations, segment deliveries)
    /// allocate nothing for the queue itself. Enqueueing is locked because await continuations, Rx and cancellation
    /// callbacks may come from other threads; execution never leaves the running thread.
    /// Task sources completed by the simulation never use RunContinuationsAsynchronously: that would send
    /// continuations that capture no context (Task.WhenAll, ContinueWith) to the thread pool, outside the loop and
    /// its order. Completed inline on the loop, awaits resume inline (their captured context is the current one),
    /// so the simulation completes a task only once its own state is consistent.
    /// </remarks>
    sealed class SimulationScheduler
    {
        // Withdrawn work (disposed timers, cancelled delays) stays in the heap until it is due, where it does nothing.
        // A handshake timeout of every connection is such work: a network build leaves one per link end for seconds
        // of virtual time. Once at least this many and half the heap are withdrawn, the heap is rebuilt without them.
        const int CompactAtWithdrawn = 4096;

        struct Entry
        {
            public long Due;
            public long Sequence;
            public SendOrPostCallback Callback;
            public object State;
        }

        static readonly SendOrPostCallback RunAction = state => ((Action)state)();

        readonly object _gate = new object();
        const int InitialCapacity = 1024;
        const int TrimFromCapacity = 64 * 1024;   // 2 MiB of entries
        Entry[] _heap = new Entry[InitialCapacity];
        int _count;
        long _nextSequence;
        long _now;
        long _executed;
        int _withdrawn;   // withdrawn entries believed to be still in the heap (exact again after each compaction)
        long _compactions;
        Thread _runningThread;

        public SimulationScheduler() => Context = new SimulationSynchronizationContext(this);

        public SimulationSynchronizationContext Context { get; }

        /// <summary>Virtual ticks since the simulation's start.</summary>
        public long Now => Interlocked.Read(ref _now);

        /// <summary>How many work items have run: a cheap measure of simulation cost.</summary>
        public long Executed => Interlocked.Read(ref _executed);

        public int Pending { get { lock (_gate) return _count; } }

        /// <summary>How often the heap was rebuilt without withdrawn work (see <see cref="NoteWithdrawn"/>).</summary>
        public long Compactions { get { lock (_gate) return _compactions; } }

        /// <summary>
        /// Says that queued work whose state is an <see cref="IWithdrawableWork"/> has just been withdrawn (it reports
        /// IsWithdrawn from now on). Enough of them and the heap is rebuilt without them: the order of the rest (due
        /// tick, then sequence) is unchanged, so the run is the same; only the no-op items are never popped.
        /// </summary>
        public void NoteWithdrawn()
        {
            lock (_gate)
            {
                _withdrawn++;
                if (_withdrawn >= CompactAtWithdrawn && 2 * _withdrawn >= _count) Compact();
            }
        }

        void Compact()
        {
            int kept = 0;
            for (int i = 0; i < _count; i++)
            {
                var entry = _heap[i];
                if (entry.State is IWithdrawableWork w && w.IsWithdrawn) continue;
                _heap[kept++] = entry;
            }
            Array.Clear(_heap, kept, _count - kept);
            _count = kept;
            // The array keeps its size: a heap that grew this large will grow again (the next wave of a build), and
            // a large array allocated again and again is what triggers full (gen-2) collections.
            // Floyd's heap construction: every parent from the last one up sifts down.
            for (int i = (_count - 2) >> 2; i >= 0; i--) SiftDown(i, _heap[i]);
            _withdrawn = 0;
            _compactions++;
        }

        /// <summary>True on the thread that is running the loop right now.</summary>
        public bool IsRunningOnCurrentThread => _runningThread == Thread.CurrentThread;

        public bool IsRunning => Volatile.Read(ref _runningThread) != null;

        public void Enqueue(long dueTicks, SendOrPostCallback callback, object state)
        {
            lock (_gate)
            {
                if (dueTicks < _now) dueTicks = _now;
                if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
                var entry = new Entry { Due = dueTicks, Sequence = _nextSequence++, Callback = callback, State = state };
                SiftUp(_count++, entry);
            }
        }

        public void Enqueue(long dueTicks, Action action) => Enqueue(dueTicks, RunAction, action);

        public long? NextDue
        {
            get { lock (_gate) return _count == 0 ? (long?)null : _heap[0].Due; }
        }

        /// <summary>
        /// Runs due work up to <paramref name="untilTicks"/> (inclusive), or until <paramref name="condition"/> holds,
        /// with the simulation's SynchronizationContext installed. Returns whether the condition held (true without one).
        /// When the condition stops the run early, time stays where it held; otherwise time ends at untilTicks.
        /// An exception thrown by work stops the run and is rethrown here with its original stack; work still
        /// queued stays queued, so the caller may inspect the state and run on.
        /// </summary>
        public bool Run(long untilTicks, Func<bool> condition)
        {
            var current = Thread.CurrentThread;
            if (Interlocked.CompareExchange(ref _runningThread, current, null) != null)
                throw new InvalidOperationException(_runningThread == current
                    ? "The simulation is already running on this thread: RunFor/RunUntil cannot be called from inside simulated work."
                    : "The simulation is already running on another thread: drive it from one thread only.");
            var previous = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(Context);
            try
            {
                while (true)
                {
                    if (condition != null && condition()) return true;
                    Entry entry;
                    lock (_gate)
                    {
                        if (_count == 0 || _heap[0].Due > untilTicks) break;
                        entry = PopMin();
                        if (entry.Due > _now) Interlocked.Exchange(ref _now, entry.Due);
                        if (_withdrawn > 0 && entry.State is IWithdrawableWork w && w.IsWithdrawn) _withdrawn--;
                    }
                    _executed++;
                    try
                    {
                        entry.Callback(entry.State);
                    }
                    catch (Exception e)
                    {
                        ExceptionDispatchInfo.Capture(e).Throw();
                    }
                }
                lock (_gate) if (untilTicks > _now) Interlocked.Exchange(ref _now, untilTicks);
                return condition == null || condition();
            }
            finally
            {
                lock (_gate) TrimIfMostlyEmpty();
                SynchronizationContext.SetSynchronizationContext(previous);
                Volatile.Write(ref _runningThread, null);
            }
        }

        /// <summary>The heap array's length now (for tests of its trimming).</summary>
        internal int Capacity { get { lock (_gate) return _heap.Length; } }

        // Under _gate, as a run ends: a large array sixteen times longer than the work still pending is cut to four times
        // it. The array grows to the most work ever pending at once, and a network build starts thousands of connections
        // at once: 131,072 entries (4 MiB) at 10^4 servents, for the ~2,300 timers that remain queued once it is built,
        // which then stayed for the whole simulation. Only at the end of a run, only a large array (a small one is not
        // worth it: a simulation's first runs, starting its nodes, end with nothing pending and then grow it again) and
        // only with that much slack, so work that comes in waves does not reallocate it every time. The order of work is
        // untouched.
        void TrimIfMostlyEmpty()
        {
            if (_heap.Length < TrimFromCapacity || (long)_count * 16 > _heap.Length) return;
            int length = InitialCapacity;
            while (length < _count * 4) length *= 2;
            Array.Resize(ref _heap, length);
        }

        Entry PopMin()
        {
            var min = _heap[0];
            var last = _heap[--_count];
            _heap[_count] = default;
            if (_count > 0) SiftDown(0, last);
            return min;
        }

        static bool Less(in Entry a, in Entry b) => a.Due < b.Due || (a.Due == b.Due && a.Sequence < b.Sequence);

        void SiftUp(int index, Entry entry)
        {
            while (index > 0)
            {
                int parent = (index - 1) >> 2;
                if (!Less(entry, _heap[parent])) break;
                _heap[index] = _heap[parent];
                index = parent;
            }
            _heap[index] = entry;
        }

        void SiftDown(int index, Entry entry)
        {
            while (true)
            {
                int first = 4 * index + 1;
                if (first >= _count) break;
                int last = Math.Min(first + 4, _count);
                int child = first;
                for (int c = first + 1; c < last; c++)
                    if (Less(_heap[c], _heap[child])) child = c;
                if (!Less(_heap[child], entry)) break;
                _heap[index] = _heap[child];
                index = child;
            }
            _heap[index] = entry;
        }
    }

    /// <summary>Queued work that can be withdrawn before it is due; it then does nothing when run.</summary>
    interface IWithdrawableWork
    {
        bool IsWithdrawn { get; }
    }
}
