using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Engine.Networks
{
    /// <summary>
    /// Many Gnutella servents composed into one network: simulated (one seeded Simulation, a SimulatedHost per node,
    /// virtual time) or live on loopback (small counts). Builds the layout, starts every servent with AutoConnect
    /// off, makes the planned links with ConnectAsync, shares a synthetic library, and measures what floods do.
    /// </summary>
    /// <remarks>
    /// A simulated network runs only while someone drives it (<see cref="Run{T}"/>, <see cref="RunFor"/>,
    /// <see cref="RunUntil"/>); driving is serialized, so two threads never run the loop at once. Work that touches
    /// the servents of a simulated network must start on its loop (Run, or Simulation.Spawn).
    /// </remarks>
    public sealed partial class GnutellaNetwork : IDisposable
    {
        /// <summary>Every simulated servent listens here on its own virtual address.</summary>
        public const int SimulatedPort = 6346;
        static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(10);    // virtual time to start and link everything
        static readonly TimeSpan StopLimit = TimeSpan.FromMinutes(1);
        const int ConnectBatch = 20000;

        readonly object _drive = new object();
        readonly GnutellaNetworkOptions _options;
        readonly NetworkLayout _layout;
        readonly GnutellaServent[] _nodes;
        readonly SimulatedHost[] _hosts;
        readonly List<GnutellaServent> _retired = new List<GnutellaServent>();
        readonly Dictionary<GnutellaOptions, GnutellaOptions> _optionsInUse = new Dictionary<GnutellaOptions, GnutellaOptions>(SameGnutellaOptions.Instance);
        // The options in use by what they are made from (see OptionsFor), under the same lock.
        readonly Dictionary<(bool Ultrapeer, int CoreDegree, int LeafCount, string SharedPath), GnutellaOptions> _optionsByKind =
            new Dictionary<(bool, int, int, string), GnutellaOptions>();
        readonly QueryTracer _tracer;
        readonly List<IDisposable> _subscriptions = new List<IDisposable>();
        readonly SearchLog _searches = new SearchLog();
        readonly IClock _clock;
        CounterTotals _baseline = new CounterTotals();
        DateTimeOffset _measureStart;
        int _failedLinks;
        bool _disposed;

        GnutellaNetwork(GnutellaNetworkOptions options, NetworkLayout layout, Simulation simulation, string namePrefix)
        {
            _options = options;
            _layout = layout;
            Simulation = simulation;
            NamePrefix = namePrefix ?? "n";
            _nodes = new GnutellaServent[layout.Count];
            _hosts = simulation == null ? null : new SimulatedHost[layout.Count];
            _clock = simulation?.Clock ?? LiveRuntime.Loopback.Clock;
            _tracer = options.TraceQueries ? new QueryTracer(options.MaxTracedFloods) : null;
        }

        public GnutellaNetworkOptions Options => _options;
        public bool IsSimulated => Simulation != null;
        /// <summary>The simulation the network lives in, or null for a live network.</summary>
        public Simulation Simulation { get; }
        public string NamePrefix { get; }
        /// <summary>The servents, by node index. A node that churn replaced is a new servent at the same index.</summary>
        public IReadOnlyList<GnutellaServent> Nodes => _nodes;
        /// <summary>Every link by node index (ultrapeer links per the topology, then leaf attachments).</summary>
        public IReadOnlyList<TopologyEdge> Links => _layout.Links;
        /// <summary>The graph of every link; BFS on it is the analytic reach of a flood (exact when every node is an ultrapeer).</summary>
        public Topology Topology => _layout.All;
        /// <summary>The graph among ultrapeers alone, by position in <see cref="Ultrapeers"/>.</summary>
        public Topology UltrapeerTopology => _layout.Core;
        public IReadOnlyList<int> Ultrapeers => _layout.Ultrapeers;
        public bool IsUltrapeer(int node) => _layout.IsUltrapeer[node];
        /// <summary>Library titles node shares (indices into <see cref="SyntheticLibrary.Titles"/>), or null.</summary>
        public IReadOnlyList<int> SharedTitles(int node) => _layout.Files[node];
        /// <summary>Planned links that could not be made (refused or failed handshakes).</summary>
        public int FailedLinks => Volatile.Read(ref _failedLinks);
        /// <summary>The simulated host of a node, or null live.</summary>
        public SimulatedHost HostOf(int node) => _hosts?[node];
        /// <summary>Virtual time since the simulation began, or wall time since a live network was built.</summary>
        public TimeSpan Elapsed => IsSimulated ? Simulation.Elapsed : _clock.Now - _builtAt;
        DateTimeOffset _builtAt;

        /// <summary>The servent's node index, or -1 when it is not (or no longer) one of this network's nodes.</summary>
        /// <remarks>Read from its name (<see cref="NodeName"/>: the prefix and the index), then checked against the node at
        /// that index: no index of its own per node.</remarks>
        public int IndexOf(GnutellaServent servent)
        {
            if (servent == null) return -1;
            string name = servent.Name;
            if (name.Length <= NamePrefix.Length || name.Length > NamePrefix.Length + 9 || !name.StartsWith(NamePrefix, StringComparison.Ordinal)) return -1;
            int i = 0;
            for (int at = NamePrefix.Length; at < name.Length; at++)
            {
                char c = name[at];
                if (c < '0' || c > '9') return -1;
                i = i * 10 + (c - '0');
            }
            return i < _nodes.Length && ReferenceEquals(Volatile.Read(ref _nodes[i]), servent) ? i : -1;
        }

        /// <summary>Whether the servent is (now) one of this network's nodes.</summary>
        public bool Contains(GnutellaServent servent) => IndexOf(servent) >= 0;

        // ---------------------------------------------------------------- building

        /// <summary>Builds and links a simulated network, running virtual time until every planned link is up.</summary>
        /// <param name="progress">Called between steps (on the calling thread, outside the simulation's loop) with what
        /// is being done and the fraction of the build done so far.</param>
        /// <param name="cancellationToken">Checked between steps: cancelling abandons the half-built simulation.</param>
        public static GnutellaNetwork CreateSimulated(GnutellaNetworkOptions options, string namePrefix = "n",
            Action<string, double> progress = null, CancellationToken cancellationToken = default)
        {
            options = (options ?? new GnutellaNetworkOptions()).Validated();
            var simulation = new Simulation(new SimulationOptions { Seed = options.Seed, Latency = options.Latency });
            var layout = NetworkLayout.Plan(options, simulation.Random);
            var network = new GnutellaNetwork(options, layout, simulation, namePrefix);
            network.PlanNats();
            // Rough shares of the build's cost: creating hosts and servents, starting them, making the links.
            void Report(string what, double fraction)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(what, fraction);
            }
            for (int i = 0; i < layout.Count; i++)
            {
                if (i % ConnectBatch == 0) Report($"Creating {layout.Count:N0} nodes", 0.2 * i / layout.Count);
                var host = network.AddSimulatedHost(i);
                network._hosts[i] = host;
                if (layout.Files[i] != null)
                    foreach (int title in layout.Files[i])
                        // Content makes a new array each time: the storage keeps it rather than a copy of it.
                        host.MemoryStorage.WriteFileTaking("/share/" + SyntheticLibrary.FileName(title), SyntheticLibrary.Content(title));
                network.Install(i, network.CreateServent(i, host, layout.Files[i] != null ? "/share" : null));
            }
            for (int start = 0; start < layout.Count; start += ConnectBatch)
            {
                Report($"Starting {layout.Count:N0} servents", 0.2 + 0.2 * start / layout.Count);
                int first = start;
                network.DriveAll(i => network._nodes[first + i].StartAsync(), Math.Min(ConnectBatch, layout.Count - start), BuildLimit, "start");
            }
            int links = layout.Links.Count;
            for (int start = 0; start < links; start += ConnectBatch)
            {
                Report($"Making {links:N0} links", 0.4 + 0.55 * start / Math.Max(1, links));
                int first = start;
                network.DriveAll(i => network.DialAsync(first + i), Math.Min(ConnectBatch, links - start), BuildLimit, "link", countLinkFailures: true);
            }
            Report("Letting route tables settle", 0.95);
            network.Settle();
            // The build's waves of handshakes are over: the segment buffers kept to serve them need not stay.
            simulation.ReleaseSpareBuffers();
            return network;
        }

        /// <summary>
        /// Starts live servents on loopback and links them as planned. Refuses more than MaxLiveCount nodes, and a
        /// network whose sockets the process's descriptor budget cannot hold (see <see cref="CheckLiveFits"/>).
        /// </summary>
        public static async Task<GnutellaNetwork> CreateLiveAsync(GnutellaNetworkOptions options, string namePrefix = "n", CancellationToken cancellationToken = default)
        {
            options = (options ?? new GnutellaNetworkOptions()).Validated();
            var layout = PlanLive(options);
            var shared = options.LiveAddress == null ? null : new LiveRuntime(options.LiveAddress);
            var runtime = shared ?? LiveRuntime.Loopback;
            var network = new GnutellaNetwork(options, layout, null, namePrefix);
            try
            {
                for (int i = 0; i < layout.Count; i++)
                {
                    string sharedFolder = null;
                    if (layout.Files[i] != null)
                    {
                        if (string.IsNullOrEmpty(options.LiveSharedRoot))
                            throw new ArgumentException("A live network that shares files needs LiveSharedRoot (a folder for the nodes' files).", nameof(options));
                        sharedFolder = runtime.Storage.Combine(options.LiveSharedRoot, network.NodeName(i));
                        foreach (int title in layout.Files[i])
                            using (var stream = runtime.Storage.Create(runtime.Storage.Combine(sharedFolder, SyntheticLibrary.FileName(title))))
                            {
                                var bytes = SyntheticLibrary.Content(title);
                                await stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken);
                            }
                    }
                    network.Install(i, network.CreateServent(i, shared ?? new LiveRuntime(OwnLoopbackAddress(i)), sharedFolder));
                }
                await Task.WhenAll(network._nodes.Select(n => n.StartAsync(cancellationToken)));
                await Task.WhenAll(Enumerable.Range(0, layout.Links.Count).Select(l => network.LinkAsync(l, cancellationToken)));
                await runtime.Clock.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);   // QRP tables reach the ultrapeers
                network.MarkBuilt();
                return network;
            }
            catch
            {
                await network.StopAsync();
                throw;
            }
        }

        internal string NodeName(int i) => NamePrefix + i;

        /// <summary>Descriptors a live network of <paramref name="nodes"/> nodes and <paramref name="links"/> links holds in one process: a listener per node and both ends of every link.</summary>
        public static int LiveDescriptorsNeeded(int nodes, int links) => nodes + 2 * links;

        /// <summary>
        /// Whether the live network <paramref name="options"/> describe fits this process: at most MaxLiveCount nodes, and
        /// its sockets within what the process's descriptor budget has free (the budget keeps a reserve below the
        /// open-file limit for everything that is not a connection). When it does not, <paramref name="problem"/> says
        /// what the network needs and how to get it.
        /// </summary>
        public static bool LiveFits(GnutellaNetworkOptions options, out string problem) => LiveFits(options, DescriptorBudget.Process, out problem);

        /// <summary>As the public overload, against <paramref name="budget"/> instead of the process's (tests use small ones).</summary>
        internal static bool LiveFits(GnutellaNetworkOptions options, DescriptorBudget budget, out string problem) => TryPlanLive(options, budget, out problem) != null;

        static NetworkLayout PlanLive(GnutellaNetworkOptions options) =>
            TryPlanLive(options, DescriptorBudget.Process, out string problem) ?? throw new ArgumentOutOfRangeException(nameof(options), options.Count, problem);

        static NetworkLayout TryPlanLive(GnutellaNetworkOptions options, DescriptorBudget budget, out string problem)
        {
            options = (options ?? new GnutellaNetworkOptions()).Validated();
            problem = null;
            if (options.Count > GnutellaNetworkOptions.MaxLiveCount)
            {
                problem = $"A live network opens real sockets: at most {GnutellaNetworkOptions.MaxLiveCount} nodes. Use a simulated network for more.";
                return null;
            }
            var layout = NetworkLayout.Plan(options, new SeededRandom(options.Seed));
            int needed = LiveDescriptorsNeeded(layout.Count, layout.Links.Count);
            int free = budget.Capacity - budget.InUse;
            if (needed <= free) return layout;
            // The budget is the open-file limit less a tenth (at least 128) kept for files, pipes and the runtime.
            long limit = (long)Math.Ceiling((needed + (budget.Capacity - free) + 128) / 0.9);
            problem = $"A live network of {layout.Count:N0} nodes and {layout.Links.Count:N0} links needs {needed:N0} file descriptors " +
                      $"(a listener per node, two sockets per link), but this process has {free:N0} free of its budget " +
                      $"({budget}). Raise the open-file limit to about {limit:N0} (ulimit -n {limit}) before starting the process, " +
                      "or use fewer nodes, a lower degree, or a simulated network.";
            return null;
        }

        /// <summary>127.0.x.y for live node i: 127.0.0.2 upwards (127.0.0.1 stays the default of single nodes), skipping .0 and .255.</summary>
        static string OwnLoopbackAddress(int i)
        {
            int n = i + 1;
            return "127.0." + (n / 254) + "." + (n % 254 + 1);
        }

        GnutellaServent CreateServent(int i, IPeerRuntime runtime, string sharedPath)
        {
            var o = OptionsFor(i, sharedPath);
            // A simulated host already carries the node's name: one string for both.
            var servent = new GnutellaServent(runtime, runtime is SimulatedHost host ? host.Name : NodeName(i), o);
            if (!IsSimulated)
            {
                // A hub of the plan may hold more links than the default 128 connections: its links, twice, plus room
                // for downloads and handshakes. Per address: when every node listens and dials on one shared address,
                // all its links come from that address, so the limit must hold them all (loopback is not exempt); each
                // node on its own 127.0.x.y keeps the default per-address limit, as strangers would meet it.
                int links = _layout.CoreDegree[i] + _layout.LeafCount[i] + o.LeafUltrapeerLinks;
                int most = Math.Max(128, 2 * links + 32);
                servent.Limits = _options.LiveAddress != null
                    ? new ConnectionLimits { MaxConnections = most, MaxConnectionsPerAddress = most }
                    : new ConnectionLimits { MaxConnections = most };
            }
            return servent;
        }

        /// <summary>
        /// The options of node <paramref name="i"/>: those of an earlier node of the same kind (role, degree, leaves,
        /// shares or not: all that differs between nodes in <see cref="NewOptions"/>), found without making an options
        /// object to compare (a build of 10^5 nodes made, hashed and dropped one per node). A network whose
        /// ConfigureServent may set anything per node makes each and shares equal ones (<see cref="ShareOptions"/>).
        /// </summary>
        GnutellaOptions OptionsFor(int i, string sharedPath)
        {
            if (_options.ConfigureServent != null) return ShareOptions(NewOptions(i, sharedPath));
            var kind = (_layout.IsUltrapeer[i], _layout.CoreDegree[i], _layout.LeafCount[i], sharedPath);
            lock (_optionsInUse)
                if (_optionsByKind.TryGetValue(kind, out var known)) return known;
            var made = ShareOptions(NewOptions(i, sharedPath));
            lock (_optionsInUse) _optionsByKind[kind] = made;
            return made;
        }

        /// <summary>Options made anew for node <paramref name="i"/> (its role and degree from the plan), configured by ConfigureServent.</summary>
        GnutellaOptions NewOptions(int i, string sharedPath)
        {
            var o = new GnutellaOptions
            {
                Role = _layout.IsUltrapeer[i] ? GnutellaRole.Ultrapeer : GnutellaRole.Leaf,
                Port = IsSimulated ? SimulatedPort : 0,
                SharedPath = sharedPath,
                AutoConnect = false,
                // The plan decides the links: a hub of a power-law graph must not refuse the links it was given.
                MaxUltrapeerLinks = Math.Max(32, _layout.CoreDegree[i] + 4),
                MaxLeaves = Math.Max(30, _layout.LeafCount[i] + 4),
                LeafUltrapeerLinks = Math.Max(_options.LeafUltrapeerLinks, 1),
                // Nodes of one composed network talk only to one another, in one process: compressing those links
                // would save nothing and cost a compressor (~200-250 KiB) per busy link end. ConfigureServent may turn it on.
                CompressLinks = false,
                // X-Degree stays truthful: the ultrapeer links the plan gives this node.
                UltrapeerLinkTarget = _layout.CoreDegree[i],
                // Plain floods unless asked, so the published flood figures stay what they were.
                DynamicQuerying = _options.DynamicQuerying,
                UltrapeerQueryRouting = _options.UltrapeerQueryRouting,
                // Live nodes that share one address (LiveAddress) all link from it: the per-address limit would cut the
                // plan's own links. Each on its own 127.0.x.y, they are distinct hosts and the default limit holds.
                MaxLinksPerAddress = !IsSimulated && _options.LiveAddress != null ? 0 : (int?)null,
            };
            if (IsSimulated)
            {
                // A simulated node's routing tables are sized to the network, so 100,000 nodes fit in memory.
                o.RouteCapacity = Math.Min(o.RouteCapacity, 4096);
                o.QrpTableBits = _options.SimulatedQrpTableBits;
                // With NATs about, servents learn whether they are reachable, so NATed ones answer with the push flag.
                if (_behindNat != null) o.DetectFirewall = true;
            }
            _options.ConfigureServent?.Invoke(o);
            return o;
        }

        /// <summary>
        /// The options object of an earlier node configured the same way, or <paramref name="o"/> now kept for later
        /// ones: a network's servents come in a few kinds (role, degree, shares or not), so a million nodes hold a few
        /// hundred options objects rather than a million. Nothing changes a servent's options once it is made.
        /// </summary>
        GnutellaOptions ShareOptions(GnutellaOptions o)
        {
            lock (_optionsInUse)
            {
                if (_optionsInUse.TryGetValue(o, out var same)) return same;
                _optionsInUse.Add(o, o);
                return o;
            }
        }

        void Install(int i, GnutellaServent servent)
        {
            Volatile.Write(ref _nodes[i], servent);
            if (_tracer != null)
                lock (_subscriptions) _subscriptions.Add(_tracer.Attach(servent, i));
        }

        HostPort AddressOf(int node)
        {
            if (!IsSimulated) return HostPort.Parse(_nodes[node].EndPoint);
            // Found once per node and kept: a node is dialled about three times while a network builds, and finding it
            // read its host, its servent and the servent's endpoint, each far from the last in a big network's heap. The
            // address is its host's and the simulated port whichever servent (churn) runs there, so it never changes.
            var addresses = _addresses ?? (_addresses = new HostPort[_nodes.Length]);
            var address = addresses[node];
            if (address != null) return address;
            // The servent's own listen endpoint when it is that address: a dial makes no HostPort, and the link keeps one
            // shared with the servent.
            string host = _hosts[node].HostAddress;
            var own = _nodes[node].ListenAddress;
            address = own != null && own.Port == SimulatedPort && own.Host == host ? own : new HostPort(host, SimulatedPort);
            // Kept only once it is the servent's own (one object for the servent and every link to it).
            if (ReferenceEquals(address, own)) addresses[node] = address;
            return address;
        }

        // Simulated: each node's address as AddressOf found it (null until it is dialled); made at the first dial.
        HostPort[] _addresses;

        /// <summary>Makes planned link <paramref name="link"/>; a failure is counted, not thrown (a network tolerates a missing link).</summary>
        async Task LinkAsync(int link, CancellationToken cancellationToken = default)
        {
            try
            {
                await DialAsync(link, cancellationToken);
            }
            catch (Exception ex) when (IsLinkFailure(ex))
            {
                Interlocked.Increment(ref _failedLinks);
            }
        }

        /// <summary>Dials planned link <paramref name="link"/>: the dialling servent's ConnectAsync.</summary>
        Task DialAsync(int link, CancellationToken cancellationToken = default)
        {
            var e = _layout.Links[link];
            // A leaf dials its ultrapeer; between ultrapeers the lower index dials.
            int from = e.A, to = e.B;
            if (_layout.LeafLink[link] && _layout.IsUltrapeer[e.A]) { from = e.B; to = e.A; }
            (from, to) = DialDirection(from, to);
            return _nodes[from].ConnectAsync(AddressOf(to), cancellationToken);
        }

        // How a link can fail without failing the network: refused, unreachable, cancelled, reset.
        static bool IsLinkFailure(Exception ex) => ex is PeerException || ex is OperationCanceledException || ex is System.IO.IOException;

        /// <summary>Lets QRP tables and first pings settle, then starts measuring from here.</summary>
        void Settle()
        {
            Simulation.RunFor(TimeSpan.FromSeconds(2));
            MarkBuilt();
        }

        void MarkBuilt()
        {
            _builtAt = _clock.Now;
            ResetMeasurement();
        }

        /// <summary>Runs count tasks on the loop until all complete; rethrows the first failure.</summary>
        /// <param name="countLinkFailures">Work that fails as a link can (<see cref="IsLinkFailure"/>) is counted in
        /// <see cref="FailedLinks"/> rather than thrown, as <see cref="LinkAsync"/> does, without an async wrapper per link.</param>
        void DriveAll(Func<int, Task> work, int count, TimeSpan limit, string what, bool countLinkFailures = false)
        {
            // One loop item per index, as a Spawn each would make, without a wrapper task and delegates per index.
            var batch = Simulation.SpawnEach(work, count);
            if (!RunUntil(() => batch.IsCompleted, limit))
                throw new TimeoutException($"The network did not {what} within {limit} of virtual time.");
            int failed = batch.CountFailures(countLinkFailures ? IsLinkFailure : (Func<Exception, bool>)null);
            if (failed > 0) Interlocked.Add(ref _failedLinks, failed);
        }
    }
}
