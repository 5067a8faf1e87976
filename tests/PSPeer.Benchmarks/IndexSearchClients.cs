using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Napster;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Napster search clients for the index benchmark: <c>clients</c> logged-in connections, each keeping <c>depth</c>
    /// searches in flight (pipelined on one connection, as a client that sends its next search before the last one's
    /// results are in), for <c>seconds</c>. Run in this process or, to tell the server's CPU from the clients', in a
    /// child process (`search-clients`), which prints "searches hits seconds cpu-seconds" on its last line.
    /// </summary>
    static class IndexSearchClients
    {
        /// <summary>Runs the clients in a child process; returns what it measured and its CPU time.</summary>
        public static async Task<(long Searches, long Hits, double Seconds, double CpuSeconds)> RunInChildAsync(
            string server, int peers, int perPeer, string model, int clients, int depth, int seconds, int? cpu)
        {
            string process = Environment.ProcessPath;
            bool viaDotnet = Path.GetFileNameWithoutExtension(process) == "dotnet";
            string dll = typeof(IndexSearchClients).Assembly.Location;
            var psi = new ProcessStartInfo(process, $"{(viaDotnet ? "\"" + dll + "\" " : "")}search-clients {server} {peers} {perPeer} {model} {clients} {depth} {seconds}")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var child = Process.Start(psi);
            if (cpu.HasValue) child.ProcessorAffinity = (IntPtr)(1L << cpu.Value);
            string output = await child.StandardOutput.ReadToEndAsync();
            if (!child.WaitForExit(120_000)) { child.Kill(true); throw new TimeoutException("the search clients did not finish"); }
            if (child.ExitCode != 0) throw new InvalidOperationException("the search clients failed: " + await child.StandardError.ReadToEndAsync());
            var lines = output.Trim().Split('\n');
            var f = lines[lines.Length - 1].Trim().Split(' ');
            var ci = System.Globalization.CultureInfo.InvariantCulture;
            return (long.Parse(f[0], ci), long.Parse(f[1], ci), double.Parse(f[2], ci), double.Parse(f[3], ci));
        }

        /// <summary>The child's entry: `search-clients server peers perPeer model clients depth seconds`.</summary>
        public static async Task<int> ChildAsync(string[] args)
        {
            var server = HostPort.Parse(args[1]);
            int peers = int.Parse(args[2]), perPeer = int.Parse(args[3]);
            SyntheticLibrary.Configure(args[4]);
            int clients = int.Parse(args[5]), depth = int.Parse(args[6]), seconds = int.Parse(args[7]);
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var (searches, hits, elapsed) = await RunAsync(server, peers, perPeer, clients, depth, seconds);
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            Console.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0} {1} {2:0.000} {3:0.000}", searches, hits, elapsed, cpu));
            return 0;
        }

        public static async Task<(long Searches, long Hits, double Seconds)> RunAsync(HostPort server, int peers, int perPeer, int clients, int depth, int seconds)
        {
            long searches = 0, hits = 0;
            // Queries are formatted up front: the clients share the server's two cores, so they must cost little.
            var rngQueries = new Random(11);
            var payloads = new string[8192];
            for (int i = 0; i < payloads.Length; i++)
                payloads[i] = new NapsterSearchRequest(SyntheticLibrary.Query(rngQueries, peers, perPeer), 100).Format();
            var start = Stopwatch.StartNew();
            var tasks = new List<Task>();
            for (int c = 0; c < clients; c++)
            {
                int id = c;
                tasks.Add(Task.Run(async () =>
                {
                    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(server.Host, server.Port);
                    using var stream = new NetworkStream(socket, true);
                    var writer = new NapsterFrameWriter();
                    var reader = new NapsterFrameReader(bufferSize: 256 * 1024);
                    writer.WriteFrame(NapsterMessageType.Login, new NapsterLogin($"bench-client-{id}-{depth}-{Guid.NewGuid():N}", "x", 0, "PSPeer.Benchmarks", 10).Format());
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
