using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Networks;
using PSPeer.Engine.Runtime.Admission;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Live Gnutella at scale: N servents in this process, each on its own loopback address (127.0.x.y), and a sustained
    /// load of floods for a number of seconds: messages received per second by all servents together, sampled each
    /// second, printed beside the aim.
    /// `dotnet run -c Release --project tests/PSPeer.Benchmarks -- gnutella-live [--nodes 1000] [--degree 4]
    /// [--seconds 10] [--rate 40] [--ttl 7] [--allowance 200]`
    /// </summary>
    /// <remarks>
    /// Open loop: <c>--rate</c> searches a second start from servents taken in turn, whatever the network's progress, so
    /// a network that cannot keep up shows it (its rate falls behind, its queues drop). A full flood (TTL 7 reaches
    /// every node of 1,000 at degree 4) crosses every link about once each way, so 40 floods a second put about 30
    /// queries a second on each link: above the default allowance of 20 a link (a hostile-world protection), which the
    /// benchmark raises to <c>--allowance</c> (the limiter still runs and its drops are printed).
    /// </remarks>
    static class GnutellaLiveBenchmark
    {
        const string Query = "Hey Jude";
        const double MessagesAim = 100_000;

        public static async Task<int> RunAsync(string[] args)
        {
            int count = Program.Option(args, "--nodes", 1000);
            int degree = Program.Option(args, "--degree", 4);
            int seconds = Math.Max(10, Program.Option(args, "--seconds", 10));
            int rate = Program.Option(args, "--rate", 40);
            int ttl = Program.Option(args, "--ttl", 7);
            int allowance = Program.Option(args, "--allowance", 200);
            Console.WriteLine($"# gnutella live: {count:N0} servents in one process, each on its own 127.0.x.y, Random topology, degree {degree}, all ultrapeers;");
            Console.WriteLine($"#   {rate} floods/s for '{Query}' with TTL {ttl} for {seconds} s; per-link query allowance {allowance}/s (default 20)");
            Console.WriteLine($"#   machine: {Uptime()}");
            var budget = DescriptorBudget.Process;
            string root = Path.Combine(Path.GetTempPath(), "pspeer-bench-gnutella-live-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            var clock = Stopwatch.StartNew();
            var net = await GnutellaNetwork.CreateLiveAsync(new GnutellaNetworkOptions
            {
                Count = count, Degree = degree, Seed = 1, Simulated = false, LiveSharedRoot = root, TraceQueries = false,
                ConfigureServent = o => o.QueriesPerSecondPerLink = allowance,
            });
            try
            {
                Console.WriteLine($"build      {clock.Elapsed.TotalSeconds,8:0.00} s, {net.Links.Count:N0} links ({net.FailedLinks} failed); " +
                                  $"descriptors: {budget.InUse:N0} held by connections of a budget of {budget.Capacity:N0} (process limit {budget.ProcessLimit:N0}); " +
                                  $"a network of N nodes and L links needs N + 2L = {GnutellaNetwork.LiveDescriptorsNeeded(count, net.Links.Count):N0}");
                await SustainAsync(net, count, seconds, rate, ttl);
            }
            finally
            {
                await net.StopAsync();
                try { Directory.Delete(root, recursive: true); } catch (IOException) { }
            }
            return 0;
        }

        static async Task SustainAsync(GnutellaNetwork net, int count, int seconds, int rate, int ttl)
        {
            var samples = new List<double>();
            var options = new SearchOptions { Ttl = ttl, Timeout = TimeSpan.FromSeconds(2), MaxResults = 100_000 };
            var searches = new List<Task>();
            long started = 0;
            long Received() { long n = 0; foreach (var s in net.Nodes) n += s.Counters.MessagesReceived; return n; }
            long Dropped() { long n = 0; foreach (var s in net.Nodes) n += s.Counters.MessagesDroppedQueueFull; return n; }
            long Limited() { long n = 0; foreach (var s in net.Nodes) n += s.Counters.QueriesRateLimited; return n; }
            long Sent() { long n = 0; foreach (var s in net.Nodes) n += s.Counters.MessagesSent; return n; }
            long Writes() { long n = 0; foreach (var s in net.Nodes) n += s.Counters.LinkWrites; return n; }
            long received0 = Received(), dropped0 = Dropped(), limited0 = Limited(), sent0 = Sent(), writes0 = Writes();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
            var pauses0 = GC.GetTotalPauseDuration();
            var clock = Stopwatch.StartNew();
            long lastCount = received0;
            var lastTime = TimeSpan.Zero;
            int nextSample = 1;
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                // Start the searches that are due by now (catching up if the loop was late).
                long due = (long)(clock.Elapsed.TotalSeconds * rate);
                while (started < due)
                {
                    var via = net.Nodes[(int)((started * 7919) % count)];
                    searches.Add(net.SearchAsync(via, Query, options, null));
                    started++;
                }
                if (clock.Elapsed >= TimeSpan.FromSeconds(nextSample))
                {
                    long now = Received();
                    var t = clock.Elapsed;
                    samples.Add((now - lastCount) / (t - lastTime).TotalSeconds);
                    lastCount = now;
                    lastTime = t;
                    nextSample++;
                }
                await Task.Delay(5);
            }
            var elapsed = clock.Elapsed;
            long received = Received() - received0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
            var pauses = GC.GetTotalPauseDuration() - pauses0;
            Console.WriteLine($"per second {string.Join(", ", samples.Select(s => (s / 1000).ToString("0") + "k"))} messages received");
            var sorted = samples.OrderBy(s => s).ToList();
            double median = sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
            double mean = received / elapsed.TotalSeconds;
            Console.WriteLine($"sustained  {received:N0} messages received by the servents in {elapsed.TotalSeconds:0.0} s = {mean:N0} messages/s " +
                              $"(median second {median:N0}; aim >= {MessagesAim:N0}: {mean / MessagesAim:0.00}x)");
            Console.WriteLine($"load       {started:N0} floods started; {Dropped() - dropped0:N0} descriptors dropped by full send queues, " +
                              $"{Limited() - limited0:N0} queries dropped by the per-link allowance; " +
                              $"{(double)(Sent() - sent0) / Math.Max(1, Writes() - writes0):0.0} descriptors per write to a link");
            Console.WriteLine($"process    {cpu.TotalSeconds / elapsed.TotalSeconds:0.00} cores busy of {Environment.ProcessorCount}; " +
                              $"GC: {GC.CollectionCount(0) - gen0} gen-0, {GC.CollectionCount(2) - gen2} gen-2 collections, {pauses.TotalMilliseconds / elapsed.TotalMilliseconds:P1} of the time paused; " +
                              $"{cpu.TotalMilliseconds * 1000 / Math.Max(1, received):0.0} µs of CPU per message received");
            Console.WriteLine($"#   machine after: {Uptime()}");
            await Task.WhenAll(searches);
        }

        static string Uptime()
        {
            try { return "load average " + File.ReadAllText("/proc/loadavg").Trim(); }
            catch (IOException) { return "load unknown"; }
        }
    }
}
