using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// `torrent`: TorrentBuilder (what New-Torrent runs) against `mktorrent -t 2 -l 18` on one file (1 GiB unless
    /// --size-mib), runs alternating so both see the same page-cache state, medians printed with GB/s and the ratio.
    /// The file is read once before timing, so both hash from the page cache (as they would right after a build).
    /// </summary>
    static class TorrentCreateBenchmark
    {
        public static async Task<int> RunAsync(string[] args)
        {
            int sizeMiB = Program.Option(args, "--size-mib", 1024);
            int runs = Program.Option(args, "--runs", 5);
            int threads = Program.Option(args, "--threads", 2);
            string dir = Path.Combine(Path.GetTempPath(), "pspeer-bench-torrent-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            try
            {
                string file = Path.Combine(dir, "payload.bin");
                WriteRandom(file, (long)sizeMiB << 20);
                using (var s = File.OpenRead(file)) s.CopyTo(Stream.Null);   // warm the page cache for both contenders
                long bytes = new FileInfo(file).Length;
                bool haveMktorrent = ExternalProcess.Exists("mktorrent");
                Console.WriteLine($"## torrent creation: {sizeMiB} MiB, 256 KiB pieces, {threads} hashing threads, {runs} runs each (alternating)");
                if (!haveMktorrent) Console.WriteLine("mktorrent not installed (apt-get install mktorrent): timing PSPeer only.");

                // One untimed build first: the timed runs measure hashing, not the JIT compiling the builder.
                await TorrentBuilder.CreateAsync(new DiskStorage(), file,
                    new TorrentBuildOptions { PieceLength = 256 * 1024, Parallelism = threads }, null, CancellationToken.None);

                var ours = new List<double>();
                var theirs = new List<double>();
                string oursHash = null, theirsHash = null;
                for (int run = 0; run < runs; run++)
                {
                    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    var t = await TorrentBuilder.CreateAsync(new DiskStorage(), file,
                        new TorrentBuildOptions { PieceLength = 256 * 1024, Parallelism = threads }, null, CancellationToken.None);
                    ours.Add(sw.Elapsed.TotalSeconds);
                    var oursCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
                    oursHash = t.InfoHash.Hex;
                    Console.WriteLine($"  PSPeer    run {run + 1}: {Format(sw.Elapsed.TotalSeconds, bytes)} ({oursCpu:0.000} s CPU)");

                    if (!haveMktorrent) continue;
                    string torrent = Path.Combine(dir, "mk.torrent");
                    if (File.Exists(torrent)) File.Delete(torrent);
                    sw.Restart();
                    var (code, output, cpu) = RunMktorrent($"-t {threads} -l 18 -o \"{torrent}\" \"{file}\"");
                    double seconds = sw.Elapsed.TotalSeconds;
                    if (code != 0) { Console.WriteLine("mktorrent failed: " + output); return 1; }
                    theirs.Add(seconds);
                    theirsHash = TorrentMetainfo.Parse(File.ReadAllBytes(torrent)).InfoHash.Hex;
                    Console.WriteLine($"  mktorrent run {run + 1}: {Format(seconds, bytes)} ({cpu:0.000} s CPU)");
                }

                double oursMedian = Median(ours);
                Console.WriteLine($"PSPeer New-Torrent (TorrentBuilder) median: {Format(oursMedian, bytes)}");
                if (theirs.Count > 0)
                {
                    double theirsMedian = Median(theirs);
                    Console.WriteLine($"mktorrent -t {threads} median:              {Format(theirsMedian, bytes)}");
                    Console.WriteLine($"speed ratio PSPeer/mktorrent: {(theirsMedian / oursMedian).ToString("0.00", CultureInfo.InvariantCulture)}x; " +
                                      $"info-hashes {(oursHash == theirsHash ? "match" : "DIFFER")} ({oursHash})");
                }
                return 0;
            }
            finally
            {
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        }

        /// <summary>Runs mktorrent and also reports the CPU seconds it used (a figure a busy machine distorts less).</summary>
        static (int ExitCode, string Output, double CpuSeconds) RunMktorrent(string arguments)
        {
            double before = ChildrenCpuSeconds();
            var (code, output) = ExternalProcess.Run("mktorrent", arguments);
            return (code, output, ChildrenCpuSeconds() - before);
        }

        [StructLayout(LayoutKind.Sequential)]
        struct RUsage
        {
            public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
            [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)] public long[] Rest;
        }

        [DllImport("libc", EntryPoint = "getrusage")]
        static extern int GetRUsage(int who, out RUsage usage);

        /// <summary>CPU time of every waited-for child process so far (Linux getrusage RUSAGE_CHILDREN); NaN elsewhere.</summary>
        static double ChildrenCpuSeconds()
        {
            if (!OperatingSystem.IsLinux()) return double.NaN;
            try
            {
                if (GetRUsage(-1, out var u) != 0) return double.NaN;
                return u.UserSeconds + u.SystemSeconds + (u.UserMicroseconds + u.SystemMicroseconds) / 1e6;
            }
            catch (DllNotFoundException) { return double.NaN; }
        }

        static string Format(double seconds, long bytes) =>
            string.Format(CultureInfo.InvariantCulture, "{0:0.000} s, {1:0.00} GB/s", seconds, bytes / seconds / 1e9);

        static double Median(List<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            int n = sorted.Count;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        static void WriteRandom(string path, long size)
        {
            var random = new Random(42);
            var buffer = new byte[1 << 20];
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                for (long left = size; left > 0; left -= buffer.Length)
                {
                    random.NextBytes(buffer);
                    file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
                }
            }
        }
    }
}
