using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Engine.Networks.Chord
{
    /// <summary>
    /// Many Chord nodes composed into one ring: simulated (one seeded Simulation, a SimulatedHost per physical host,
    /// virtual time) or live on loopback addresses (127.0.x.y, one UDP port per virtual node). Each host runs
    /// <see cref="ChordNetworkOptions.VirtualNodes"/> nodes on consecutive ports. Built pre-computed (routing state
    /// set from the sorted ids: a million nodes in seconds) or by real joins; then driven with lookup workloads, key
    /// sets, simultaneous failures and churn, and measured against a ground truth kept here (the sorted live ids).
    /// </summary>
    /// <remarks>
    /// Virtual node i of the network is <see cref="Nodes"/>[i]; its host is <see cref="HostOfNode"/>(i). Nodes added by
    /// churn get new indexes (a failed node's index stays, dead). A simulated network runs only while someone drives
    /// it (the Run* methods and the workloads); driving is serialized. Read it (Measure, ring checks) while idle.
    /// </remarks>
    public sealed partial class ChordNetwork : IDisposable
    {
        static readonly TimeSpan StopLimit = TimeSpan.FromMinutes(1);

        readonly object _drive = new object();
        readonly ChordNetworkOptions _options;
        readonly IClock _clock;
        readonly IRandomSource _random;   // the workload's choices: origins, keys, victims, churn times
        readonly ChordOptions _nodeOptions;   // shared by every node (a node never changes its options)

        // Per virtual node (index = node index): the node, its host, where it sits on the ring, how peers reach it.
        readonly List<ChordNode> _nodes = new List<ChordNode>();
        readonly List<int> _hostOfNode = new List<int>();
        readonly List<RingPoint> _points = new List<RingPoint>();
        readonly List<bool> _joined = new List<bool>();

        // Per physical host: the runtime its nodes run on, its first node, whether it is up.
        readonly List<IPeerRuntime> _runtimes = new List<IPeerRuntime>();
        readonly List<int> _firstNodeOfHost = new List<int>();
        readonly List<bool> _hostUp = new List<bool>();
        int _liveHosts;

        SortedRing _truth;        // the live, joined nodes sorted: rebuilt when membership changes
        DateTimeOffset _builtAt;
        bool _disposed;

        ChordNetwork(ChordNetworkOptions options, Simulation simulation, string namePrefix)
        {
            _options = options;
            Simulation = simulation;
            NamePrefix = string.IsNullOrEmpty(namePrefix) ? "c" : namePrefix;
            _clock = simulation?.Clock ?? LiveRuntime.Loopback.Clock;
            _random = new SeededRandom(SeedDerivation.Derive(options.Seed, "chord-network/workload"));
            _nodeOptions = NodeOptions();
        }

        public ChordNetworkOptions Options => _options;
        public bool IsSimulated => Simulation != null;
        /// <summary>The simulation the network lives in, or null for a live network.</summary>
        public Simulation Simulation { get; }
        public string NamePrefix { get; }
        /// <summary>Every virtual node ever added, by node index (failed ones included; see <see cref="IsAlive"/>).</summary>
        public IReadOnlyList<ChordNode> Nodes => _nodes;
        /// <summary>Physical hosts ever added (failed ones included).</summary>
        public int HostCount => _runtimes.Count;
        /// <summary>Hosts up now.</summary>
        public int LiveHostCount => _liveHosts;
        /// <summary>Virtual nodes alive and part of the ring now.</summary>
        public int LiveNodeCount => Truth.Count;
        public int HostOfNode(int node) => _hostOfNode[node];
        /// <summary>The simulated host number <paramref name="host"/> runs on, or null live.</summary>
        public SimulatedHost SimulatedHostOf(int host) => _runtimes[host] as SimulatedHost;
        /// <summary>The node's host is up and the node has joined the ring.</summary>
        public bool IsAlive(int node) => _hostUp[_hostOfNode[node]] && _joined[node];
        /// <summary>The contact (id and endpoint) peers use for node <paramref name="node"/>: its Self, null until it has started.</summary>
        public ChordContact ContactOf(int node) => _nodes[node].Self;

        // The network keeps no contact of its own: the node's Self is shared by every table that names it.
        ChordContact Contact(int node) => _nodes[node].Self;
        /// <summary>Virtual time since the simulation began, or wall time since a live network was built.</summary>
        public TimeSpan Elapsed => IsSimulated ? Simulation.Elapsed : _clock.Now - _builtAt;
        /// <summary>Stabilization rounds (stabilize intervals) a join build took to converge after its last join; 0 pre-computed.</summary>
        public int ConvergenceRounds { get; private set; }
        /// <summary>Stabilization rounds during which a join build was still joining nodes (JoinGrowth above 0).</summary>
        public int JoinRounds { get; private set; }
        /// <summary>Whether the ring built by joins converged (every successor and predecessor right) within its round limit.</summary>
        public bool Converged { get; private set; }

        public int IndexOf(ChordNode node) => node == null ? -1 : _nodes.IndexOf(node);

        /// <summary>The live ring, sorted: the ground truth lookups, stabilization and key placement are checked against.</summary>
        internal SortedRing Truth
        {
            get
            {
                if (_truth != null) return _truth;
                int live = 0;
                for (int i = 0; i < _nodes.Count; i++) if (IsAlive(i)) live++;
                var points = new RingPoint[live];
                var members = new int[live];
                int k = 0;
                for (int i = 0; i < _nodes.Count; i++)
                    if (IsAlive(i)) { points[k] = _points[i]; members[k] = i; k++; }
                return _truth = new SortedRing(points, members);
            }
        }

        void MembershipChanged() => _truth = null;

        internal string NodeName(int node) => NamePrefix + node;

        /// <summary>127.0.x.y for live host i: 127.0.0.2 upwards (127.0.0.1 stays the default of single nodes), skipping .0 and .255.</summary>
        internal static string OwnLoopbackAddress(int host)
        {
            int n = host + 1;
            return "127.0." + (n / 254) + "." + (n % 254 + 1);
        }

        internal static RingPoint PointOf(ChordId id) => RingPoint.FromBytes(id.ToBytes());

        /// <summary>The node options for every node of this network: the network's settings over the defaults, then the caller's hook.</summary>
        ChordOptions NodeOptions()
        {
            var o = new ChordOptions
            {
                SuccessorListLength = _options.SuccessorListLength,
                Replicas = _options.Replicas,
            };
            if (_options.StabilizeInterval.HasValue) o.StabilizeInterval = _options.StabilizeInterval.Value;
            if (_options.FixFingersInterval.HasValue) o.FixFingersInterval = _options.FixFingersInterval.Value;
            if (_options.CheckPredecessorInterval.HasValue) o.CheckPredecessorInterval = _options.CheckPredecessorInterval.Value;
            if (_options.RpcTimeout.HasValue) o.RpcTimeout = _options.RpcTimeout.Value;
            if (_options.RpcRetries.HasValue) o.RpcRetries = _options.RpcRetries.Value;
            if (!_options.Maintenance) DisableMaintenance(o);
            _options.ConfigureNode?.Invoke(o);
            return o;
        }

        /// <summary>Adds a host with its virtual nodes (created, not started); returns the host's index.</summary>
        int AddHost()
        {
            int host = _runtimes.Count;
            var runtime = IsSimulated
                ? (IPeerRuntime)Simulation.AddHost(NamePrefix + "h" + host)
                : new LiveRuntime(OwnLoopbackAddress(host), SeedDerivation.Derive(_options.Seed, "chord-network/host/" + host));
            _runtimes.Add(runtime);
            _firstNodeOfHost.Add(_nodes.Count);
            _hostUp.Add(true);
            _liveHosts++;
            for (int v = 0; v < _options.VirtualNodes; v++)
            {
                int first = _options.FirstPort != 0 ? _options.FirstPort : IsSimulated ? ChordNetworkOptions.SimulatedFirstPort : 0;
                int port = first == 0 ? 0 : first + v;
                int index = _nodes.Count;
                _nodes.Add(new ChordNode(runtime, NodeName(index), port, _nodeOptions));
                _hostOfNode.Add(host);
                // Where the node will sit (SHA-1 of "address:port", as it computes its own id when it starts); a node on
                // any free port is placed once it has started and knows its port.
                _points.Add(port == 0 ? default(RingPoint) : PointOf(ChordId.FromEndPoint(runtime.HostAddress + ":" + port)));
                _joined.Add(false);
            }
            return host;
        }

        /// <summary>Stops every node. Safe to call twice.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            StopChurn();
            if (!IsSimulated)
            {
                foreach (var node in _nodes)
                    try { node.Dispose(); } catch (Exception) { /* a node that fails to stop cleanly is still gone */ }
                return;
            }
            lock (_drive)
            {
                var stops = new List<System.Threading.Tasks.Task>();
                var stopping = Simulation.Spawn(async () =>
                {
                    for (int i = 0; i < _nodes.Count; i++)
                        if (_hostUp[_hostOfNode[i]]) stops.Add(_nodes[i].StopAsync());
                    try { await System.Threading.Tasks.Task.WhenAll(stops); } catch (Exception) { /* gone either way */ }
                });
                Simulation.RunUntil(() => stopping.IsCompleted, StopLimit);
            }
        }
    }
}
