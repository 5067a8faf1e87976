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

            bool haveCurl = ExternalProcess.Exists("curl") && (ExternalProcess.Exists("nginx") || File.Exists("/usr/sbin/nginx"));
            if (!haveCurl) Console.WriteLine("# curl or nginx missing: install them (apt-get install curl nginx-light) for the side-by-side figure");

            // Runs alternate (PSPeer, curl, PSPeer, curl...) so that page-cache and write-back effects, which make
            // whichever transfer comes first slower, fall on both alike.
            await using var pspeer = await PSPeerSide.StartAsync(shared, Path.GetFileName(file), Path.Combine(work, "pspeer-dest"));
            using var nginx = haveCurl ? Nginx.Start(shared) : null;
            var pspeerSeconds = new List<double>();
            var cmdletSeconds = new List<double>();
            var curlSeconds = new List<double>();
            string hostDll = CmdletRun.FindHost();
            if (hostDll == null) Console.WriteLine("# src/PSPeer.Host is not built in this configuration: the cmdlet row is left out");
            for (int i = 0; i < runs; i++)
            {
                pspeerSeconds.Add(await pspeer.DownloadOnceAsync());
                if (hostDll != null) cmdletSeconds.Add(CmdletRun.ReceiveOnce(hostDll, shared, Path.GetFileNameWithoutExtension(file), Path.Combine(work, "cmdlet-dest")));
                if (haveCurl) curlSeconds.Add(CurlOnce(nginx, Path.GetFileName(file), Path.Combine(work, "curl-dest.bin")));
            }

            Report("pspeer engine download (HTTP + SHA-1 verify)", bytes, pspeerSeconds);
            if (cmdletSeconds.Count > 0) Report("pspeer Receive-PeerFile cmdlet (hosted)", bytes, cmdletSeconds);
            if (!haveCurl) return 0;
            Report("curl from nginx + sha1sum", bytes, curlSeconds);
            Console.WriteLine($"ratio pspeer engine / curl+sha1sum throughput: {Median(curlSeconds) / Median(pspeerSeconds):F2}x (above 1 = PSPeer faster)");
            if (cmdletSeconds.Count > 0)
                Console.WriteLine($"ratio Receive-PeerFile / curl+sha1sum throughput: {Median(curlSeconds) / Median(cmdletSeconds):F2}x");
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

        /// <summary>An index server, a seeder sharing the payload and a client that found it through the index.</summary>
        sealed class PSPeerSide : IAsyncDisposable
        {
            NapsterIndexServer _server;
            NapsterPeer _seeder, _client;
            SearchHit _hit;
            string _dest;

            public static async Task<PSPeerSide> StartAsync(string shared, string name, string dest)
            {
                var runtime = LiveRuntime.Loopback;
                var side = new PSPeerSide { _dest = dest };
                side._server = new NapsterIndexServer(runtime, "bench-index", 0);
                await side._server.StartAsync();
                side._seeder = new NapsterPeer(runtime, "bench-seeder", HostPort.Parse(side._server.EndPoint), shared, 0);
                await side._seeder.StartAsync(); // hashes the payload once (cached for later runs)
                side._client = new NapsterPeer(runtime, "bench-client", HostPort.Parse(side._server.EndPoint), null, 0);
                await side._client.StartAsync();
                var hits = new List<SearchHit>();
                await side._client.SearchAsync(Path.GetFileNameWithoutExtension(name), new SearchOptions { MaxResults = 1 }, h => hits.Add(h));
                side._hit = hits.Count > 0 ? hits[0] : throw new InvalidOperationException("the benchmark payload was not found through the index");
                return side;
            }

            /// <summary>The download Receive-PeerFile performs: HTTP, SHA-1 while receiving, verify, move into place.</summary>
            public async Task<double> DownloadOnceAsync()
            {
                if (Directory.Exists(_dest)) Directory.Delete(_dest, true);
                var sw = Stopwatch.StartNew();
                var result = await _client.DownloadAsync(_hit, _dest, null, CancellationToken.None);
                sw.Stop();
                if (!result.Verified) throw new InvalidOperationException("download not verified");
                Directory.Delete(_dest, true);
                return sw.Elapsed.TotalSeconds;
            }

            public async ValueTask DisposeAsync()
            {
                await _client.StopAsync();
                await _seeder.StopAsync();
                await _server.StopAsync();
            }
        }

        static double CurlOnce(Nginx nginx, string name, string dest)
        {
            File.Delete(dest);
            var sw = Stopwatch.StartNew();
            var (code, output) = ExternalProcess.Run("/bin/sh", $"-c \"curl -sf -o '{dest}' http://127.0.0.1:{nginx.Port}/{name} && sha1sum '{dest}'\"");
            sw.Stop();
            if (code != 0) throw new InvalidOperationException("curl + sha1sum failed: " + output);
            File.Delete(dest);
            return sw.Elapsed.TotalSeconds;
        }

        static double Median(List<double> xs) { var s = xs.OrderBy(x => x).ToList(); return s[s.Count / 2]; }

        static void Report(string label, long bytes, List<double> seconds) =>
            Console.WriteLine($"{label,-48} {Median(seconds),7:F2} s {bytes / Median(seconds) / 1e6,8:F0} MB/s  (runs: {string.Join(" ", seconds.Select(x => x.ToString("F2")))} s)");
    }
}
