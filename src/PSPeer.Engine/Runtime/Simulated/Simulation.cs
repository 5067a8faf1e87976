using System;
using System.Collections.Generic;
using System.Linq;
using System.Reactive.Concurrency;
using System.Threading.Tasks;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// A deterministic world in virtual time: one scheduler, one seeded random source, in-memory links with
    /// latency, bandwidth and loss, partitions, and hosts that crash and restart. The same seed gives the same run.
    /// </summary>
    /// <remarks>
    /// Work runs only inside <see cref="RunFor"/> and <see cref="RunUntil"/>, on the calling thread, with the
    /// simulation's SynchronizationContext installed so that awaits in protocol code resume on the loop. Start
    /// async protocol code with <see cref="Post"/> or <see cref="Spawn"/> so that its awaits capture that context.
    /// Outside a run, touch the simulation (add hosts, crash, partition) from one thread while it is idle.
    /// An exception escaping simulated work stops the run and is rethrown from RunFor/RunUntil.
    /// </remarks>
    public sealed class Simulation
    {
        readonly SimulationScheduler _scheduler = new SimulationScheduler();
        readonly SimulatedNetwork _network;
        readonly List<SimulatedHost> _hosts = new List<SimulatedHost>();

        public Simulation(SimulationOptions options)
        {
            Options = (options ?? new SimulationOptions()).Validated();
            _network = new SimulatedNetwork(Options, _scheduler);
            Random = new SeededRandom(SeedDerivation.Derive(Options.Seed, "simulation"));
            Clock = new SimulatedClock(this, null);
            Scheduler = new VirtualTimeRxScheduler(this, null);
        }

        public Simulation() : this(new SimulationOptions()) { }

        /// <summary>A copy of the options the simulation was made with.</summary>
        public SimulationOptions Options { get; }

        /// <summary>The scenario's own random source (choosing hosts, timings); hosts each have their own.</summary>
        public IRandomSource Random { get; }

        /// <summary>Virtual time not tied to any host (never stopped by a crash).</summary>
        public IClock Clock { get; }

        /// <summary>Rx scheduler on virtual time, not tied to any host.</summary>
        public IScheduler Scheduler { get; }

        public IReadOnlyList<SimulatedHost> Hosts => _hosts;

        public DateTimeOffset Now => Options.Start + Elapsed;

        /// <summary>Virtual time since the simulation started.</summary>
        public TimeSpan Elapsed => TimeSpan.FromTicks(_scheduler.Now);

        /// <summary>Totals of what crossed the simulated network.</summary>
        public SimulationStatistics Statistics => _network.Statistics;

        /// <summary>Pairs of hosts whose path was set by SetLink (one per direction): the only per-pair state kept.</summary>
        public int OverriddenLinkCount => _network.OverrideCount;

        /// <summary>Work items run so far (a measure of cost, useful in benchmarks).</summary>
        public long ExecutedWorkItems => _scheduler.Executed;

        /// <summary>Work items waiting in the queue (timers, segments in flight, continuations).</summary>
        public int PendingWorkItems => _scheduler.Pending;

        internal SimulationScheduler LoopScheduler => _scheduler;

        /// <summary>A new host with its own address, storage and view of the shared clock. Names are unique.</summary>
        public SimulatedHost AddHost(string name)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A host needs a name.", nameof(name));
            var host = new SimulatedHost(this, _network, name, _hosts.Count);
            _network.Register(host);
            _hosts.Add(host);
            return host;
        }

        /// <summary>
        /// A host on a private network behind <paramref name="nat"/>: it gets a private address (172.16.0.0/12) that only
        /// hosts behind the same NAT reach; everything else it talks to sees the NAT's public address.
        /// </summary>
        public SimulatedHost AddHost(string name, SimulatedNat nat)
        {
            if (nat == null) return AddHost(name);
            if (nat.PublicHost.Simulation != this) throw new ArgumentException("That NAT belongs to another simulation.", nameof(nat));
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A host needs a name.", nameof(name));
            var host = new SimulatedHost(this, _network, name, _hosts.Count, nat);
            _network.Register(host);
            _hosts.Add(host);
            nat.InsideHostCount++;
            return host;
        }

        /// <summary>
        /// A NAT box: a public host named <paramref name="name"/> with a private network behind it. Add hosts behind it
        /// with <see cref="AddHost(string, SimulatedNat)"/>.
        /// </summary>
        public SimulatedNat AddNat(string name, NatOptions options)
        {
            var box = AddHost(name);
            var nat = new SimulatedNat(box, (options ?? new NatOptions()).Validated());
            box.Nat = nat;
            return nat;
        }

        /// <summary>As <see cref="AddNat(string, NatOptions)"/>, with the classic behaviour of <paramref name="kind"/>.</summary>
        public SimulatedNat AddNat(string name, NatKind kind) => AddNat(name, NatOptions.For(kind));

        /// <summary>A host by name or virtual address, or null.</summary>
        public SimulatedHost FindHost(string nameOrAddress) => _network.Resolve(nameOrAddress, null);

        /// <summary>
        /// Lets go of the spare buffers kept for segments in flight, and the spare rings that held them (this thread's:
        /// call it on the thread that ran the simulation). For after a burst of traffic that will not come again soon
        /// (a network's build): what the pools kept to serve it would otherwise stay in memory for good.
        /// </summary>
        public void ReleaseSpareBuffers()
        {
            _network.SegmentBuffers.Trim();
            SimulatedStream.ReleaseSpareRings();
        }

        /// <summary>Runs <paramref name="action"/> on the simulation's scheduler at the current virtual time.</summary>
        public void Post(Action action)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            _scheduler.Enqueue(_scheduler.Now, action);
        }

        /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> of virtual time; dispose to cancel.</summary>
        public IDisposable Schedule(TimeSpan delay, Action action) => Clock.Schedule(delay, action);

        /// <summary>
        /// Starts async work on the loop (so its awaits come back to the loop) and returns a task that completes with
        /// it. The task completes only as the simulation runs: pair it with RunUntil(() => task.IsCompleted, limit).
        /// </summary>
        public Task<T> Spawn<T>(Func<Task<T>> work)
        {
            if (work == null) throw new ArgumentNullException(nameof(work));
            var result = new TaskCompletionSource<T>();
            Post(async () =>
            {
                try { result.TrySetResult(await work()); }
                catch (OperationCanceledException e) { result.TrySetCanceled(e.CancellationToken); }
                catch (Exception e) { result.TrySetException(e); }
            });
            return result.Task;
        }

        public Task Spawn(Func<Task> work)
        {
            if (work == null) throw new ArgumentNullException(nameof(work));
            return Spawn(async () => { await work(); return true; });
        }

        /// <summary>
        /// As <see cref="Spawn(Func{Task})"/> for <paramref name="work"/>(0) .. (<paramref name="count"/> - 1): each
        /// started by an item of its own on the loop, in that order, at the current virtual time. The result completes
        /// when all have (see <see cref="SpawnedBatch"/>), without the wrapper task, closures and delegates Spawn makes
        /// per item — a network's build spawns one item per link, hundreds of thousands of them.
        /// </summary>
        internal SpawnedBatch SpawnEach(Func<int, Task> work, int count)
        {
            if (work == null) throw new ArgumentNullException(nameof(work));
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
            var batch = new SpawnedBatch(work, count);
            long now = _scheduler.Now;
            for (int i = 0; i < count; i++) _scheduler.Enqueue(now, SpawnedBatch.StartNext, batch);
            return batch;
        }

        /// <summary>
        /// Work started by <see cref="SpawnEach"/>. The items run in the order they were queued, so each takes the next
        /// index; the last one to start gathers the tasks into one.
        /// </summary>
        internal sealed class SpawnedBatch
        {
            internal static readonly System.Threading.SendOrPostCallback StartNext = state => ((SpawnedBatch)state).Start();

            readonly Func<int, Task> _work;
            readonly Task[] _tasks;
            int _started;
            Task _all;

            public SpawnedBatch(Func<int, Task> work, int count)
            {
                _work = work;
                _tasks = new Task[count];
                if (count == 0) _all = Task.CompletedTask;
            }

            /// <summary>Every item has started and every task has completed.</summary>
            public bool IsCompleted => _all != null && _all.IsCompleted;

            /// <summary>
            /// Once completed: how many items failed in a way <paramref name="tolerated"/> accepts (a cancelled item is an
            /// OperationCanceledException); the first other failure, in item order, is thrown instead, as awaiting
            /// Task.WhenAll of the items' tasks would throw it. Null tolerates nothing.
            /// </summary>
            public int CountFailures(Func<Exception, bool> tolerated)
            {
                if (!IsCompleted) throw new InvalidOperationException("The spawned work has not completed.");
                int failed = 0;
                Task cancelled = null;
                foreach (var task in _tasks)
                {
                    if (task.Status == TaskStatus.RanToCompletion) continue;
                    Exception error = task.IsCanceled ? new TaskCanceledException(task) : task.Exception.InnerException;
                    if (tolerated != null && tolerated(error)) { failed++; continue; }
                    if (task.IsCanceled) cancelled = cancelled ?? task;   // as Task.WhenAll: a fault outranks a cancellation
                    else task.GetAwaiter().GetResult();   // throws the item's own exception
                }
                cancelled?.GetAwaiter().GetResult();
                return failed;
            }

            void Start()
            {
                int index = _started++;
                Task task;
                // A synchronous throw fails that item's task, as it would inside Spawn's async wrapper.
                try { task = _work(index) ?? Task.CompletedTask; }
                catch (Exception e) { task = Task.FromException(e); }
                _tasks[index] = task;
                if (_started == _tasks.Length) _all = Task.WhenAll(_tasks);
            }
        }

        /// <summary>Advances virtual time by <paramref name="duration"/>, running everything due, on the calling thread.</summary>
        public void RunFor(TimeSpan duration)
        {
            if (duration < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), duration, "Time only runs forward.");
            _scheduler.Run(_scheduler.Now + duration.Ticks, null);
        }

        /// <summary>Runs until <paramref name="condition"/> holds or <paramref name="limit"/> of virtual time passes; returns whether it held.</summary>
        public bool RunUntil(Func<bool> condition, TimeSpan limit)
        {
            if (condition == null) throw new ArgumentNullException(nameof(condition));
            if (limit < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(limit), limit, "Time only runs forward.");
            return _scheduler.Run(_scheduler.Now + limit.Ticks, condition);
        }

        /// <summary>Runs until <paramref name="task"/> completes or <paramref name="limit"/> passes; returns whether it completed.</summary>
        public bool RunUntilCompleted(Task task, TimeSpan limit)
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            return RunUntil(() => task.IsCompleted, limit);
        }

        /// <summary>
        /// Starts <paramref name="work"/> on the loop and runs the simulation until it completes, then returns its
        /// result or rethrows its exception. Throws TimeoutException when <paramref name="limit"/> of virtual time
        /// passes first (the work goes on if the simulation is run further).
        /// </summary>
        public T Run<T>(Func<Task<T>> work, TimeSpan limit)
        {
            var task = Spawn(work);
            if (!RunUntilCompleted(task, limit))
                throw new TimeoutException($"The simulated work did not complete within {limit} of virtual time.");
            // The task is complete: GetResult rethrows its own exception, not an AggregateException.
            return task.GetAwaiter().GetResult();
        }

        /// <summary>As <see cref="Run{T}(Func{Task{T}}, TimeSpan)"/>, for work without a result.</summary>
        public void Run(Func<Task> work, TimeSpan limit) => Run(async () => { await work(); return true; }, limit);

        /// <summary>
        /// Splits the network: no host of <paramref name="sideA"/> reaches one of <paramref name="sideB"/>.
        /// Connections across reset at both ends and new connects fail. Dispose the result to heal this split alone.
        /// </summary>
        public IDisposable Partition(IEnumerable<SimulatedHost> sideA, IEnumerable<SimulatedHost> sideB) =>
            _network.Partition(Own(sideA), Own(sideB));

        /// <summary>Heals every partition.</summary>
        public void Heal() => _network.HealAll();

        /// <summary>
        /// Sets both directions of the path between two hosts (bandwidth in bytes/s, 0 = unlimited), overriding the
        /// options and the hosts' uplinks for this pair only.
        /// </summary>
        public void SetLink(SimulatedHost a, SimulatedHost b, TimeSpan latency, long bandwidthBytesPerSecond = 0, double loss = 0) =>
            _network.SetLink(Own(a), Own(b), latency, bandwidthBytesPerSecond, loss, TimeSpan.Zero);

        /// <summary>As <see cref="SetLink(SimulatedHost, SimulatedHost, TimeSpan, long, double)"/>, with a jitter: each datagram or segment waits a random 0 up to it more.</summary>
        public void SetLink(SimulatedHost a, SimulatedHost b, TimeSpan latency, long bandwidthBytesPerSecond, double loss, TimeSpan jitter) =>
            _network.SetLink(Own(a), Own(b), latency, bandwidthBytesPerSecond, loss, jitter);

        IEnumerable<SimulatedHost> Own(IEnumerable<SimulatedHost> hosts) =>
            (hosts ?? throw new ArgumentNullException(nameof(hosts))).Select(Own).ToList();

        SimulatedHost Own(SimulatedHost host)
        {
            if (host == null) throw new ArgumentNullException(nameof(host));
            if (host.Simulation != this) throw new ArgumentException($"Host {host.Name} belongs to another simulation.", nameof(host));
            return host;
        }

    }
}
