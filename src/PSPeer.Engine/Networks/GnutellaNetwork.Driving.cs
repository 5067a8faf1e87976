using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;

namespace PSPeer.Engine.Networks
{
    // Driving virtual time, searching through the network, stopping it.
    public sealed partial class GnutellaNetwork
    {
        // Driving is the same for every network (NetworkDriver); these are this network's entry points to it.
        NetworkDriver Driver => new NetworkDriver(Simulation, _drive);

        /// <summary>Advances virtual time by <paramref name="duration"/> (simulated networks only).</summary>
        public void RunFor(TimeSpan duration) => Driver.RunFor(duration);

        /// <summary>Runs until <paramref name="condition"/> holds or <paramref name="limit"/> of virtual time passes.</summary>
        public bool RunUntil(Func<bool> condition, TimeSpan limit) => Driver.RunUntil(condition, limit);

        public bool RunUntilCompleted(Task task, TimeSpan limit) => RunUntil(() => task.IsCompleted, limit);

        /// <summary>
        /// Runs <paramref name="work"/> to completion: on the simulation's loop, driving virtual time (TimeoutException
        /// after <paramref name="limit"/>), or live, waiting for it on this thread.
        /// </summary>
        public T Run<T>(Func<Task<T>> work, TimeSpan limit) => Driver.Run(work, limit);

        public void Run(Func<Task> work, TimeSpan limit) => Driver.Run(work, limit);

        /// <summary>
        /// Searches through <paramref name="via"/> and records the search for <see cref="Measure"/>. In a simulation,
        /// call it on the loop (inside Run or Simulation.Spawn); it completes as virtual time runs.
        /// </summary>
        public async Task SearchAsync(GnutellaServent via, string query, SearchOptions options, Action<SearchHit> onHit, CancellationToken cancellationToken = default)
        {
            int origin = IndexOf(via);
            if (origin < 0) throw new ArgumentException($"Node '{via?.Name}' is not part of this network.", nameof(via));
            var record = _searches.Begin(origin, query, options?.Ttl);
            await via.SearchAsync(query, options, hit =>
            {
                _searches.Hit(record, hit);
                onHit?.Invoke(hit);
            }, cancellationToken);
        }

        /// <summary>Searches through node <paramref name="origin"/>, driving the network until the search ends; returns the hits.</summary>
        public IReadOnlyList<SearchHit> Search(int origin, string query, int? ttl = null, TimeSpan? timeout = null, int maxResults = 1000)
        {
            var options = new SearchOptions { Ttl = ttl, Timeout = timeout ?? TimeSpan.FromSeconds(5), MaxResults = maxResults };
            return Run(async () =>
            {
                var hits = new List<SearchHit>();
                await SearchAsync(_nodes[origin], query, options, hits.Add);
                return (IReadOnlyList<SearchHit>)hits;
            }, options.Timeout + TimeSpan.FromSeconds(30));
        }

        /// <summary>Floods traced so far (newest last), when the network traces queries.</summary>
        public IReadOnlyList<FloodTrace> Floods => _tracer?.Snapshot() ?? new List<FloodTrace>();

        /// <summary>Stops every servent (and churn). Safe to call twice.</summary>
        public async Task StopAsync()
        {
            if (_disposed) return;
            _disposed = true;
            StopChurn();
            lock (_subscriptions)
            {
                foreach (var s in _subscriptions) s.Dispose();
                _subscriptions.Clear();
            }
            var stops = _nodes.Where(n => n != null).Select(n => n.StopAsync()).ToArray();
            try { await Task.WhenAll(stops); }
            catch (Exception) { /* a node that fails to stop cleanly is still gone */ }
        }

        /// <summary>Stops the network: drives a simulation until every servent has stopped, or waits for live ones.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            if (!IsSimulated)
            {
                StopAsync().Wait(TimeSpan.FromSeconds(10));
                return;
            }
            lock (_drive)
            {
                var stopping = Simulation.Spawn(StopAsync);
                Simulation.RunUntil(() => stopping.IsCompleted, StopLimit);
            }
        }

        void RequireSimulated() => Driver.RequireSimulated();
    }
}
