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
    /// Gnutella at scale. Simulated: networks of 10,000 and 100,000 servents (build time, simulator events per second,
    /// memory per node, cost of a TTL-4 query). Live: 200 servents on loopback in this process (query round trip to
    /// the first hit, messages per second during a burst of queries).
    /// `dotnet run -c Release --project tests/PSPeer.Benchmarks -- gnutella [--nodes 10000,100000] [--degree 4]
    /// [--ultrapeers 0.3] [--queries 20] [--live 200]` (--live 0 skips the live part).
    /// </summary>
    static class GnutellaBenchmark
    {
        const string Query = "Hey Jude";
        const int Ttl = 4;

        static int QrpBits;

        public static async Task<int> RunAsync(string[] args)
        {
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

        static void RunSimulated(int count, int degree, double ultrapeers, int queries)
        {
            Console.WriteLine($"# gnutella simulated: {count:N0} nodes, Random topology, degree {degree}, {ultrapeers:P0} ultrapeers, {queries} queries for '{Query}' with TTL {Ttl}");
            long before = Memory();
            long exceptions = 0;
            EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs> onException = (s, e) => System.Threading.Interlocked.Increment(ref exceptions);
            AppDomain.CurrentDomain.FirstChanceException += onException;
            int gen2 = GC.CollectionCount(2);
            var paused = GC.GetTotalPauseDuration();
            var clock = Stopwatch.StartNew();
            using (var net = GnutellaNetwork.CreateSimulated(new GnutellaNetworkOptions
            {
                Count = count, Degree = degree, UltrapeerFraction = ultrapeers, Seed = 1, TraceQueries = false,
                ConfigureServent = o => { if (QrpBits > 0) o.QrpTableBits = QrpBits; },
            }))
            {
                var build = clock.Elapsed;
                AppDomain.CurrentDomain.FirstChanceException -= onException;
                Console.WriteLine($"exceptions {exceptions:N0} thrown while building; GC: {GC.CollectionCount(2) - gen2} gen-2 collections, " +
                                  $"{(GC.GetTotalPauseDuration() - paused).TotalSeconds:0.00} s paused");
                long buildEvents = net.Simulation.ExecutedWorkItems;
                long perNode = (Memory() - before) / count;
                Console.WriteLine($"build      {build.TotalSeconds,8:0.00} s wall, {net.Elapsed.TotalSeconds:0.00} s virtual, {net.Links.Count:N0} links ({net.FailedLinks} failed), " +
                                  $"{buildEvents:N0} simulator events = {buildEvents / build.TotalSeconds:N0} events/s");
                Console.WriteLine($"memory     {perNode:N0} bytes per node (managed heap after build, links included)");

                var random = new Random(7);
                int hits = 0;
                long events0 = net.Simulation.ExecutedWorkItems;
                clock.Restart();
                for (int q = 0; q < queries; q++)
                    hits += net.Search(net.Ultrapeers[random.Next(net.Ultrapeers.Count)], Query, ttl: Ttl, timeout: TimeSpan.FromSeconds(3)).Count;
                var spent = clock.Elapsed;
                long events = net.Simulation.ExecutedWorkItems - events0;
                var m = net.Measure();
                Console.WriteLine($"queries    {spent.TotalMilliseconds / queries,8:0.0} ms wall per query, {events / spent.TotalSeconds:N0} simulator events/s, " +
                                  $"{(double)hits / queries:0.0} hits, {(double)m.QueryMessages / queries:N0} query messages, {(double)m.Duplicates / queries:N0} duplicates, " +
                                  $"{(double)m.MessagesSent / queries:N0} messages of all types per query");
            }
            Console.WriteLine();
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
