using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Engine.Networks.Chord
{
    // Breaking the ring: simultaneous failures, and churn (joins, failures and lookups as Poisson processes).
    public sealed partial class ChordNetwork
    {
        int _failedSinceReset;
        int _joinedSinceReset;
        IDisposable _churnTimer;
        ChurnPlan _churn;

        /// <summary>Nodes that failed since the last reset (failures and churn), and nodes that joined by churn.</summary>
        public int NodesFailed => _failedSinceReset;
        public int NodesJoined => _joinedSinceReset;

        /// <summary>
        /// Fails a fraction <paramref name="fraction"/> of the live hosts at once, picked at random, with every virtual
        /// node they run: simulated, the host crashes (no goodbye, its timers never fire again); live, its nodes stop
        /// without leaving. The others find out by timeouts. Returns the hosts failed.
        /// </summary>
        public int FailFraction(double fraction)
        {
            if (fraction < 0 || fraction > 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A fraction is 0 to 1.");
            var live = LiveHosts();
            int count = (int)Math.Round(fraction * live.Count);
            // A partial Fisher-Yates shuffle picks `count` distinct hosts with the workload's seeded source.
            for (int i = 0; i < count; i++)
            {
                int j = i + _random.Next(live.Count - i);
                (live[i], live[j]) = (live[j], live[i]);
                FailHost(live[i]);
            }
            return count;
        }

        /// <summary>Hosts that are up and run at least one joined node, ascending.</summary>
        List<int> LiveHosts()
        {
            var hosts = new List<int>();
            for (int h = 0; h < _runtimes.Count; h++)
            {
                if (!_hostUp[h]) continue;
                int first = _firstNodeOfHost[h];
                for (int v = 0; v < _options.VirtualNodes; v++)
                    if (_joined[first + v]) { hosts.Add(h); break; }
            }
            return hosts;
        }

        /// <summary>Fails one host (see <see cref="FailFraction"/>).</summary>
        public void FailHost(int host)
        {
            if (!_hostUp[host]) return;
            _hostUp[host] = false;
            _liveHosts--;
            int first = _firstNodeOfHost[host];
            for (int v = 0; v < _options.VirtualNodes; v++)
                if (_joined[first + v]) _failedSinceReset++;
            if (_runtimes[host] is SimulatedHost simulated) simulated.Crash();
            else
                for (int v = 0; v < _options.VirtualNodes; v++)
                    _ = _nodes[first + v].StopAsync();
            MembershipChanged();
        }

        /// <summary>
        /// Starts churn on a simulated network, as in the paper's §6.4: hosts join (through a random live node) and fail
        /// (crash) as two Poisson processes of <paramref name="joinsPerSecond"/> and <paramref name="failuresPerSecond"/>,
        /// and lookups of random keys from random live nodes arrive at <paramref name="lookupsPerSecond"/> in
        /// <paramref name="mode"/>, each recorded for Measure. It runs as virtual time runs, until <see cref="StopChurn"/>.
        /// </summary>
        public void StartChurn(double joinsPerSecond, double failuresPerSecond, double lookupsPerSecond, ChordLookupMode mode = ChordLookupMode.Iterative)
        {
            RequireSimulated();
            if (joinsPerSecond < 0 || failuresPerSecond < 0 || lookupsPerSecond < 0) throw new ArgumentOutOfRangeException(nameof(joinsPerSecond), "Rates are 0 or more per second.");
            StopChurn();
            _churn = new ChurnPlan(joinsPerSecond, failuresPerSecond, lookupsPerSecond, mode);
            ScheduleNextChurnEvent();
        }

        /// <summary>Stops churn; joins and lookups already begun finish as the simulation runs.</summary>
        public void StopChurn()
        {
            _churnTimer?.Dispose();
            _churnTimer = null;
            _churn = null;
        }

        /// <summary>
        /// The three processes merged: the next event comes after an exponential wait at the total rate and is a join, a
        /// failure or a lookup in proportion to their rates (one timer for all of churn).
        /// </summary>
        void ScheduleNextChurnEvent()
        {
            var plan = _churn;
            if (plan == null || plan.Total <= 0) return;
            double wait = -Math.Log(1 - _random.NextDouble()) / plan.Total;
            _churnTimer = Simulation.Schedule(TimeSpan.FromSeconds(wait), () =>
            {
                if (_churn != plan) return;
                double pick = _random.NextDouble() * plan.Total;
                if (pick < plan.Joins) ChurnJoin();
                else if (pick < plan.Joins + plan.Failures) ChurnFail();
                else ChurnLookup(plan.Mode);
                ScheduleNextChurnEvent();
            });
        }

        void ChurnJoin()
        {
            var ring = Truth;
            if (ring.Count == 0) return;
            var bootstrap = Contact(ring.MemberAt(_random.Next(ring.Count))).EndPoint;
            int host = AddHost();
            int first = _firstNodeOfHost[host];
            for (int v = 0; v < _options.VirtualNodes; v++)
            {
                int node = first + v;
                _ = JoinDuringChurnAsync(node, bootstrap);
            }
        }

        async Task JoinDuringChurnAsync(int node, System.Net.IPEndPoint bootstrap)
        {
            try
            {
                await _nodes[node].StartAsync();
                CheckPlace(node);
                await _nodes[node].JoinAsync(bootstrap);
                if (!_hostUp[_hostOfNode[node]]) return;
                MarkJoined(node);
                _joinedSinceReset++;
            }
            catch (Exception e) when (e is PSPeer.Engine.Core.PeerException || e is TimeoutException || e is OperationCanceledException)
            {
                // The bootstrap failed meanwhile: this node never made it into the ring (churn counts only those that did).
            }
        }

        void ChurnFail()
        {
            var live = LiveHosts();
            if (live.Count <= 1) return;   // the ring never churns away entirely
            FailHost(live[_random.Next(live.Count)]);
        }

        void ChurnLookup(ChordLookupMode mode)
        {
            if (Truth.Count == 0) return;
            _ = LookupQuietlyAsync(mode);
        }

        async Task LookupQuietlyAsync(ChordLookupMode mode)
        {
            try { await LookupRandomAsync(mode); }
            catch (Exception) { /* counted as failed by LookupAsync */ }
        }

        sealed class ChurnPlan
        {
            public ChurnPlan(double joins, double failures, double lookups, ChordLookupMode mode)
            {
                Joins = joins; Failures = failures; Lookups = lookups; Mode = mode;
            }

            public double Joins { get; }
            public double Failures { get; }
            public double Lookups { get; }
            public ChordLookupMode Mode { get; }
            public double Total => Joins + Failures + Lookups;
        }
    }
}
