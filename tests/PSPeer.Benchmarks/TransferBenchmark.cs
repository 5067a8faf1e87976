using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Napster;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// One large file over loopback, side by side in one run: PSPeer (search through a Napster index, then the
    /// download Receive-PeerFile performs: HTTP, SHA-1 while receiving, verify, move into place) against
    /// curl fetching the same file from nginx followed by sha1sum.
    /// </summary>
    static class TransferBenchmark
    {
        public static async Task<int> RunAsync(string[] args)
        {
            int sizeMiB = Program.Option(args, "--size-mib", 1024);
            int runs = Program.Option(args, "--runs", 3);
            string work = Path.Combine(Path.GetTempPath(), "pspeer-bench");
            string shared = Path.Combine(work, "shared");
            string file = Path.Combine(shared, $"payload-{sizeMiB}MiB.bin");
            Directory.CreateDirectory(shared);
            EnsurePayload(file, sizeMiB);
            long bytes = new FileInfo(file).Length;
            Console.WriteLine($"# transfer: {sizeMiB} MiB file over loopback, median of {runs} runs (MB = 10^6 bytes)");

            var pspeer = await MeasurePSPeerAsync(shared, Path.GetFileName(file), work, runs);
            Report("pspeer Receive-PeerFile (HTTP + SHA-1 verify)", bytes, pspeer);

            if (!ExternalProcess.Exists("curl") || !(ExternalProcess.Exists("nginx") || File.Exists("/usr/sbin/nginx")))
            {
                Console.WriteLine("# curl or nginx missing: install them (apt-get install curl nginx-light) for the side-by-side figure");
                return 0;
            }
            var curl = MeasureCurl(shared, Path.GetFileName(file), work, runs);
            Report("curl from nginx + sha1sum", bytes, curl);
            Console.WriteLine($"ratio pspeer/curl+sha1sum throughput: {Median(curl) / Median(pspeer):F2}x (above 1 = PSPeer faster)");
            return 0;
        }

        static void EnsurePayload(string path, int sizeMiB)
        {
            if (File.Exists(path) && new FileInfo(path).Length == (long)sizeMiB << 20) return;
            var rng = new Random(1);
            var block = new byte[1 << 20];
            using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            for (int i = 0; i < sizeMiB; i++) { rng.NextBytes(block); fs.Write(block, 0, block.Length); }
        }

        static async Task<List<double>> MeasurePSPeerAsync(string shared, string name, string work, int runs)
        {
            var runtime = LiveRuntime.Loopback;
            var server = new NapsterIndexServer(runtime, "bench-index", 0);
            await server.StartAsync();
            var seeder = new NapsterPeer(runtime, "bench-seeder", HostPort.Parse(server.EndPoint), shared, 0);
            await seeder.StartAsync(); // hashes the payload once (cached for later runs)
            var client = new NapsterPeer(runtime, "bench-client", HostPort.Parse(server.EndPoint), null, 0);
            await client.StartAsync();
            try
            {
                var hits = new List<SearchHit>();
                await client.SearchAsync(Path.GetFileNameWithoutExtension(name), new SearchOptions { MaxResults = 1 }, h => hits.Add(h));
                if (hits.Count == 0) throw new InvalidOperationException("the benchmark payload was not found through the index");
                var seconds = new List<double>();
                string dest = Path.Combine(work, "pspeer-dest");
                for (int i = 0; i < runs; i++)
                {
                    if (Directory.Exists(dest)) Directory.Delete(dest, true);
                    var sw = Stopwatch.StartNew();
                    var result = await client.DownloadAsync(hits[0], dest, null, CancellationToken.None);
                    sw.Stop();
                    if (!result.Verified) throw new InvalidOperationException("download not verified");
                    seconds.Add(sw.Elapsed.TotalSeconds);
                }
                Directory.Delete(dest, true);
                return seconds;
            }
            finally
            {
                await client.StopAsync();
                await seeder.StopAsync();
                await server.StopAsync();
            }
        }

        static List<double> MeasureCurl(string shared, string name, string work, int runs)
        {
            using var nginx = Nginx.Start(shared);
            string dest = Path.Combine(work, "curl-dest.bin");
            var seconds = new List<double>();
            for (int i = 0; i < runs; i++)
            {
                File.Delete(dest);
                var sw = Stopwatch.StartNew();
                var (code, output) = ExternalProcess.Run("/bin/sh", $"-c \"curl -sf -o '{dest}' http://127.0.0.1:{nginx.Port}/{name} && sha1sum '{dest}'\"");
                sw.Stop();
                if (code != 0) throw new InvalidOperationException("curl + sha1sum failed: " + output);
                seconds.Add(sw.Elapsed.TotalSeconds);
            }
            File.Delete(dest);
            return seconds;
        }

        static double Median(List<double> xs) { var s = xs.OrderBy(x => x).ToList(); return s[s.Count / 2]; }

        static void Report(string label, long bytes, List<double> seconds) =>
            Console.WriteLine($"{label,-48} {Median(seconds),7:F2} s {bytes / Median(seconds) / 1e6,8:F0} MB/s  (min {seconds.Min():F2} s, max {seconds.Max():F2} s, n={seconds.Count})");
    }
}
