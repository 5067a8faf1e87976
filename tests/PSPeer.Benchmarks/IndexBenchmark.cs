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

        public static async Task RunAsync(string[] args)
        {
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
                Console.WriteLine($"in-process search, {threads} thread(s): {searches / elapsed:N0} searches/s ({hits / (double)searches:F1} hits per search)");
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

                foreach (int depth in new[] { 1, 4 })
                {
                    var (searches, hits, elapsed) = await RunClientsAsync(HostPort.Parse(server.EndPoint), peers, perPeer, depth, seconds);
                    Console.WriteLine($"TCP search, {Clients} clients, {depth} in flight each: {searches / elapsed:N0} searches/s ({hits / (double)Math.Max(1, searches):F1} hits per search; aim >= 50,000)");
                }
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

        static async Task<(long Searches, long Hits, double Seconds)> RunClientsAsync(HostPort server, int peers, int perPeer, int depth, int seconds)
        {
            long searches = 0, hits = 0;
            // Queries are formatted up front: the clients share the server's two cores, so they must cost little.
            var rngQueries = new Random(11);
            var payloads = new string[8192];
            for (int i = 0; i < payloads.Length; i++)
                payloads[i] = new NapsterSearchRequest(SyntheticLibrary.Query(rngQueries, peers, perPeer), 100).Format();
            var start = Stopwatch.StartNew();
            var tasks = new List<Task>();
            for (int c = 0; c < Clients; c++)
            {
                int id = c;
                tasks.Add(Task.Run(async () =>
                {
                    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(server.Host, server.Port);
                    using var stream = new NetworkStream(socket, true);
                    var writer = new NapsterFrameWriter();
                    var reader = new NapsterFrameReader(bufferSize: 256 * 1024);
                    writer.WriteFrame(NapsterMessageType.Login, new NapsterLogin($"bench-client-{id}-{depth}", "x", 0, "PSPeer.Benchmarks", 10).Format());
                    await writer.FlushToAsync(stream, CancellationToken.None);
                    int next = id * 256;
                    long n = 0, h = 0, outstanding = 0;
                    bool sending = true;
                    while (sending || outstanding > 0)
                    {
                        while (sending && outstanding < depth)
                        {
                            writer.WriteFrame(NapsterMessageType.Search, payloads[next++ % payloads.Length]);
                            outstanding++;
                        }
                        if (writer.Length > 0) await writer.FlushToAsync(stream, CancellationToken.None);
                        var buffer = reader.GetReceiveBuffer();
                        int read = await stream.ReadAsync(buffer.Array, buffer.Offset, buffer.Count);
                        if (read == 0) throw new IOException("the server closed the connection");
                        reader.Commit(read);
                        while (reader.TryRead(out var frame))
                        {
                            if (frame.Type == NapsterMessageType.SearchResult) h++;
                            else if (frame.Type == NapsterMessageType.SearchEnd) { n++; outstanding--; }
                            else if (frame.Type == NapsterMessageType.Error) throw new IOException("server error: " + frame.GetText());
                        }
                        if (start.Elapsed.TotalSeconds >= seconds) sending = false;
                    }
                    Interlocked.Add(ref searches, n);
                    Interlocked.Add(ref hits, h);
                }));
            }
            await Task.WhenAll(tasks);
            return (searches, hits, start.Elapsed.TotalSeconds);
        }
    }
}
