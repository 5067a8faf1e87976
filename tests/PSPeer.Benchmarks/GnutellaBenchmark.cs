using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Networks;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Gnutella at scale. Simulated: networks of 10,000 to 1,000,000 servents (build time, simulator events per second,
    /// memory per node, GC pause share, cost of a TTL-4 query, per-query hits and messages with their spread), each
    /// figure beside its aim from issue 13. Live: 200 servents on loopback in this process (query round trip to
    /// the first hit, messages per second during a burst of queries).
    /// `dotnet run -c Release --project tests/PSPeer.Benchmarks -- gnutella [--nodes 10000,100000] [--degree 4]
    /// [--ultrapeers 0.3] [--queries 20] [--live 200] [--hold SECONDS] [--gen0-mib N] [--server-gc] [--alloc-top N] [--gc-log]` (--live 0 skips the live part; --hold pauses after
    /// each build so that `dotnet-gcdump collect -p PID` can take the heap; --gen0-mib and --server-gc run the benchmark again
    /// with that gen-0 GC budget, with the server GC; --alloc-top prints the types most bytes were allocated for while building; --gc-log prints one line per collection while building: generation,
    /// reason, time and bytes marked from each kind of root, bytes promoted, generation sizes and pause).
    /// </summary>
    static class GnutellaBenchmark
    {
        const string Query = "Hey Jude";
        const int Ttl = 4;

        static int QrpBits;

        public static async Task<int> RunAsync(string[] args)
        {
            // A network build makes mostly long-lived objects, the case a small gen-0 budget handles worst: every young
            // collection copies survivors, and survivors of a build are most of what it allocates. The workstation GC
            // caps its gen-0 budget (~110 MiB here whatever is asked); the server GC (--server-gc: one heap and one GC
            // thread per core) takes a large one (--gen0-mib) and marks on both cores. Both are read once at start-up
            // from the environment, so the benchmark runs itself again with them when asked.
            var wanted = new List<(string, string)>();
            int gen0Mib = Program.Option(args, "--gen0-mib", 0);
            if (gen0Mib > 0) wanted.Add(("DOTNET_GCgen0size", "0x" + ((long)gen0Mib << 20).ToString("X")));
            if (Array.IndexOf(args, "--server-gc") >= 0) wanted.Add(("DOTNET_gcServer", "1"));
            if (wanted.Any(w => Environment.GetEnvironmentVariable(w.Item1) != w.Item2))
                return RunAgainWith(wanted);
            QrpBits = Program.Option(args, "--qrp-bits", 0);
            int degree = Program.Option(args, "--degree", 4);
            int queries = Program.Option(args, "--queries", 20);
            int live = Program.Option(args, "--live", 200);
            double ultrapeers = Fraction(args, "--ultrapeers", 0.3);
            foreach (int n in Sizes(args))
                RunSimulated(n, degree, ultrapeers, queries);
            if (live > 0) await RunLiveAsync(live, degree, queries);
            return 0;
        }

        static int RunAgainWith(List<(string variable, string value)> settings)
        {
            string path = Environment.ProcessPath;
            var start = new ProcessStartInfo(path) { UseShellExecute = false };
            // Under `dotnet PSPeer.Benchmarks.dll` the process is dotnet itself: hand it the assembly again.
            if (Path.GetFileNameWithoutExtension(path) == "dotnet") start.ArgumentList.Add(typeof(GnutellaBenchmark).Assembly.Location);
            foreach (string a in Environment.GetCommandLineArgs().Skip(1)) start.ArgumentList.Add(a);
            foreach (var (variable, value) in settings) start.Environment[variable] = value;
            Console.WriteLine("# running again with " + string.Join(" ", settings.Select(s => s.variable + "=" + s.value)));
            using (var child = Process.Start(start))
            {
                child.WaitForExit();
                return child.ExitCode;
            }
        }

        // The simulator's aims (issue 13), printed beside each figure.
        const double AimEventsPerSecond = 1_000_000;
        const double AimBuildSecondsAtMillion = 300;
        const long AimBytesPerNode = 12 * 1024;
        const double AimGcPauseShare = 0.10;
        const long AimProcessBytes = 6L << 30;

        static void RunSimulated(int count, int degree, double ultrapeers, int queries)
        {
            Console.WriteLine($"# gnutella simulated: {count:N0} nodes, Random topology, degree {degree}, {ultrapeers:P0} ultrapeers, {queries} queries for '{Query}' with TTL {Ttl}");
            Console.WriteLine($"#   GC: server {System.Runtime.GCSettings.IsServerGC}, latency mode {System.Runtime.GCSettings.LatencyMode}, " +
                              $"gen0 budget {Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "default"}");
            long before = Memory();
            long exceptions = 0;
            EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs> onException = (s, e) => System.Threading.Interlocked.Increment(ref exceptions);
            AppDomain.CurrentDomain.FirstChanceException += onException;
            var sampler = Program.Option(Environment.GetCommandLineArgs(), "--alloc-top", 0) > 0 ? new AllocationSampler() : null;
            var gcLog = Array.IndexOf(Environment.GetCommandLineArgs(), "--gc-log") >= 0 ? new GcLog() : null;
            var gc = GcWindow.Start();
            var clock = Stopwatch.StartNew();
            using (var net = GnutellaNetwork.CreateSimulated(new GnutellaNetworkOptions
            {
                Count = count, Degree = degree, UltrapeerFraction = ultrapeers, Seed = 1, TraceQueries = false,
                // Only when asked: a network without it finds each kind of node's options without making them per node.
                ConfigureServent = QrpBits > 0 ? o => o.QrpTableBits = QrpBits : (Action<PSPeer.Engine.Gnutella.GnutellaOptions>)null,
            }))
            {
                var build = clock.Elapsed;
                var buildGc = gc.Stop(build);
                AppDomain.CurrentDomain.FirstChanceException -= onException;
                long buildEvents = net.Simulation.ExecutedWorkItems;
                double buildRate = buildEvents / build.TotalSeconds;
                // The build aim is for a million nodes: smaller networks are held to their share of it (it grows ~linearly).
                double buildAim = AimBuildSecondsAtMillion * count / 1_000_000.0;
                Console.WriteLine($"build      {build.TotalSeconds,8:0.00} s wall (aim <= {buildAim:0.#} s, {AimBuildSecondsAtMillion:0} s per 10^6 nodes: {Ratio(buildAim, build.TotalSeconds)}), " +
                                  $"{net.Elapsed.TotalSeconds:0.00} s virtual, {net.Links.Count:N0} links ({net.FailedLinks} failed)");
                Console.WriteLine($"events     {buildEvents:N0} simulator events while building = {buildRate:N0} events/s (aim >= {AimEventsPerSecond:N0}: {Ratio(buildRate, AimEventsPerSecond)}), " +
                                  $"{(double)buildGc.Allocated / Math.Max(1, buildEvents):N0} bytes allocated per event; " +
                                  $"CPU {buildGc.Cpu.TotalSeconds:0.00} s = {buildEvents / Math.Max(1e-9, buildGc.Cpu.TotalSeconds):N0} events per CPU-second");
                if (sampler != null) Console.WriteLine("allocated while building, by type (sampled):" + Environment.NewLine + sampler.Report(Program.Option(Environment.GetCommandLineArgs(), "--alloc-top", 0)));
                if (gcLog != null) Console.Write("collections while building:" + Environment.NewLine + gcLog.Report());
                Console.WriteLine($"gc build   {buildGc} (aim < {AimGcPauseShare:P0}: {Ratio(AimGcPauseShare, buildGc.PauseShare)}); {exceptions:N0} exceptions thrown");
                long heap = Memory();
                long perNode = (heap - before) / count;
                long peak = Process.GetCurrentProcess().PeakWorkingSet64;
                Console.WriteLine($"memory     {perNode,8:N0} bytes per node (aim <= {AimBytesPerNode:N0}: {Ratio(AimBytesPerNode, perNode)}; managed heap after build, links included), " +
                                  $"heap {heap / 1048576.0:N0} MiB, peak working set {peak / 1048576.0:N0} MiB (aim < {AimProcessBytes >> 20:N0} MiB)");
                int hold = Program.Option(Environment.GetCommandLineArgs(), "--hold", 0);
                if (hold > 0) { Console.WriteLine($"holding {hold} s for a heap dump (dotnet-gcdump collect -p {Environment.ProcessId})"); System.Threading.Thread.Sleep(hold * 1000); }

                // Queries one at a time from random ultrapeers (the same ones for a seed): per-query hits and messages give
                // the means and spreads that a change must leave statistically the same.
                var random = new Random(7);
                var hits = new List<double>();
                var queryMessages = new List<double>();
                var allMessages = new List<double>();
                long events0 = net.Simulation.ExecutedWorkItems;
                var spent = TimeSpan.Zero;
                var cpuSpent = TimeSpan.Zero;
                var loop = Stopwatch.StartNew();
                gc = GcWindow.Start();
                // The servents' counters summed directly: Measure() also runs BFS from the origins, far too slow per query
                // in a million-node network.
                var previous = Counted(net);
                for (int q = 0; q < queries; q++)
                {
                    int origin = net.Ultrapeers[random.Next(net.Ultrapeers.Count)];
                    var cpu0 = GcWindow.ProcessCpu();
                    clock.Restart();
                    hits.Add(net.Search(origin, Query, ttl: Ttl, timeout: TimeSpan.FromSeconds(3)).Count);
                    spent += clock.Elapsed;
                    cpuSpent += GcWindow.ProcessCpu() - cpu0;
                    var now = Counted(net);
                    queryMessages.Add(now.queries - previous.queries);
                    allMessages.Add(now.messages - previous.messages);
                    previous = now;
                }
                // The GC share is over the whole loop (searches and the measurements between them), as is the pause time.
                var queryGc = gc.Stop(loop.Elapsed);
                long events = net.Simulation.ExecutedWorkItems - events0;
                double queryRate = events / spent.TotalSeconds;
                Console.WriteLine($"queries    {spent.TotalMilliseconds / queries,8:0.0} ms wall per query, {events / Math.Max(1, queries):N0} events per query = {queryRate:N0} events/s " +
                                  $"(aim >= {AimEventsPerSecond:N0}: {Ratio(queryRate, AimEventsPerSecond)}), {(double)queryGc.Allocated / Math.Max(1, events):N0} bytes allocated per event; " +
                                  $"CPU {cpuSpent.TotalMilliseconds / Math.Max(1, queries):0.0} ms per query = {events / Math.Max(1e-9, cpuSpent.TotalSeconds):N0} events per CPU-second");
                Console.WriteLine($"gc queries {queryGc} (aim < {AimGcPauseShare:P0}: {Ratio(AimGcPauseShare, queryGc.PauseShare)})");
                Console.WriteLine($"per query  hits {Spread(hits)}; query messages {Spread(queryMessages)}; messages of all types {Spread(allMessages)}");
            }
            Console.WriteLine();
        }

        /// <summary>Query copies received and messages of all types sent, network-wide, so far.</summary>
        static (long queries, long messages) Counted(GnutellaNetwork net)
        {
            long queries = 0, messages = 0;
            foreach (var node in net.Nodes)
            {
                queries += node.Counters.QueriesReceived;
                messages += node.Counters.MessagesSent;
            }
            return (queries, messages);
        }

        /// <summary>"mean ± sd (95 % CI ± half-width)": what before/after comparisons of a change look at.</summary>
        static string Spread(List<double> values)
        {
            if (values.Count == 0) return "n/a";
            double mean = values.Average();
            double sd = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
            return $"{mean:0.0} ± {sd:0.0} (95 % CI ± {1.96 * sd / Math.Sqrt(values.Count):0.0})";
        }

        /// <summary>How the figure stands against its aim: "met (1.3x)" or "missed (0.4x)", the ratio always "better is higher".</summary>
        static string Ratio(double good, double measured) =>
            measured <= 0 ? "met" : (good / measured >= 1 ? "met" : "missed") + $", {good / measured:0.00}x";

        /// <summary>Collections, pause time and allocation over one phase, as a share of its wall time.</summary>
        readonly struct GcWindow
        {
            readonly TimeSpan _paused, _cpu;
            readonly int _gen0, _gen1, _gen2;
            readonly long _allocated;

            GcWindow(TimeSpan paused, TimeSpan cpu, int gen0, int gen1, int gen2, long allocated)
            {
                _paused = paused; _cpu = cpu; _gen0 = gen0; _gen1 = gen1; _gen2 = gen2; _allocated = allocated;
            }

            public static GcWindow Start() => new GcWindow(GC.GetTotalPauseDuration(), ProcessCpu(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());

            public GcResult Stop(TimeSpan wall) => new GcResult(GC.GetTotalPauseDuration() - _paused, wall, ProcessCpu() - _cpu,
                GC.CollectionCount(0) - _gen0, GC.CollectionCount(1) - _gen1, GC.CollectionCount(2) - _gen2, GC.GetTotalAllocatedBytes() - _allocated);

            // The simulation runs on one thread and the workstation GC on the thread that allocates, so the process's CPU
            // time is the phase's work: a figure that, unlike wall time, barely moves when other work shares the cores.
            internal static TimeSpan ProcessCpu() { using (var self = Process.GetCurrentProcess()) return self.TotalProcessorTime; }
        }

        readonly struct GcResult
        {
            public GcResult(TimeSpan paused, TimeSpan wall, TimeSpan cpu, int gen0, int gen1, int gen2, long allocated)
            {
                Paused = paused; Wall = wall; Cpu = cpu; Gen0 = gen0; Gen1 = gen1; Gen2 = gen2; Allocated = allocated;
            }

            public TimeSpan Paused { get; }
            public TimeSpan Wall { get; }
            public TimeSpan Cpu { get; }
            public int Gen0 { get; }
            public int Gen1 { get; }
            public int Gen2 { get; }
            public long Allocated { get; }
            public double PauseShare => Wall.TotalSeconds <= 0 ? 0 : Paused.TotalSeconds / Wall.TotalSeconds;

            // Collections are counted per generation reached (a gen-2 collection also counts in gen 0 and 1).
            public override string ToString() =>
                $"{Paused.TotalSeconds:0.00} s paused = {PauseShare:P1} of {Wall.TotalSeconds:0.00} s wall; collections gen0 {Gen0}, gen1 {Gen1}, gen2 {Gen2}; " +
                $"{Allocated / 1048576.0:N0} MiB allocated";
        }

        static async Task RunLiveAsync(int count, int degree, int queries)
        {
            count = Math.Min(count, GnutellaNetworkOptions.MaxLiveCount);
            Console.WriteLine($"# gnutella live: {count} servents on loopback in one process, degree {degree}, {queries} queries for '{Query}' with TTL {Ttl}");
            string root = Path.Combine(Path.GetTempPath(), "pspeer-bench-gnutella-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            var clock = Stopwatch.StartNew();
            var net = await GnutellaNetwork.CreateLiveAsync(new GnutellaNetworkOptions
            {
                Count = count, Degree = degree, Seed = 1, Simulated = false, LiveSharedRoot = root, TraceQueries = false,
            });
            try
            {
                Console.WriteLine($"build      {clock.Elapsed.TotalSeconds,8:0.00} s, {net.Links.Count:N0} links ({net.FailedLinks} failed)");
                var random = new Random(7);
                var firstHit = new List<double>();
                var options = new SearchOptions { Ttl = Ttl, Timeout = TimeSpan.FromSeconds(2), MaxResults = 1000 };
                for (int q = 0; q < queries; q++)
                {
                    var sw = Stopwatch.StartNew();
                    double first = -1;
                    await net.SearchAsync(net.Nodes[random.Next(count)], Query, options, _ => { lock (firstHit) if (first < 0) first = sw.Elapsed.TotalMilliseconds; });
                    if (first >= 0) firstHit.Add(first);
                }
                firstHit.Sort();
                if (firstHit.Count > 0)
                    Console.WriteLine($"round trip {firstHit[firstHit.Count / 2],8:0.0} ms median to the first hit (p90 {firstHit[(int)(firstHit.Count * 0.9)]:0.0} ms), " +
                                      $"{firstHit.Count}/{queries} queries answered");

                // A burst: every query at once from different servents. The messages/s figure is the traffic divided by
                // the time until the network went quiet (no message for 200 ms), not by the searches' timeouts.
                net.ResetMeasurement();
                clock.Restart();
                var burst = Task.WhenAll(Enumerable.Range(0, queries).Select(q =>
                    net.SearchAsync(net.Nodes[(q * 7919) % count], Query, new SearchOptions { Ttl = Ttl, Timeout = TimeSpan.FromSeconds(2) }, null)));
                long last = -1;
                var lastChange = TimeSpan.Zero;
                while (clock.Elapsed - lastChange < TimeSpan.FromMilliseconds(200) || last <= 0)
                {
                    await Task.Delay(10);
                    long now = net.Measure().MessagesSent;
                    if (now != last) { last = now; lastChange = clock.Elapsed; }
                    if (clock.Elapsed > TimeSpan.FromSeconds(30)) break;
                }
                var m = net.Measure();
                Console.WriteLine($"burst      {m.MessagesSent:N0} messages in {lastChange.TotalSeconds:0.000} s = {m.MessagesSent / Math.Max(0.001, lastChange.TotalSeconds):N0} messages/s " +
                                  $"({m.QueryMessages:N0} query messages, {m.HitsRoutedBack:N0} hits routed back)");
                await burst;
            }
            finally
            {
                await net.StopAsync();
                try { Directory.Delete(root, recursive: true); } catch (IOException) { }
            }
            Console.WriteLine();
        }

        static long Memory()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return GC.GetTotalMemory(true);
        }

        static IEnumerable<int> Sizes(string[] args)
        {
            int i = Array.IndexOf(args, "--nodes");
            string text = i >= 0 && i + 1 < args.Length ? args[i + 1] : "10000,100000";
            return text.Split(',').Select(int.Parse);
        }

        static double Fraction(string[] args, string name, double fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && double.TryParse(args[i + 1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : fallback;
        }
    }
}
