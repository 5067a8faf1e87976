using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>
    /// A simulated Chord ring built by real joins: one host per node, each node on port 4000 of its host, all
    /// through the first. Virtual time only; one seed, one run. Keeps a trace of every node's events.
    /// </summary>
    sealed class ChordWorld
    {
        public const int Port = 4000;
        public readonly Simulation Sim;
        public readonly ChordOptions Options;
        public readonly List<ChordNode> Nodes = new List<ChordNode>();
        public readonly List<SimulatedHost> Hosts = new List<SimulatedHost>();
        public readonly List<string> Trace = new List<string>();

        public ChordWorld(int seed, ChordOptions options = null, double loss = 0)
        {
            Sim = new Simulation(new SimulationOptions { Seed = seed, Latency = TimeSpan.FromMilliseconds(10), Loss = loss });
            Options = options ?? Fast();
        }

        /// <summary>Intervals for a simulation: rounds every second or so, answers within 10 ms.</summary>
        public static ChordOptions Fast() => new ChordOptions
        {
            StabilizeInterval = TimeSpan.FromSeconds(1),
            FixFingersInterval = TimeSpan.FromMilliseconds(250),
            CheckPredecessorInterval = TimeSpan.FromSeconds(1),
            RpcTimeout = TimeSpan.FromMilliseconds(300),
        };

        public ChordNode AddNode(string name = null, ChordOptions options = null)
        {
            name = name ?? "n" + Nodes.Count;
            var host = Sim.AddHost(name + "-host");
            var node = new ChordNode(host, name, Port, options ?? Options);
            node.EventsInline.Subscribe(e => Trace.Add($"{Sim.Elapsed.TotalMilliseconds:0} {e.Node} {e.Type} {e.Message}"));
            Hosts.Add(host);
            Nodes.Add(node);
            return node;
        }

        public IPEndPoint EndPointOf(ChordNode node) => node.Self.EndPoint;

        /// <summary>n nodes: the first starts a ring, each other joins through the first (or a random member).</summary>
        public static ChordWorld Ring(int n, int seed, ChordOptions options = null, bool randomBootstrap = false)
        {
            var world = new ChordWorld(seed, options);
            var first = world.AddNode();
            world.Run(() => first.StartAsync());
            var random = new Random(seed);
            for (int i = 1; i < n; i++)
            {
                var node = world.AddNode();
                var via = randomBootstrap ? world.Nodes[random.Next(i)] : first;
                world.Run(() => node.JoinAsync(via.Self.EndPoint));
            }
            return world;
        }

        /// <summary>Options under which no maintenance round ever runs (no stabilize, fix_fingers, check_predecessor, refresh).</summary>
        public static ChordOptions NoMaintenance(int replicas = 3) => new ChordOptions
        {
            StabilizeInterval = TimeSpan.MaxValue, FixFingersInterval = TimeSpan.MaxValue, CheckPredecessorInterval = TimeSpan.MaxValue,
            RefreshInterval = TimeSpan.MaxValue, RpcTimeout = TimeSpan.FromMilliseconds(300), Replicas = replicas,
        };

        /// <summary>
        /// n started nodes whose routing state is set from their sorted ids (predecessor, successor list, fingers), no
        /// joins: with <see cref="NoMaintenance"/> options the ring stays exactly as seeded until a test changes it.
        /// </summary>
        public static ChordWorld Precomputed(int n, int seed, ChordOptions options)
        {
            var world = new ChordWorld(seed, options);
            for (int i = 0; i < n; i++)
            {
                var node = world.AddNode();
                world.Run(() => node.StartAsync());
            }
            var ring = world.Nodes.OrderBy(x => x.Self.Id).ToList();
            for (int i = 0; i < n; i++)
            {
                var node = ring[i];
                var successors = Enumerable.Range(1, Math.Min(n - 1, options.SuccessorListLength)).Select(k => ring[(i + k) % n].Self).ToList();
                var fingers = new ChordContact[ChordId.Bits];
                for (int f = 0; f < ChordId.Bits; f++)
                {
                    var start = node.Self.Id.AddPowerOfTwo(f);
                    var owner = ring.FirstOrDefault(x => x.Self.Id.CompareTo(start) >= 0) ?? ring[0];
                    fingers[f] = owner == node ? null : owner.Self;
                }
                node.SeedRoutingState(ring[(i + n - 1) % n].Self, successors, fingers);
            }
            return world;
        }

        public void Run(Func<Task> work) => Sim.Run(work, TimeSpan.FromMinutes(5));
        public T Run<T>(Func<Task<T>> work) => Sim.Run(work, TimeSpan.FromMinutes(5));

        public IEnumerable<ChordNode> Live => Nodes.Where(n => n.State == NodeState.Running && n.InRing);

        /// <summary>Live ring members in id order.</summary>
        public List<ChordNode> Sorted() => Live.OrderBy(n => n.Self.Id).ToList();

        /// <summary>Every live node's successor and predecessor are the right ones.</summary>
        public bool Converged()
        {
            var ring = Sorted();
            if (ring.Count == 0) return true;
            for (int i = 0; i < ring.Count; i++)
            {
                var next = ring[(i + 1) % ring.Count];
                var previous = ring[(i + ring.Count - 1) % ring.Count];
                if (ring[i].Successors.Count == 0 || ring[i].Successors[0].Id != next.Self.Id) return false;
                if (ring.Count > 1 && (ring[i].Predecessor == null || ring[i].Predecessor.Id != previous.Self.Id)) return false;
            }
            return true;
        }

        /// <summary>Every live node's successor list holds exactly its next min(r, n − 1) nodes, in order.</summary>
        public bool SuccessorListsRight()
        {
            var ring = Sorted();
            int full = Math.Min(ring.Count - 1, Options.SuccessorListLength);
            for (int i = 0; i < ring.Count; i++)
            {
                var list = ring[i].Successors;
                if (list.Count != Math.Max(1, full)) return false;
                for (int k = 0; k < full; k++) if (list[k].Id != ring[(i + 1 + k) % ring.Count].Self.Id) return false;
            }
            return true;
        }

        /// <summary>Every finger of every live node is the true successor of its start.</summary>
        public bool FingersRight()
        {
            var ring = Sorted();
            foreach (var node in ring)
            {
                var fingers = node.Fingers;
                for (int i = 0; i < ChordId.Bits; i++)
                {
                    var start = node.Self.Id.AddPowerOfTwo(i);
                    var owner = ring.FirstOrDefault(n => n.Self.Id.CompareTo(start) >= 0) ?? ring[0];
                    var finger = fingers[i];
                    if (owner == node) { if (finger != null && finger.Id != node.Self.Id) return false; continue; }
                    if (finger == null || finger.Id != owner.Self.Id) return false;
                }
            }
            return true;
        }

        /// <summary>The live node that owns <paramref name="id"/>: the first at or after it.</summary>
        public ChordNode OwnerOf(ChordId id)
        {
            var ring = Sorted();
            return ring.FirstOrDefault(n => n.Self.Id.CompareTo(id) >= 0) ?? ring[0];
        }

        public void RunFor(TimeSpan duration) => Sim.RunFor(duration);

        public bool RunUntilConverged(TimeSpan limit) => RunUntil(Converged, limit);

        /// <summary>
        /// Runs until <paramref name="condition"/> holds, checking it once per virtual second (the ring checks sort and
        /// scan every node: checking after every event would cost more than the simulation).
        /// </summary>
        public bool RunUntil(Func<bool> condition, TimeSpan limit)
        {
            for (var waited = TimeSpan.Zero; waited <= limit; waited += TimeSpan.FromSeconds(1))
            {
                if (condition()) return true;
                Sim.RunFor(TimeSpan.FromSeconds(1));
            }
            return condition();
        }
    }
}
