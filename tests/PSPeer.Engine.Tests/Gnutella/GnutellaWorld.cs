using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// A hand-built simulated Gnutella network: servents with generated files, linked explicitly (AutoConnect off
    /// unless a test asks for it), so each test knows its graph exactly.
    /// </summary>
    sealed class GnutellaWorld
    {
        public const int Port = 6346;
        public static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);   // virtual time

        public readonly Simulation Sim;
        public readonly List<GnutellaServent> Nodes = new List<GnutellaServent>();
        public readonly Dictionary<GnutellaServent, SimulatedHost> Hosts = new Dictionary<GnutellaServent, SimulatedHost>();
        public readonly List<PeerEvent> Events = new List<PeerEvent>();
        public readonly List<(int a, int b)> Edges = new List<(int, int)>();

        public GnutellaWorld(int seed = 1)
        {
            Sim = new Simulation(new SimulationOptions { Seed = seed, Latency = TimeSpan.FromMilliseconds(10) });
        }

        public GnutellaServent Add(string name, GnutellaRole role = GnutellaRole.Ultrapeer, Action<GnutellaOptions> configure = null, params string[] files) =>
            AddBehind(null, name, role, configure, files);

        /// <summary>As <see cref="Add"/>, on a host behind <paramref name="nat"/> (null: a public host).</summary>
        public GnutellaServent AddBehind(SimulatedNat nat, string name, GnutellaRole role = GnutellaRole.Ultrapeer, Action<GnutellaOptions> configure = null, params string[] files)
        {
            var host = Sim.AddHost(name + "-host", nat);
            foreach (var f in files) host.MemoryStorage.WriteFile("/share/" + f, Content(f, 1000 + f.Length * 37));
            // The classic flood, as simulated networks run it: tests of dynamic querying and ultrapeer QRP turn them on.
            var options = new GnutellaOptions
            {
                Role = role, Port = Port, AutoConnect = false, SharedPath = files.Length > 0 ? "/share" : null,
                DynamicQuerying = false, UltrapeerQueryRouting = false,
            };
            configure?.Invoke(options);
            var node = new GnutellaServent(host, name, options);
            node.Events.Subscribe(e => Events.Add(e));
            Nodes.Add(node);
            Hosts[node] = host;
            Run(() => node.StartAsync());
            return node;
        }

        public HostPort Address(GnutellaServent node) => new HostPort(Hosts[node].HostAddress, Port);

        public void Link(GnutellaServent from, GnutellaServent to)
        {
            Run(() => from.ConnectAsync(Address(to)));
            Edges.Add((Nodes.IndexOf(from), Nodes.IndexOf(to)));
            Settle();
        }

        /// <summary>Lets in-flight messages (QRP tables, confirmations) arrive.</summary>
        public void Settle(double seconds = 1) => Sim.RunFor(TimeSpan.FromSeconds(seconds));

        public List<SearchHit> Search(GnutellaServent from, string query, int? ttl, int max = 1000, double timeoutSeconds = 3)
        {
            var hits = new List<SearchHit>();
            Run(() => from.SearchAsync(query, new SearchOptions { Ttl = ttl, MaxResults = max, Timeout = TimeSpan.FromSeconds(timeoutSeconds) }, hits.Add));
            return hits;
        }

        public static byte[] Content(string name, int size)
        {
            var bytes = new byte[size];
            new Random(name.Aggregate(size, (h, c) => h * 31 + c)).NextBytes(bytes);
            return bytes;
        }

        public void Run(Func<Task> work)
        {
            var task = Sim.Spawn(work);
            Assert.True(Sim.RunUntilCompleted(task, Limit), "simulated work did not finish in time");
            task.GetAwaiter().GetResult();
        }

        public T Run<T>(Func<Task<T>> work)
        {
            var task = Sim.Spawn(work);
            Assert.True(Sim.RunUntilCompleted(task, Limit), "simulated work did not finish in time");
            return task.GetAwaiter().GetResult();
        }

        /// <summary>Breadth-first distances over <see cref="Edges"/> from node <paramref name="start"/>.</summary>
        public int[] Distances(int start)
        {
            var dist = Enumerable.Repeat(int.MaxValue, Nodes.Count).ToArray();
            var adjacency = Enumerable.Range(0, Nodes.Count).Select(_ => new List<int>()).ToArray();
            foreach (var (a, b) in Edges) { adjacency[a].Add(b); adjacency[b].Add(a); }
            var queue = new Queue<int>();
            dist[start] = 0;
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                int n = queue.Dequeue();
                foreach (int m in adjacency[n])
                    if (dist[m] == int.MaxValue) { dist[m] = dist[n] + 1; queue.Enqueue(m); }
            }
            return dist;
        }

        public static long Sent(GnutellaServent n, GnutellaPayloadType type) => n.Counters.SentByType.TryGetValue(type, out var v) ? v : 0;
        public static long Received(GnutellaServent n, GnutellaPayloadType type) => n.Counters.ReceivedByType.TryGetValue(type, out var v) ? v : 0;

        /// <summary>Queries a node took in for the first time (not duplicates, not rate-limited).</summary>
        public static long FirstCopies(GnutellaServent n) =>
            n.Counters.QueriesReceived - n.Counters.QueriesDroppedDuplicate - n.Counters.QueriesRateLimited;

        public void StopAll()
        {
            foreach (var n in Nodes) Run(() => n.StopAsync());
        }
    }
}
