using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Memory per compressed Gnutella link. One live ultrapeer and N live leaves in one process, every link compressed
    /// both ways or none; the same run twice in fresh processes (freed native memory is kept by the allocator, so one
    /// process cannot measure both) and the difference per link printed, for both of its ends together:
    /// after the links come up (QRP tables and Pings went each way, so all four compressor/inflater halves exist),
    /// after a search that reaches every leaf, and after the links have been quiet for two maintenance rounds (each
    /// compressor freed, only the inflaters left).
    /// `dotnet run -c Release --project tests/PSPeer.Benchmarks -- gnutella-links [--links 100]`.
    /// </summary>
    static class GnutellaLinkMemoryBenchmark
    {
        static readonly string[] Phases = { "links-up", "after-search", "quiet" };

        public static async Task<int> RunAsync(string[] args)
        {
            int links = Program.Option(args, "--links", 100);
            int at = Array.IndexOf(args, "--mode");
            if (at >= 0 && at + 1 < args.Length) return await RunOneAsync(links, args[at + 1] == "compressed");

            var figures = new Dictionary<string, Dictionary<string, long>>();
            foreach (var mode in new[] { "plain", "compressed" })
            {
                var (code, output) = RunChild($"\"{typeof(Program).Assembly.Location}\" gnutella-links --mode {mode} --links {links}");
                Console.Write(output);
                if (code != 0) return code;
                figures[mode] = output.Split('\n').Where(l => l.StartsWith("PHASE ", StringComparison.Ordinal))
                    .Select(l => l.Split(' ')).ToDictionary(p => p[1], p => long.Parse(p[2], CultureInfo.InvariantCulture));
            }
            Console.WriteLine($"# gnutella link compression: {links} links (ultrapeer end + leaf end), {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            Console.WriteLine("phase          plain RSS   compressed RSS   per compressed link (both ends)");
            foreach (var phase in Phases)
            {
                long plain = figures["plain"][phase], compressed = figures["compressed"][phase];
                Console.WriteLine($"{phase,-13} {plain / 1048576.0,8:F1} MiB {compressed / 1048576.0,12:F1} MiB {(compressed - plain) / (double)links / 1024,14:F0} KiB");
            }
            return 0;
        }

        // glibc keeps memory freed by zlib for reuse unless the block was mmapped, and its adaptive threshold soon stops
        // mmapping blocks of a compressor's size: a fixed threshold makes a freed compressor leave the resident set,
        // so "quiet" shows what a quiet link really holds.
        static (int, string) RunChild(string arguments)
        {
            var psi = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.Environment["MALLOC_MMAP_THRESHOLD_"] = "131072";
            using var p = Process.Start(psi);
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(600_000)) { p.Kill(true); return (-1, "timed out"); }
            return (p.ExitCode, stdout.Result + stderr.Result);
        }

        static async Task<int> RunOneAsync(int count, bool compressed)
        {
            string folder = Path.Combine(Path.GetTempPath(), "pspeer-links-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, "common track.mp3"), new byte[1000]);
            var servents = new List<GnutellaServent>();
            try
            {
                var hub = new GnutellaServent(LiveRuntime.Loopback, "hub", new GnutellaOptions { MaxLeaves = count, CompressLinks = compressed });
                servents.Add(hub);
                await hub.StartAsync();
                for (int i = 0; i < count; i++)
                {
                    var leaf = new GnutellaServent(LiveRuntime.Loopback, "leaf" + i, new GnutellaOptions
                    {
                        Role = GnutellaRole.Leaf, LeafUltrapeerLinks = 1, SharedPath = folder, CompressLinks = compressed,
                        Bootstrap = { HostPort.Parse(hub.EndPoint) },
                    });
                    servents.Add(leaf);
                    await leaf.StartAsync();
                }
                await WaitAsync(() => hub.ConnectionCount == count && hub.Counters.ReceivedByType.Values.Sum() >= 2 * count, "the links and their QRP tables");
                Console.WriteLine($"# {(compressed ? "compressed" : "plain")}: {hub.ConnectionCount} links, {hub.CompressedLinkCount} compressed");
                Report("links-up");

                int hits = 0;
                await hub.SearchAsync("common track", new SearchOptions { MaxResults = count, Timeout = TimeSpan.FromSeconds(10) }, h => System.Threading.Interlocked.Increment(ref hits));
                Console.WriteLine($"# search: {hits} hits");
                Report("after-search");

                // Two maintenance rounds (5 s each, +-25%) with nothing written: each compressor is freed on the second.
                await Task.Delay(TimeSpan.FromSeconds(12.5));
                Report("quiet");
                return 0;
            }
            finally
            {
                foreach (var s in servents) await s.StopAsync();
                try { Directory.Delete(folder, true); } catch (IOException) { }
            }
        }

        static void Report(string phase)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var self = Process.GetCurrentProcess();
            Console.WriteLine($"PHASE {phase} {self.WorkingSet64} (managed heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB)");
        }

        static async Task WaitAsync(Func<bool> condition, string what)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(120)) throw new TimeoutException("timed out waiting for " + what);
                await Task.Delay(50);
            }
        }
    }
}
