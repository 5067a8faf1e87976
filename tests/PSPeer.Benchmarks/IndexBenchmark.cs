using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Napster;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// The Napster index at scale: 1,000,000 files from 10,000 peers. Prints bytes of index per file, searches per
    /// second in-process, and searches per second over loopback TCP from 32 concurrent clients against a real
    /// NapsterIndexServer whose index was filled over the wire by 10,000 logged-in peers (in a child process,
    /// since 10,000 connections at both ends would pass one process's file-descriptor limit).
    /// </summary>
    static class IndexBenchmark
    {
        const int Clients = 32;

        static string[] Args = new string[0];

        public static async Task RunAsync(string[] args)
        {
            Args = args;
            int files = Program.Option(args, "--files", 1_000_000);
            int peers = Program.Option(args, "--peers", 10_000);
            int seconds = Program.Option(args, "--seconds", 5);
            int perPeer = Math.Max(1, files / peers);
            int at = Array.IndexOf(args, "--words");
            string models = at >= 0 && at + 1 < args.Length ? args[at + 1] : "uniform,zipf";
            foreach (string model in models.Split(','))
            {
                SyntheticLibrary.Configure(model);
                await RunModelAsync(peers, perPeer, seconds);
            }
        }

        static async Task RunModelAsync(int peers, int perPeer, int seconds)
        {
            int files = peers * perPeer;
            Console.WriteLine($"#   machine: {Load()}");
            Console.WriteLine($"# index: {files:N0} files from {peers:N0} peers ({perPeer} each); names from {SyntheticLibrary.Model}; two-keyword queries from existing names, max 100 results");

            MeasureInProcess(peers, perPeer, seconds);
            await MeasureOverTcpAsync(peers, perPeer, seconds);
        }

        static void MeasureInProcess(int peers, int perPeer, int seconds)
        {
            long before = GC.GetTotalMemory(true);
            var index = new KeywordIndex();
            var sw = Stopwatch.StartNew();
            for (int p = 0; p < peers; p++)
                for (int i = 0; i < perPeer; i++)
                    index.Add(p, SyntheticLibrary.Name(p, i), SyntheticLibrary.Hash(p, i), SyntheticLibrary.Size(p, i), i);
            sw.Stop();
            long after = GC.GetTotalMemory(true);
            int files = index.Count;
            Console.WriteLine($"index build in-process: {sw.Elapsed.TotalSeconds:F1} s ({files / sw.Elapsed.TotalSeconds:N0} files/s), {index.KeywordCount:N0} keywords");
            Console.WriteLine($"index memory: {(after - before) / (double)files:F0} bytes per file (GC heap growth; aim <= 300)");

            var rng = new Random(3);
            var queries = new string[4096];
            for (int i = 0; i < queries.Length; i++) queries[i] = SyntheticLibrary.Query(rng, peers, perPeer);
            foreach (int threads in new[] { 1, Environment.ProcessorCount })
            {
                long searches = 0, hits = 0;
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var until = Stopwatch.StartNew();
                var workers = new Thread[threads];
                for (int t = 0; t < threads; t++)
                {
                    int offset = t * 997;
                    workers[t] = new Thread(() =>
                    {
                        var results = new List<IndexedFile>(100);
                        long n = 0, h = 0;
                        while (until.Elapsed.TotalSeconds < seconds)
                        {
                            results.Clear();
                            h += index.Search(queries[(int)((n + offset) % queries.Length)], 100, results);
                            n++;
                        }
                        Interlocked.Add(ref searches, n);
                        Interlocked.Add(ref hits, h);
                    });
                    workers[t].Start();
                }
                foreach (var w in workers) w.Join();
                double elapsed = until.Elapsed.TotalSeconds;
                double cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds * 1000 / Math.Max(1, searches);
                Console.WriteLine($"in-process search, {threads} thread(s): {searches / elapsed:N0} searches/s ({hits / (double)searches:F1} hits per search; {cpuUs:0.0} µs of CPU per search)");
            }
            GC.KeepAlive(index);
        }

        static async Task MeasureOverTcpAsync(int peers, int perPeer, int seconds)
        {
            // Every loader peer and search client connects from 127.0.0.1: the index must be told to take them all
            // (loopback is not exempt from the per-address limit), with room for the 32 search clients.
            int most = peers + 64;
            var server = new NapsterIndexServer(LiveRuntime.Loopback, "bench-index", 0)
            {
                Limits = new ConnectionLimits { MaxConnections = most, MaxConnectionsPerAddress = most },
            };
            await server.StartAsync();
            Process loader = null;
            try
            {
                var sw = Stopwatch.StartNew();
                loader = IndexLoader.Start(server.EndPoint, peers, perPeer, SyntheticLibrary.Model.StartsWith("Zipf") ? "zipf" : "uniform");
                long expected = (long)peers * perPeer;
                while (server.IndexedFileCount < expected)
                {
                    if (loader.HasExited) throw new InvalidOperationException("the loader process ended early: " + loader.StandardError.ReadToEnd());
                    if (sw.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"the index holds {server.IndexedFileCount} of {expected} files after 10 minutes");
                    await Task.Delay(100);
                }
                sw.Stop();
                Console.WriteLine($"index filled over TCP by {server.LoggedInPeerCount:N0} logged-in peers: {server.IndexedFileCount:N0} files in {sw.Elapsed.TotalSeconds:F1} s");

                // In this process, as before: clients and server share the two cores through one thread pool.
                foreach (int depth in new[] { 1, 4 })
                {
                    var (searches, hits, elapsed) = await IndexSearchClients.RunAsync(HostPort.Parse(server.EndPoint), peers, perPeer, Clients, depth, seconds);
                    Console.WriteLine($"TCP search, {Clients} clients in this process, {depth} in flight each: {searches / elapsed:N0} searches/s ({hits / (double)Math.Max(1, searches):F1} hits per search; aim >= 50,000: {searches / elapsed / 50_000:0.00}x)");
                }
                // In a child process, so each side's CPU time is its own: the server's CPU per search is what its
                // throughput on the two cores would be if it had them alone. --pin puts the server on CPU 0 and the
                // clients on CPU 1 (on a machine others share, pinning only measures what those cores have left).
                bool pin = Array.IndexOf(Args, "--pin") >= 0 && Environment.ProcessorCount >= 2;
                var self = Process.GetCurrentProcess();
                var affinity = pin ? self.ProcessorAffinity : IntPtr.Zero;
                if (pin) self.ProcessorAffinity = (IntPtr)1;
                try
                {
                    foreach (int depth in new[] { 4, 16 })
                    {
                        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                        var (searches, hits, elapsed, clientCpu) = await IndexSearchClients.RunInChildAsync(server.EndPoint, peers, perPeer,
                            SyntheticLibrary.Model.StartsWith("Zipf") ? "zipf" : "uniform", Clients, depth, seconds, pin ? 1 : (int?)null);
                        double serverCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
                        double rate = searches / elapsed, serverUs = serverCpu * 1e6 / Math.Max(1, searches), clientUs = clientCpu * 1e6 / Math.Max(1, searches);
                        Console.WriteLine($"TCP search, {Clients} clients in a child process{(pin ? " on CPU 1, server on CPU 0" : "")}, {depth} in flight each: {rate:N0} searches/s " +
                                          $"({hits / (double)Math.Max(1, searches):F1} hits per search; aim >= 50,000: {rate / 50_000:0.00}x); CPU per search: server {serverUs:0.0} µs, clients {clientUs:0.0} µs; " +
                                          $"the server alone on 2 cores would serve {2e6 / serverUs:N0}/s");
                    }
                }
                finally { if (pin) self.ProcessorAffinity = affinity; }
            }
            finally
            {
                if (loader != null && !loader.HasExited)
                {
                    loader.StandardInput.Close(); // the loader exits when its input closes
                    if (!loader.WaitForExit(30_000)) loader.Kill(true);
                }
                await server.StopAsync();
            }
        }

        static string Load()
        {
            try { return "load average " + File.ReadAllText("/proc/loadavg").Trim(); }
            catch (IOException) { return "load unknown"; }
        }
    }
}
