using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Engine.Networks.Chord
{
    // Building: hosts and nodes, then either the pre-computed routing state or real joins and convergence.
    public sealed partial class ChordNetwork
    {
        const int Batch = 20000;
        static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(10);
        /// <summary>Most stabilization rounds a join build waits for convergence before it reports it did not converge.</summary>
        public const int MaxConvergenceRounds = 2000;

        /// <summary>Builds a simulated ring: pre-computed (routing state from the sorted ids) or by real joins, as the options say.</summary>
        /// <param name="progress">Called between steps (on the calling thread, outside the simulation's loop) with what is
        /// being done and the fraction done so far.</param>
        /// <param name="cancellationToken">Checked between steps: cancelling abandons the half-built simulation.</param>
        public static ChordNetwork CreateSimulated(ChordNetworkOptions options, string namePrefix = "c",
            Action<string, double> progress = null, CancellationToken cancellationToken = default)
        {
            options = (options ?? new ChordNetworkOptions()).Validated();
            if (!options.Simulated) throw new ArgumentException("These options ask for a live network: use CreateLiveAsync.", nameof(options));
            var simulation = new Simulation(new SimulationOptions { Seed = options.Seed, Latency = options.Latency, Jitter = options.Jitter, Loss = options.Loss });
            var network = new ChordNetwork(options, simulation, namePrefix);
            void Report(string what, double fraction)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(what, fraction);
            }
            for (int h = 0; h < options.Count; h++)
            {
                if (h % Batch == 0) Report($"Creating {options.Count:N0} hosts of {options.VirtualNodes} virtual node(s)", 0.3 * h / options.Count);
                network.AddHost();
            }
            if (options.Build == ChordBuildMode.Precomputed)
            {
                int n = network._nodes.Count;
                for (int start = 0; start < n; start += Batch)
                {
                    Report($"Starting {n:N0} nodes", 0.3 + 0.3 * start / n);
                    int first = start, count = Math.Min(Batch, n - start);
                    network.DriveAll(i => network._nodes[first + i].StartAsync(), count, StartLimit, "start");
                }
                network.SeedAll((what, f) => Report(what, 0.6 + 0.4 * f));
            }
            else
            {
                network.JoinAllSimulated((what, f) => Report(what, 0.3 + 0.7 * f), cancellationToken);
            }
            network._builtAt = network._clock.Now;
            network.ResetMeasurement();
            return network;
        }

        /// <summary>
        /// Starts a live ring on loopback addresses (host i on 127.0.x.y; its virtual nodes on consecutive UDP ports from
        /// FirstPort, or any free ports when it is 0): pre-computed or by joins, as the options say. Refuses more than MaxLiveNodes virtual nodes.
        /// </summary>
        public static async Task<ChordNetwork> CreateLiveAsync(ChordNetworkOptions options, string namePrefix = "c", CancellationToken cancellationToken = default)
        {
            options = (options ?? new ChordNetworkOptions { Simulated = false }).Validated();
            if (options.Simulated) throw new ArgumentException("These options ask for a simulated network: use CreateSimulated.", nameof(options));
            var network = new ChordNetwork(options, null, namePrefix);
            try
            {
                for (int h = 0; h < options.Count; h++) network.AddHost();
                if (options.Build == ChordBuildMode.Precomputed)
                {
                    var starts = new Task[network._nodes.Count];
                    for (int i = 0; i < starts.Length; i++) starts[i] = network._nodes[i].StartAsync(cancellationToken);
                    await Task.WhenAll(starts);
                    network.SeedAll(null);
                }
                else
                {
                    await network._nodes[0].StartAsync(cancellationToken);
                    network.CheckPlace(0);
                    network.MarkJoined(0);
                    for (int i = 1; i < network._nodes.Count; i++)
                    {
                        await network._nodes[i].StartAsync(cancellationToken);
                        network.CheckPlace(i);
                        await network._nodes[i].JoinAsync(network.Contact(network.RandomJoinedNode()).EndPoint, cancellationToken);
                        network.MarkJoined(i);
                    }
                    await network.WaitConvergedLiveAsync(cancellationToken);
                }
                network._builtAt = network._clock.Now;
                network.ResetMeasurement();
                return network;
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }

        void MarkJoined(int node)
        {
            _joined[node] = true;
            MembershipChanged();
        }

        /// <summary>
        /// Sets every node's predecessor, successor list and 160 fingers from the sorted ids, as a converged ring has
        /// them. One contact object per node is shared by every table that names it.
        /// </summary>
        void SeedAll(Action<string, double> progress)
        {
            for (int i = 0; i < _nodes.Count; i++)
            {
                CheckPlace(i);
                _joined[i] = true;
            }
            MembershipChanged();
            var ring = Truth;
            int n = ring.Count;
            // The node copies what it is given (its own successor array, its finger table), so one pair of buffers
            // serves every node: a million nodes make no garbage here.
            var successorList = new ChordContact[Math.Min(_options.SuccessorListLength, Math.Max(1, n - 1))];
            var fingers = new ChordContact[160];
            var fingerPositions = new int[160];
            for (int p = 0; p < n; p++)
            {
                if (progress != null && p % Batch == 0) progress($"Setting the routing state of {n:N0} nodes", (double)p / n);
                for (int s = 0; s < successorList.Length; s++) successorList[s] = Contact(ring.MemberAt(p + 1 + s));
                ring.FingerPositions(p, fingerPositions);
                for (int f = 0; f < 160; f++) fingers[f] = Contact(ring.MemberAt(fingerPositions[f]));
                _nodes[ring.MemberAt(p)].SeedRoutingState(Contact(ring.MemberAt(p - 1)), successorList, fingers);
            }
        }

        /// <summary>A node picked at random among those that have joined and are alive.</summary>
        int RandomJoinedNode()
        {
            var ring = Truth;
            return ring.MemberAt(_random.Next(ring.Count));
        }

        /// <summary>
        /// Real joins in a simulation: node 0 starts a ring and every other node starts and joins through a random member
        /// that has finished joining, with ring maintenance running on the nodes' timers all along. Joins come in
        /// stabilization rounds: each round at most <see cref="ChordNetworkOptions.JoinGrowth"/> times the ring's size
        /// (at least one), spread evenly over the round. Chord's stabilization repairs one node per round in a gap that
        /// several nodes joined at once (the paper's analysis assumes joins interleaved with stabilization), so joins
        /// far faster than that pile up chains that take as many rounds as they are long; growing by a fraction per
        /// round keeps two joins in one gap rare. JoinGrowth 0 joins strictly one after another, each as soon as the
        /// last returned. Then the network runs rounds until every live node's successor and predecessor are right
        /// (<see cref="ConvergenceRounds"/>).
        /// </summary>
        void JoinAllSimulated(Action<string, double> progress, CancellationToken cancellationToken)
        {
            int n = _nodes.Count;
            Run(async () =>
            {
                await _nodes[0].StartAsync();
                CheckPlace(0);
                MarkJoined(0);
            }, StartLimit);
            var round = RoundLength();
            int next = 1;
            while (next < n)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke($"Joining {n:N0} nodes ({next:N0} in the ring)", 0.8 * next / n);
                if (_options.JoinGrowth <= 0)
                {
                    int node = next++;
                    var bootstrap = Contact(RandomJoinedNode()).EndPoint;
                    Run(() => JoinOneAsync(node, bootstrap), StartLimit);
                    continue;
                }
                int batch = Math.Min(n - next, Math.Max(1, (int)(Truth.Count * _options.JoinGrowth)));
                int pending = batch;
                Exception failure = null;
                for (int k = 0; k < batch; k++)
                {
                    int node = next++;
                    Simulation.Schedule(TimeSpan.FromTicks(round.Ticks * k / batch), () =>
                    {
                        var bootstrap = Contact(RandomJoinedNode()).EndPoint;
                        JoinOneAsync(node, bootstrap).ContinueWith(t =>
                        {
                            pending--;
                            if (t.IsFaulted && failure == null) failure = t.Exception.GetBaseException();
                        }, TaskContinuationOptions.ExecuteSynchronously);
                    });
                }
                JoinRounds++;
                RunFor(round);
                if (!RunUntil(() => pending == 0, StartLimit))
                    throw new TimeoutException($"{pending} joins did not complete within {StartLimit} of virtual time.");
                if (failure != null) throw failure;
            }
            WaitConverged(MaxConvergenceRounds, progress == null ? (Action<string>)null : what => progress(what, 0.9));
        }

        /// <summary>The node's own id must be where the network placed it (SHA-1 of its address and port), or every check here would lie.</summary>
        void CheckPlace(int node)
        {
            var self = _nodes[node].Self;
            if (self != null && _nodes[node].RequestedPort == 0) _points[node] = PointOf(self.Id);
            if (self == null || !PointOf(self.Id).Equals(_points[node]))
                throw new InvalidOperationException($"Node {_nodes[node].Name} is at {self?.Id.ToHex() ?? "no id"}, not at SHA-1 of its endpoint as the network expects (an ExplicitId set by ConfigureNode?).");
        }

        async Task JoinOneAsync(int node, System.Net.IPEndPoint bootstrap)
        {
            await _nodes[node].StartAsync();
            CheckPlace(node);
            await _nodes[node].JoinAsync(bootstrap);
            MarkJoined(node);
        }

        /// <summary>One stabilization round: the longest of the maintenance intervals, so every timer has fired once.</summary>
        TimeSpan RoundLength()
        {
            var o = _nodeOptions;
            var round = o.StabilizeInterval;
            if (o.FixFingersInterval > round) round = o.FixFingersInterval;
            return round > TimeSpan.Zero && round < Never ? round : TimeSpan.FromSeconds(1);
        }

        /// <summary>
        /// Runs stabilization rounds until every live node's first successor and predecessor are the true ones, at most
        /// <paramref name="maxRounds"/>; records the rounds it took and whether it converged. Returns the rounds.
        /// </summary>
        /// <param name="roundReport">Told, before each round, how right the ring is and how far wrong successors skip.</param>
        public int WaitConverged(int maxRounds, Action<string> roundReport = null)
        {
            RequireSimulated();
            var round = RoundLength();
            int rounds = 0;
            while (!RingIsConverged() && rounds < maxRounds)
            {
                if (roundReport != null)
                {
                    var (s, p) = RingAccuracy();
                    roundReport($"Stabilizing: round {rounds + 1}, {s:P1} of successors and {p:P1} of predecessors right; {SkipProfile()}");
                }
                RunFor(round);
                rounds++;
            }
            ConvergenceRounds = rounds;
            Converged = RingIsConverged();
            return rounds;
        }

        async Task WaitConvergedLiveAsync(CancellationToken cancellationToken)
        {
            var round = RoundLength();
            int rounds = 0;
            while (!RingIsConverged() && rounds < MaxConvergenceRounds)
            {
                await _clock.Delay(round, cancellationToken);
                rounds++;
            }
            ConvergenceRounds = rounds;
            Converged = RingIsConverged();
        }

        /// <summary>How far wrong successors reach: live nodes a successor pointer jumps over (0 when right).</summary>
        string SkipProfile()
        {
            var ring = Truth; int n = ring.Count;
            var pos = new Dictionary<ChordId, int>();
            for (int p = 0; p < n; p++) pos[Contact(ring.MemberAt(p)).Id] = p;
            var skips = new List<int>(); int unknown = 0, self = 0;
            for (int p = 0; p < n; p++)
            {
                var s = _nodes[ring.MemberAt(p)].Successors;
                if (s.Count == 0 || s[0] == null) { unknown++; continue; }
                if (!pos.TryGetValue(s[0].Id, out int q)) { unknown++; continue; }
                if (q == p) { self++; continue; }
                skips.Add(((q - p) % n + n) % n - 1);
            }
            skips.Sort();
            int wrong = skips.FindAll(x => x > 0).Count;
            return $"{wrong} successors skip live nodes (at most {(skips.Count > 0 ? skips[skips.Count - 1] : 0)}), {self} point at themselves, {unknown} at no live node";
        }

        /// <summary>Every live node's first successor and predecessor are the true ones.</summary>
        public bool RingIsConverged()
        {
            var (successors, predecessors) = RingAccuracy();
            return successors == 1 && predecessors == 1;
        }

        /// <summary>Fractions of live nodes whose first successor, and whose predecessor, are the true live ones.</summary>
        public (double Successors, double Predecessors) RingAccuracy()
        {
            var ring = Truth;
            int n = ring.Count;
            if (n == 0) return (1, 1);
            int rightSuccessor = 0, rightPredecessor = 0;
            for (int p = 0; p < n; p++)
            {
                var node = _nodes[ring.MemberAt(p)];
                var successors = node.Successors;
                if (successors != null && successors.Count > 0 && successors[0] != null && successors[0].Id.Equals(Contact(ring.MemberAt(p + 1)).Id)) rightSuccessor++;
                var predecessor = node.Predecessor;
                if (predecessor != null && predecessor.Id.Equals(Contact(ring.MemberAt(p - 1)).Id)) rightPredecessor++;
            }
            return ((double)rightSuccessor / n, (double)rightPredecessor / n);
        }

        /// <summary>Runs count tasks on the loop until all complete; rethrows the first failure.</summary>
        void DriveAll(Func<int, Task> work, int count, TimeSpan limit, string what)
        {
            var tasks = new Task[count];
            lock (_drive)
            {
                for (int i = 0; i < count; i++)
                {
                    int index = i;
                    tasks[i] = Simulation.Spawn(() => work(index));
                }
                var all = Task.WhenAll(tasks);
                if (!Simulation.RunUntilCompleted(all, limit))
                    throw new TimeoutException($"The network did not {what} within {limit} of virtual time.");
                all.GetAwaiter().GetResult();
            }
        }
    }
}
