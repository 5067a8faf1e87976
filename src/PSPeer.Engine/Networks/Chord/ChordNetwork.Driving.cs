using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord;

namespace PSPeer.Engine.Networks.Chord
{
    // Driving virtual time and the workloads: lookups from random live nodes, storing a key set.
    public sealed partial class ChordNetwork
    {
        /// <summary>Lookups (or stores) a workload keeps in flight at once unless told otherwise.</summary>
        public const int DefaultConcurrency = 1000;

        // Driving is the same for every network (NetworkDriver); these are this network's entry points to it.
        NetworkDriver Driver => new NetworkDriver(Simulation, _drive);

        /// <summary>Advances virtual time by <paramref name="duration"/> (simulated networks only).</summary>
        public void RunFor(TimeSpan duration) => Driver.RunFor(duration);

        /// <summary>Runs until <paramref name="condition"/> holds or <paramref name="limit"/> of virtual time passes.</summary>
        public bool RunUntil(Func<bool> condition, TimeSpan limit) => Driver.RunUntil(condition, limit);

        /// <summary>
        /// Runs <paramref name="work"/> to completion: on the simulation's loop, driving virtual time (TimeoutException
        /// after <paramref name="limit"/>), or live, waiting for it on this thread.
        /// </summary>
        public T Run<T>(Func<Task<T>> work, TimeSpan limit) => Driver.Run(work, limit);

        public void Run(Func<Task> work, TimeSpan limit) => Driver.Run(work, limit);

        /// <summary>
        /// Looks up <paramref name="count"/> random keys, each from a random live node, with at most
        /// <paramref name="concurrency"/> in flight (ring maintenance runs meanwhile if the network has it on); records
        /// each for <see cref="Measure"/>, checked against the live successor of its key when it ends. Simulated: drives
        /// virtual time until all are done (at most <paramref name="limit"/>, default an hour). Live: waits for them.
        /// </summary>
        /// <returns>The lookups that ended without an owner or with a wrong one.</returns>
        public int RunLookups(int count, ChordLookupMode mode, int concurrency = DefaultConcurrency, TimeSpan? limit = null, CancellationToken cancellationToken = default)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
            if (concurrency < 1) throw new ArgumentOutOfRangeException(nameof(concurrency));
            int failedBefore = _lookups.Failed + _lookups.Wrong;
            Run(() => Throttled(count, concurrency, _ => LookupRandomAsync(mode, cancellationToken)), limit ?? TimeSpan.FromHours(1));
            return _lookups.Failed + _lookups.Wrong - failedBefore;
        }

        /// <summary>One lookup of a random key from a random live node, recorded. Call on the loop (simulated).</summary>
        public async Task<ChordLookupResult> LookupRandomAsync(ChordLookupMode mode, CancellationToken cancellationToken = default)
        {
            var ring = Truth;
            if (ring.Count == 0) throw new InvalidOperationException("No live node is left to look up from.");
            int origin = ring.MemberAt(_random.Next(ring.Count));
            var target = ChordId.Random(_random);
            return await LookupAsync(origin, target, mode, cancellationToken);
        }

        /// <summary>Looks <paramref name="target"/> up from node <paramref name="origin"/> and records it. Call on the loop (simulated).</summary>
        public async Task<ChordLookupResult> LookupAsync(int origin, ChordId target, ChordLookupMode mode, CancellationToken cancellationToken = default)
        {
            ChordLookupResult result;
            try
            {
                result = await _nodes[origin].LookupAsync(target, mode, cancellationToken);
            }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                _lookups.AddFault();
                throw;
            }
            _lookups.Add(result, result.Succeeded && IsTrueOwner(result.Owner, target));
            return result;
        }

        /// <summary>The node index of the live successor of <paramref name="key"/>: who should own it now (the ground truth).</summary>
        public int OwnerOf(ChordId key)
        {
            var ring = Truth;
            if (ring.Count == 0) throw new InvalidOperationException("No live node is left.");
            return ring.Successor(PointOf(key));
        }

        /// <summary>Whether <paramref name="owner"/> is the live successor of <paramref name="target"/> now.</summary>
        bool IsTrueOwner(ChordContact owner, ChordId target)
        {
            if (owner == null) return false;
            var ring = Truth;
            return ring.Count > 0 && Contact(ring.Successor(PointOf(target))).Id.Equals(owner.Id);
        }

        /// <summary>
        /// Stores <paramref name="count"/> keys ("key-0", "key-1", ... after those already stored, value "value-i") each
        /// through a random live node (StoreAsync: the owner and its R − 1 successors), at most
        /// <paramref name="concurrency"/> at once; they become the key set <see cref="Measure"/> reports load and losses
        /// for. Returns the stores that failed.
        /// </summary>
        public int StoreKeys(int count, int concurrency = DefaultConcurrency, TimeSpan? limit = null, CancellationToken cancellationToken = default)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
            int first = _keys.Count;
            int failed = 0;
            Run(() => Throttled(count, concurrency, async i =>
            {
                var ring = Truth;
                int origin = ring.MemberAt(_random.Next(ring.Count));
                string key = "key-" + (first + i);
                var result = await _nodes[origin].StoreAsync(key, "value-" + (first + i), cancellationToken);
                if (!result.Succeeded) failed++;
                lock (_keys) _keys.Add(new StoredKey(key, PointOf(ChordId.FromKey(key)), stored: true));
            }), limit ?? TimeSpan.FromHours(1));
            return failed;
        }

        /// <summary>
        /// Adds <paramref name="count"/> keys to the key set without storing them: only where they belong is computed
        /// (their live successor), for load-balance studies at sizes where half a million real stores would take long.
        /// The real placement matches (see the tests); keys lost are only counted for stored keys.
        /// </summary>
        public void AssignKeys(int count)
        {
            int first = _keys.Count;
            for (int i = 0; i < count; i++)
            {
                string key = "key-" + (first + i);
                _keys.Add(new StoredKey(key, PointOf(ChordId.FromKey(key)), stored: false));
            }
        }

        /// <summary>Runs <paramref name="count"/> pieces of work, at most <paramref name="concurrency"/> at once; each finished one starts the next.</summary>
        Task Throttled(int count, int concurrency, Func<int, Task> work)
        {
            if (count == 0) return Task.CompletedTask;
            var done = new TaskCompletionSource<bool>();
            var gate = new object();   // live, completions come from pool threads; simulated, the lock is never contended
            int next = 0, running = 0, finished = 0;
            Exception failure = null;
            void StartMore()
            {
                while (running < concurrency && next < count && failure == null)
                {
                    int i = next++;
                    running++;
                    Task task;
                    try { task = work(i); }
                    catch (Exception e) { task = Task.FromException(e); }
                    task.ContinueWith(t =>
                    {
                        lock (gate)
                        {
                            running--;
                            finished++;
                            if (t.IsFaulted && failure == null) failure = t.Exception.GetBaseException();
                            if (failure != null) { if (running == 0) done.TrySetException(failure); return; }
                            if (finished == count) done.TrySetResult(true);
                            else StartMore();
                        }
                    }, TaskContinuationOptions.ExecuteSynchronously);
                }
            }
            lock (gate) StartMore();
            return done.Task;
        }

        void RequireSimulated() => Driver.RequireSimulated();
    }
}
