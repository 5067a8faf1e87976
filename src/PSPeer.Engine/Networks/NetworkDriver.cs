using System;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Engine.Networks
{
    /// <summary>
    /// How any network of many nodes is driven, whatever its protocol: a simulated one by running its simulation's loop
    /// under the network's drive lock (one driver at a time, so the same seed gives the same run), a live one by waiting
    /// on the calling thread. Each network hands out one over its own simulation and lock; it holds no state of its own.
    /// </summary>
    internal readonly struct NetworkDriver
    {
        readonly Simulation _simulation;   // null: a live network
        readonly object _drive;

        public NetworkDriver(Simulation simulation, object drive)
        {
            _simulation = simulation;
            _drive = drive;
        }

        /// <summary>Advances virtual time by <paramref name="duration"/> (simulated networks only).</summary>
        public void RunFor(TimeSpan duration)
        {
            RequireSimulated();
            lock (_drive) _simulation.RunFor(duration);
        }

        /// <summary>Runs until <paramref name="condition"/> holds or <paramref name="limit"/> of virtual time passes.</summary>
        public bool RunUntil(Func<bool> condition, TimeSpan limit)
        {
            RequireSimulated();
            lock (_drive) return _simulation.RunUntil(condition, limit);
        }

        /// <summary>
        /// Runs <paramref name="work"/> to completion: on the simulation's loop, driving virtual time (TimeoutException
        /// after <paramref name="limit"/>), or live, waiting for it on this thread.
        /// </summary>
        public T Run<T>(Func<Task<T>> work, TimeSpan limit)
        {
            if (_simulation == null)
            {
                var task = work();
                if (!task.Wait(limit)) throw new TimeoutException($"The work did not complete within {limit}.");
                return task.GetAwaiter().GetResult();
            }
            lock (_drive) return _simulation.Run(work, limit);
        }

        public void Run(Func<Task> work, TimeSpan limit) => Run(async () => { await work(); return true; }, limit);

        public void RequireSimulated()
        {
            if (_simulation == null) throw new InvalidOperationException("A live network runs in real time: only a simulated network's time can be advanced.");
        }
    }
}
