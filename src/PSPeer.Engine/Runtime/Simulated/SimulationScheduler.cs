using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// The one loop of a simulation: work ordered by (due tick, sequence number) in a <see cref="WorkQueue"/>, run on
    /// the thread that calls <see cref="Run"/>. Virtual time moves only here, to the due time of the work being run, so
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
        // Withdrawn work (disposed timers, cancelled delays) stays queued until it is due, where it is skipped.
        // A handshake timeout of every connection is such work: a network build leaves one per link end for seconds
        // of virtual time. Once at least this many and half the queue are withdrawn, the queue drops them.
        const int CompactAtWithdrawn = 4096;

        static readonly SendOrPostCallback RunAction = state => ((Action)state)();
        static readonly Func<object, bool> IsWithdrawnWork = state => state is IWithdrawableWork w && w.IsWithdrawn;

        readonly object _gate = new object();
        readonly WorkQueue _queue = new WorkQueue();
        long _now;
        long _executed;
        long _skipped;
        int _withdrawn;   // withdrawn work believed to be still queued (exact again after each compaction)
        long _compactions;
        Thread _runningThread;

        public SimulationScheduler() => Context = new SimulationSynchronizationContext(this);

        public SimulationSynchronizationContext Context { get; }

        /// <summary>Virtual ticks since the simulation's start.</summary>
        /// <remarks>
        /// Read several times per event (every post, send and clock reading). A 64-bit process reads a long whole, so
        /// a plain volatile read does; only a 32-bit one (Windows PowerShell) needs Interlocked.Read, a locked
        /// compare-exchange. IntPtr.Size is a constant to the JIT, so the test costs nothing.
        /// </remarks>
        public long Now => IntPtr.Size == 8 ? Volatile.Read(ref _now) : Interlocked.Read(ref _now);

        /// <summary>How many work items have run: a cheap measure of simulation cost. Withdrawn work is not run nor counted.</summary>
        public long Executed => Interlocked.Read(ref _executed);

        /// <summary>How many withdrawn work items came due and were skipped (counted apart from <see cref="Executed"/>).</summary>
        public long SkippedWithdrawn => Interlocked.Read(ref _skipped);

        public int Pending { get { lock (_gate) return _queue.Count; } }

        /// <summary>How often the queue dropped withdrawn work (see <see cref="NoteWithdrawn"/>).</summary>
        public long Compactions { get { lock (_gate) return _compactions; } }

        /// <summary>
        /// Says that queued work whose state is an <see cref="IWithdrawableWork"/> has just been withdrawn (it reports
        /// IsWithdrawn from now on). Enough of them and the queue drops them: the order of the rest (due tick, then
        /// sequence) is unchanged, so the run is the same; only the withdrawn items are never reached.
        /// </summary>
        public void NoteWithdrawn()
        {
            lock (_gate)
            {
                _withdrawn++;
                if (_withdrawn >= CompactAtWithdrawn && 2 * _withdrawn >= _queue.Count)
                {
                    _queue.RemoveWhere(IsWithdrawnWork);
                    _withdrawn = 0;
                    _compactions++;
                }
            }
        }

        /// <summary>True on the thread that is running the loop right now.</summary>
        public bool IsRunningOnCurrentThread => _runningThread == Thread.CurrentThread;

        public bool IsRunning => Volatile.Read(ref _runningThread) != null;

        public void Enqueue(long dueTicks, SendOrPostCallback callback, object state)
        {
            lock (_gate)
            {
                if (dueTicks < _now) dueTicks = _now;
                _queue.Add(dueTicks, callback, state);
            }
        }

        public void Enqueue(long dueTicks, Action action) => Enqueue(dueTicks, RunAction, action);

        public long? NextDue
        {
            get { lock (_gate) return _queue.Count == 0 ? (long?)null : _queue.FirstDue; }
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
                    WorkQueue.Work work;
                    lock (_gate)
                    {
                        if (_queue.Count == 0 || _queue.FirstDue > untilTicks) break;
                        work = _queue.Take(out long due);
                        if (due > _now) Interlocked.Exchange(ref _now, due);
                        // Withdrawn work would do nothing: it is skipped, and counted apart from the work run. Only
                        // looked for while some is queued (the test costs an interface cast per item).
                        if (_withdrawn > 0 && work.State is IWithdrawableWork w && w.IsWithdrawn)
                        {
                            _withdrawn--;
                            _skipped++;
                            continue;
                        }
                    }
                    _executed++;
                    try
                    {
                        work.Callback(work.State);
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
                lock (_gate)
                {
                    _queue.TrimIfMostlyEmpty();
                    _queue.ReleaseLargeSpares();
                }
                SynchronizationContext.SetSynchronizationContext(previous);
                Volatile.Write(ref _runningThread, null);
            }
        }

        /// <summary>Entries of the queue's spare batch arrays (for tests: a run lets the large ones go as it ends).</summary>
        internal long SpareQueueEntries { get { lock (_gate) return _queue.SpareEntries; } }

        /// <summary>The length of the queue's heap of batches (for tests of its trimming).</summary>
        internal int Capacity { get { lock (_gate) return _queue.Capacity; } }
    }

    /// <summary>Queued work that can be withdrawn before it is due; it then does nothing when run.</summary>
    interface IWithdrawableWork
    {
        bool IsWithdrawn { get; }
    }
}
