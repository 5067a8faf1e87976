using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Memory of HTTP serving: an HttpFileServer with a 64 MiB file, then N idle connections, then D downloads whose
    /// readers take nothing (so the server holds whatever it holds per sending connection), then S more such readers
    /// at once. Prints managed heap and resident memory per connection. Figures, not assertions:
    /// `dotnet run -c Release --project tests/PSPeer.Benchmarks -- http-memory [--idle 1000] [--downloads 32] [--slow 500]`.
    /// Written against the server's public surface only (limits set by reflection when the build has them), so the
    /// same file measures a build from before the admission work.
    /// </summary>
    static class HttpMemoryBenchmark
    {
        public static async Task<int> RunAsync(string[] args)
        {
            int idle = Program.Option(args, "--idle", 1000);
            int downloads = Program.Option(args, "--downloads", 32);
            int slow = Program.Option(args, "--slow", 500);
            string dir = Path.Combine(Path.GetTempPath(), "pspeer-http-memory-" + Environment.ProcessId);
            Directory.CreateDirectory(dir);
            // Written in 1 MiB pieces, so no 64 MiB array lands in (and then leaves) the measured process.
            using (var file = File.Create(Path.Combine(dir, "big.bin")))
            {
                var piece = new byte[1 << 20];
                var random = new Random(1);
                for (int i = 0; i < 64; i++) { random.NextBytes(piece); file.Write(piece, 0, piece.Length); }
            }
            var folder = new SharedFolder(LiveRuntime.Loopback.Storage, dir, new HashCache());
            await folder.ScanAsync();
            var server = new HttpFileServer(LiveRuntime.Loopback, folder, null);
            bool limited = OpenLimits(server);
            await server.StartAsync(0);
            var ep = (IPEndPoint)new IPEndPoint(IPAddress.Loopback, server.Port);
            string target = "/get/" + folder.Files[0].Index + "/big.bin";
            Console.WriteLine($"# http-memory: HttpFileServer, 64 MiB file; {(limited ? "admission limits opened for the measurement (MaxConnections, per address)" : "build without admission limits")}");
            try
            {
                var (heap0, rss0) = Measure();
                var idleSockets = new List<Socket>();
                for (int i = 0; i < idle; i++) idleSockets.Add(await ConnectAsync(ep, i));
                await Task.Delay(1000);
                var (heap1, rss1) = Measure();
                Console.WriteLine($"idle connections:        {idle,6}  heap {(heap1 - heap0) / (double)idle / 1024,8:F1} KiB each   RSS {(rss1 - rss0) / (double)idle / 1024,8:F1} KiB each");
                foreach (var s in idleSockets) s.Dispose();
                await WaitAsync(() => server.ConnectionCount == 0);

                var (heap2, rss2) = Measure();
                var readers = new List<Socket>();
                int served = 0, busy = 0;
                for (int i = 0; i < downloads; i++) { var s = await StalledReaderAsync(ep, target, i); readers.Add(s.socket); if (s.status == 200) served++; else busy++; }
                await Task.Delay(1500);
                var (heap3, rss3) = Measure();
                Console.WriteLine($"downloading connections: {served,6}  heap {(heap3 - heap2) / (double)Math.Max(1, served) / 1024,8:F1} KiB each   RSS {(rss3 - rss2) / (double)Math.Max(1, served) / 1024,8:F1} KiB each ({busy} got 503)");
                foreach (var s in readers) s.Dispose();
                await WaitAsync(() => server.ConnectionCount == 0);

                var (heap4, rss4) = Measure();
                readers.Clear();
                served = busy = 0;
                for (int i = 0; i < slow; i++) { var s = await StalledReaderAsync(ep, target, i); readers.Add(s.socket); if (s.status == 200) served++; else busy++; }
                await Task.Delay(1500);
                var (heap5, rss5) = Measure();
                Console.WriteLine($"{slow} stalled readers at once: {served} served, {busy} told 503; heap +{(heap5 - heap4) / 1048576.0:F1} MiB, RSS +{(rss5 - rss4) / 1048576.0:F1} MiB (RSS now {rss5 / 1048576.0:F0} MiB)");
                foreach (var s in readers) s.Dispose();
            }
            finally
            {
                await server.StopAsync();
                Directory.Delete(dir, true);
            }
            return 0;
        }

        // The measurement opens more connections from one address than the defaults allow; raise those limits if this
        // build has them (found by name, so this file also compiles against a build from before they existed).
        static bool OpenLimits(HttpFileServer server)
        {
            var property = typeof(HttpFileServer).GetProperty("Limits");
            if (property == null) return false;
            var limits = Activator.CreateInstance(property.PropertyType);
            property.PropertyType.GetProperty("MaxConnections").SetValue(limits, 100_000);
            property.PropertyType.GetProperty("MaxConnectionsPerAddress").SetValue(limits, 100_000);
            property.PropertyType.GetProperty("MinUploadRate").SetValue(limits, 0L);
            property.SetValue(server, limits);
            return true;
        }

        static (long heap, long rss) Measure()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return (GC.GetTotalMemory(true), Process.GetCurrentProcess().WorkingSet64);
        }

        static async Task WaitAsync(Func<bool> condition)
        {
            for (int i = 0; i < 500 && !condition(); i++) await Task.Delay(20);
        }

        // Clients come from many loopback addresses, as from many hosts.
        static async Task<Socket> ConnectAsync(IPEndPoint ep, int i, int receiveBuffer = 0)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (receiveBuffer > 0) s.ReceiveBufferSize = receiveBuffer;
            s.Bind(new IPEndPoint(IPAddress.Parse($"127.0.{2 + i / 200}.{1 + i % 200}"), 0));
            await s.ConnectAsync(ep);
            return s;
        }

        static async Task<(Socket socket, int status)> StalledReaderAsync(IPEndPoint ep, string target, int i)
        {
            var s = await ConnectAsync(ep, i, 4096);
            s.Send(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n"));
            var buffer = new byte[12];
            int got = 0;
            s.ReceiveTimeout = 10_000;
            try { while (got < 12) { int n = s.Receive(buffer, got, 12 - got, SocketFlags.None); if (n == 0) break; got += n; } }
            catch (SocketException) { }
            int status = got == 12 && int.TryParse(Encoding.ASCII.GetString(buffer, 9, 3), out int code) ? code : 0;
            return (s, status);
        }
    }
}
