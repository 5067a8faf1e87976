using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Networks.Chord;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Chord networks against the paper (Stoica et al., SIGCOMM 2001, §6) and at scale, each figure printed beside
    /// its anchor. Parts (all by default, in this order):
    ///   memory    what one simulated host + datagram socket + ChordNode costs (settled managed heap)
    ///   paths     path length for N = 2^3 ... 2^max (pre-computed rings, no maintenance): mean, p1, p99 against ½·log2 N
    ///   load      keys per host at 10^4 hosts and 5·10^5 keys, r = 1, 2, 5, 10, 20 virtual nodes: p99/mean against 4.6× → 1.6×
    ///   failures  a fraction p of 10^4 nodes fail at once: keys lost (R = 1 and R = 3) against p and p^R, lookups after stabilization
    ///   churn     lookups during churn around 500 nodes (§6.4): failed fraction against the join/failure rate λ
    ///   modes     iterative against recursive: messages and latency per lookup
    ///   scale     a ring of 10^6 nodes: build time and memory, then 10^5 lookups (anchors: ≤ 60 s, ≤ 4 GB, ≤ 30 s)
    ///   joins     10^4 nodes built by real joins: stabilization rounds until every successor is right
    ///   live      200 nodes on loopback addresses in this process: lookups/s, half killed, lookups after stabilization
    /// `dotnet run -c Release --project tests/PSPeer.Benchmarks -- chord [--parts paths,load,...] [--max-exponent 20]
    /// [--scale-nodes 1000000] [--scale-lookups 100000] [--join-nodes 10000] [--live 200]`
    /// </summary>
    static class ChordBenchmark
    {
        static readonly string[] AllParts = { "memory", "paths", "load", "failures", "churn", "modes", "scale", "joins", "live" };

        public static async Task<int> RunAsync(string[] args)
        {
            int i = Array.IndexOf(args, "--parts");
            var parts = i >= 0 && i + 1 < args.Length ? args[i + 1].Split(',') : AllParts;
            Console.WriteLine($"# chord: parts {string.Join(",", parts)}; load {LoadAverage()}");
            foreach (var part in parts)
            {
                var clock = Stopwatch.StartNew();
                var cpu = Cpu();
                switch (part)
                {
                    case "memory": Memory(Program.Option(args, "--memory-nodes", 100_000)); break;
                    case "paths": Paths(Program.Option(args, "--max-exponent", 20), Program.Option(args, "--path-lookups", 10_000)); break;
                    case "load": Load(Program.Option(args, "--load-hosts", 10_000), Program.Option(args, "--load-keys", 500_000)); break;
                    case "failures": Failures(Program.Option(args, "--failure-nodes", 10_000), Program.Option(args, "--failure-keys", 10_000)); break;
                    case "churn": Churn(Program.Option(args, "--churn-nodes", 500), Program.Option(args, "--churn-seconds", 2000)); break;
                    case "modes": Modes(Program.Option(args, "--mode-nodes", 10_000)); break;
                    case "scale": Scale(Program.Option(args, "--scale-nodes", 1_000_000), Program.Option(args, "--scale-lookups", 100_000)); break;
                    case "joins": Joins(Program.Option(args, "--join-nodes", 10_000)); break;
                    case "live": await LiveAsync(Program.Option(args, "--live", 200)); break;
                    default: Console.Error.WriteLine($"unknown part '{part}': {string.Join(", ", AllParts)}"); return 2;
                }
                Console.WriteLine($"  ({part}: {clock.Elapsed.TotalSeconds:0.0} s wall, {(Cpu() - cpu).TotalSeconds:0.0} s CPU; load {LoadAverage()})");
                Console.WriteLine();
            }
            return 0;
        }

        static string LoadAverage()
        {
            try { return System.IO.File.ReadAllText("/proc/loadavg").Trim(); }
            catch (Exception) { return "unknown"; }
        }

        /// <summary>CPU time of this process: on a machine shared with busy neighbours, the figure wall time cannot give.</summary>
        static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

        static double HalfLog2(long n) => 0.5 * Math.Log(n, 2);

        static ChordNetwork Ring(int hosts, int virtualNodes = 1, bool maintenance = false, int replicas = 1, int seed = 1,
            ChordBuildMode build = ChordBuildMode.Precomputed, Action<ChordNetworkOptions> configure = null)
        {
            var o = new ChordNetworkOptions
            {
                Count = hosts, VirtualNodes = virtualNodes, Maintenance = maintenance, Replicas = replicas, Seed = seed, Build = build,
            };
            configure?.Invoke(o);
            return ChordNetwork.CreateSimulated(o);
        }

        // ------------------------------------------------------------------ memory

        static void Memory(int count)
        {
            Console.WriteLine($"## memory: {count:N0} simulated hosts, one datagram socket and one ChordNode each (settled managed heap, bytes per node)");
            long before = ManagedHeap.Settled();
            var sim = new PSPeer.Engine.Runtime.Simulated.Simulation(new PSPeer.Engine.Runtime.Simulated.SimulationOptions { Seed = 1 });
            var hosts = new PSPeer.Engine.Runtime.Simulated.SimulatedHost[count];
            for (int i = 0; i < count; i++) hosts[i] = sim.AddHost("c" + i);
            long withHosts = ManagedHeap.Settled();
            var sockets = new PSPeer.Engine.Runtime.IDatagramSocket[count];
            PSPeer.Engine.Runtime.DatagramReceiver ignore = (s, f, p) => { };
            for (int i = 0; i < count; i++) sockets[i] = hosts[i].Datagrams.Bind(4000, ignore);
            long withSockets = ManagedHeap.Settled();
            foreach (var s in sockets) s.Dispose();
            GC.KeepAlive(sim);
            sim = null; hosts = null; sockets = null;
            long baseline = ManagedHeap.Settled();
            using (var ring = Ring(count))
            {
                long withRing = ManagedHeap.Settled();
                Console.WriteLine($"  host (simulation tables included) {(withHosts - before) / (double)count,8:N0}");
                Console.WriteLine($"  idle datagram socket              {(withSockets - withHosts) / (double)count,8:N0}");
                Console.WriteLine($"  whole pre-computed ring           {(withRing - baseline) / (double)count,8:N0}   (host + socket + ChordNode + routing state + contact + network's tables)");
                Console.WriteLine($"  => ChordNode and its state        {(withRing - baseline - (withSockets - before)) / (double)count,8:N0}");
                GC.KeepAlive(ring);
            }
        }

        // ------------------------------------------------------------------ paths

        static void Paths(int maxExponent, int lookups)
        {
            Console.WriteLine($"## path length (paper Fig. 10a): pre-computed rings, maintenance off, {lookups:N0} iterative lookups of random keys from random nodes");
            Console.WriteLine("   hops by the issue's rule (asker = hop 0, owner step not counted); traversed = hops + 1, the paper's path length");
            Console.WriteLine("       N   hops mean    p1   p50   p99   traversed mean   ½·log2 N   build s CPU   lookups s CPU");
            for (int e = 3; e <= maxExponent; e++)
            {
                int n = 1 << e;
                var cpu = Cpu();
                using (var ring = Ring(n))
                {
                    var build = Cpu() - cpu;
                    cpu = Cpu();
                    ring.RunLookups(lookups, ChordLookupMode.Iterative);
                    var m = ring.Measure();
                    Console.WriteLine($"{n,8:N0}   {m.Hops.Mean,9:0.00}  {m.Hops.P1,4}  {m.Hops.P50,4}  {m.Hops.P99,4}   {m.PathLength.Mean,14:0.00}   {HalfLog2(n),8:0.00}   {build.TotalSeconds,11:0.0}   {(Cpu() - cpu).TotalSeconds,13:0.0}" +
                                      (m.FailedLookups + m.WrongOwner > 0 ? $"   ({m.FailedLookups} failed, {m.WrongOwner} wrong)" : ""));
                }
            }
        }

        // ------------------------------------------------------------------ load

        static void Load(int hosts, int keys)
        {
            Console.WriteLine($"## load balance (paper §6.2, Fig. 9): {hosts:N0} hosts, {keys:N0} keys placed at their successor; keys per host");
            Console.WriteLine("   r     mean    p1    p99    max   p99/mean   paper p99/mean");
            var paper = new Dictionary<int, string> { [1] = "4.6 (r = 1)", [2] = "", [5] = "", [10] = "", [20] = "1.6 (r = 20)" };
            foreach (int r in new[] { 1, 2, 5, 10, 20 })
            {
                using (var ring = Ring(hosts, virtualNodes: r))
                {
                    ring.AssignKeys(keys);
                    var load = ring.Measure().KeyLoad;
                    Console.WriteLine($"{r,4}  {load.Mean,7:0.0}  {load.P1,4}  {load.P99,5}  {load.Max,5}   {load.P99OverMean,8:0.00}   {paper[r]}");
                }
            }
            // The placement the oracle computes is what the nodes really hold: real stores on a smaller ring, R = 1.
            using (var ring = Ring(1000, maintenance: false))
            {
                int failed = ring.StoreKeys(20_000);
                var m = ring.Measure();
                long held = ring.Nodes.Sum(n => (long)n.StoredKeyCount);
                Console.WriteLine($"  check: 1,000 hosts, 20,000 keys really stored (R = 1): {failed} failed stores, {held:N0} held by the nodes, " +
                                  $"oracle load p99/mean {m.KeyLoad.P99OverMean:0.00}, {m.KeysLost} lost");
            }
        }

        // ------------------------------------------------------------------ failures

        static void Failures(int nodes, int keys)
        {
            Console.WriteLine($"## simultaneous failures (paper §6.4, Fig. 11): {nodes:N0} nodes, {keys:N0} keys stored, a fraction p fails at once;");
            Console.WriteLine("   keys lost right after (before re-replication), then 30 s of stabilization and 2,000 iterative lookups");
            Console.WriteLine("   p    R   keys lost   anchor p^R   failed lookups after   ring right   lookups' hops mean");
            foreach (int replicas in new[] { 1, 3 })
                foreach (double p in new[] { 0.1, 0.2, 0.3, 0.4, 0.5 })
                {
                    using (var ring = Ring(nodes, maintenance: true, replicas: replicas, seed: 11))
                    {
                        ring.StoreKeys(keys);
                        ring.ResetMeasurement();
                        ring.FailFraction(p);
                        var lost = ring.Measure();
                        ring.RunFor(TimeSpan.FromSeconds(30));
                        ring.ResetMeasurement();
                        ring.RunLookups(2_000, ChordLookupMode.Iterative, concurrency: 200);
                        var after = ring.Measure();
                        Console.WriteLine($"{p,4:0.0}  {replicas,3}   {lost.KeysLostFraction,9:P2}   {Math.Pow(p, replicas),10:P2}   {after.FailedFraction,20:P2}   {after.RingCorrectness,10:P1}   {after.Hops.Mean,6:0.00}");
                    }
                }
        }

        // ------------------------------------------------------------------ churn

        static void Churn(int nodes, int seconds)
        {
            Console.WriteLine($"## lookups during churn (paper §6.4, Fig. 12/Table 4): {nodes} nodes, joins and failures each at rate λ per second,");
            Console.WriteLine($"   1 lookup per second, stabilize/fix_fingers every 30 s, {seconds} s of virtual time; failed = no answer or not the live successor");
            Console.WriteLine("      λ   lookups   failed   wrong   failed fraction   joined   failed nodes   paper (fraction, λ = 0.05 … 0.40: 0.7% … 3.7%, iterative timeouts)");
            foreach (double rate in new[] { 0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40 })
            {
                using (var ring = Ring(nodes, maintenance: true, replicas: 3, seed: 21, configure: o =>
                {
                    o.StabilizeInterval = TimeSpan.FromSeconds(30);
                    o.FixFingersInterval = TimeSpan.FromSeconds(30);
                    o.CheckPredecessorInterval = TimeSpan.FromSeconds(30);
                }))
                {
                    ring.StartChurn(rate, rate, 1.0);
                    ring.RunFor(TimeSpan.FromSeconds(seconds));
                    ring.StopChurn();
                    var m = ring.Measure();
                    Console.WriteLine($"{rate,7:0.00}   {m.Lookups,7}   {m.FailedLookups,6}   {m.WrongOwner,5}   {m.FailedFraction,15:P2}   {m.NodesJoined,6}   {m.NodesFailed,12}");
                }
            }
        }

        // ------------------------------------------------------------------ modes

        static void Modes(int nodes)
        {
            Console.WriteLine($"## iterative against recursive: {nodes:N0} nodes pre-computed, 10 ms one-way latency, 5,000 lookups each (interleaved, same ring)");
            Console.WriteLine("   mode        hops mean   messages/lookup   latency mean ms   latency p99 ms   anchor (latency ≈ 2·hops·10 ms iterative, (hops+1)·10 + reply path recursive)");
            using (var ring = Ring(nodes))
            {
                var sums = new Dictionary<ChordLookupMode, List<ChordMeasurement>>();
                for (int round = 0; round < 3; round++)
                    foreach (var mode in new[] { ChordLookupMode.Iterative, ChordLookupMode.Recursive })
                    {
                        ring.ResetMeasurement();
                        ring.RunLookups(5_000 / 3, mode, concurrency: 100);
                        if (!sums.TryGetValue(mode, out var list)) sums[mode] = list = new List<ChordMeasurement>();
                        list.Add(ring.Measure());
                    }
                foreach (var kv in sums)
                {
                    var median = kv.Value.OrderBy(m => m.LatencyMs.Mean).ElementAt(kv.Value.Count / 2);
                    Console.WriteLine($"   {kv.Key,-10}  {median.Hops.Mean,9:0.00}   {median.MessagesPerLookup,15:0.00}   {median.LatencyMs.Mean,15:0.0}   {median.LatencyMs.P99,14:0.0}");
                }
            }
        }

        // ------------------------------------------------------------------ scale

        static void Scale(int nodes, int lookups)
        {
            Console.WriteLine($"## scale: a simulated ring of {nodes:N0} nodes, pre-computed, maintenance off; {lookups:N0} iterative lookups (1,000 in flight)");
            long before = ManagedHeap.Settled();
            var clock = Stopwatch.StartNew();
            var cpu = Cpu();
            string phase = null;
            var phaseClock = Stopwatch.StartNew();
            var phaseCpu = Cpu();
            Action<string, double> progress = (what, fraction) =>
            {
                string name = what.Split(' ')[0];
                if (name == phase) return;
                if (phase != null) Console.WriteLine($"    {phase,-10} {phaseClock.Elapsed.TotalSeconds,6:0.0} s wall, {(Cpu() - phaseCpu).TotalSeconds,6:0.0} s CPU");
                phase = name;
                phaseClock.Restart();
                phaseCpu = Cpu();
            };
            using (var ring = ChordNetwork.CreateSimulated(new ChordNetworkOptions { Count = nodes, Maintenance = false, Replicas = 1, Seed = 1 }, progress: progress))
            {
                progress("done", 1);
                var build = clock.Elapsed;
                var buildCpu = Cpu() - cpu;
                long heap = ManagedHeap.Settled() - before;
                long peak = Process.GetCurrentProcess().PeakWorkingSet64;
                Console.WriteLine($"  build      {build.TotalSeconds,6:0.0} s wall, {buildCpu.TotalSeconds:0.0} s CPU (anchor ≤ 60 s)");
                Console.WriteLine($"  memory     {heap / 1e9,6:0.00} GB managed heap after build, {heap / (double)nodes:N0} bytes per node; peak working set {peak / 1e9:0.00} GB (anchor ≤ 4 GB)");
                clock.Restart();
                cpu = Cpu();
                ring.RunLookups(lookups, ChordLookupMode.Iterative);
                var wall = clock.Elapsed;
                var lookupCpu = Cpu() - cpu;
                var m = ring.Measure();
                Console.WriteLine($"  lookups    {wall.TotalSeconds,6:0.0} s wall, {lookupCpu.TotalSeconds:0.0} s CPU (anchor ≤ 30 s): {lookups / lookupCpu.TotalSeconds:N0} lookups per CPU-second, {m.Datagrams:N0} datagrams, {ring.Simulation.Elapsed.TotalSeconds:0.0} s virtual in all");
                Console.WriteLine($"  hops       mean {m.Hops.Mean:0.00}, p1 {m.Hops.P1}, p50 {m.Hops.P50}, p99 {m.Hops.P99}; nodes traversed (hops + 1) mean {m.PathLength.Mean:0.00} against ½·log2 N = {HalfLog2(nodes):0.00}; {m.FailedLookups} failed, {m.WrongOwner} wrong");
                Console.WriteLine($"  peak working set after lookups {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:0.00} GB");
            }
        }

        // ------------------------------------------------------------------ joins

        static void Joins(int nodes)
        {
            Console.WriteLine($"## real joins: {nodes:N0} nodes join through random members, a quarter of the ring's size per 2 s round (JoinGrowth 0.25), maintenance every 2 s (RPC timeout 1 s)");
            var clock = Stopwatch.StartNew();
            using (var ring = Ring(nodes, maintenance: true, replicas: 1, build: ChordBuildMode.Joins, configure: o =>
            {
                o.StabilizeInterval = TimeSpan.FromSeconds(2);
                o.FixFingersInterval = TimeSpan.FromSeconds(2);
                o.CheckPredecessorInterval = TimeSpan.FromSeconds(4);
            }))
            {
                var m = ring.Measure();
                Console.WriteLine($"  joined in {ring.JoinRounds} rounds; converged {ring.Converged} after {ring.ConvergenceRounds} stabilization rounds past the last join " +
                                  $"(successors {m.RingCorrectness:P1} right, predecessors {m.PredecessorCorrectness:P1}); {ring.Simulation.Elapsed.TotalSeconds:N0} s virtual, {clock.Elapsed.TotalSeconds:0.0} s wall");
                ring.ResetMeasurement();
                ring.RunLookups(2_000, ChordLookupMode.Iterative, concurrency: 200);
                m = ring.Measure();
                Console.WriteLine($"  then 2,000 lookups: hops mean {m.Hops.Mean:0.00}, nodes traversed {m.PathLength.Mean:0.00} against ½·log2 N = {HalfLog2(nodes):0.00}, {m.FailedLookups} failed, {m.WrongOwner} wrong");
            }
        }

        // ------------------------------------------------------------------ live

        static async Task LiveAsync(int nodes)
        {
            Console.WriteLine($"## live: {nodes} nodes on loopback addresses (127.0.x.y, one UDP port each) in this process, pre-computed, maintenance every 1 s");
            var ring = await ChordNetwork.CreateLiveAsync(new ChordNetworkOptions
            {
                Count = nodes, Simulated = false, Replicas = 3, Seed = 1, FirstPort = 4100,
                StabilizeInterval = TimeSpan.FromSeconds(1), FixFingersInterval = TimeSpan.FromSeconds(1),
                CheckPredecessorInterval = TimeSpan.FromSeconds(1), RpcTimeout = TimeSpan.FromMilliseconds(500),
            });
            try
            {
                var clock = Stopwatch.StartNew();
                ring.RunLookups(5_000, ChordLookupMode.Iterative, concurrency: 64, limit: TimeSpan.FromMinutes(2));
                var m = ring.Measure();
                Console.WriteLine($"  lookups    {5_000 / clock.Elapsed.TotalSeconds:N0} lookups/s (64 in flight), hops mean {m.Hops.Mean:0.00} (½·log2 N = {HalfLog2(nodes):0.00}), latency mean {m.LatencyMs.Mean:0.00} ms p99 {m.LatencyMs.P99:0.00} ms, {m.FailedLookups} failed, {m.WrongOwner} wrong");
                ring.FailFraction(0.5);
                var stabilizing = Stopwatch.StartNew();
                while (!ring.RingIsConverged() && stabilizing.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(500);
                Console.WriteLine($"  half killed: ring {(ring.RingIsConverged() ? "converged" : "NOT converged")} after {stabilizing.Elapsed.TotalSeconds:0.0} s wall");
                ring.ResetMeasurement();
                clock.Restart();
                ring.RunLookups(2_000, ChordLookupMode.Iterative, concurrency: 64, limit: TimeSpan.FromMinutes(2));
                m = ring.Measure();
                Console.WriteLine($"  after      {2_000 / clock.Elapsed.TotalSeconds:N0} lookups/s, {m.Lookups} lookups: {m.FailedLookups} failed, {m.WrongOwner} wrong, hops mean {m.Hops.Mean:0.00}, retries {m.Retries}");
            }
            finally
            {
                ring.Dispose();
            }
        }
    }
}
