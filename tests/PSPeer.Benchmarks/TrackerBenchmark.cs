using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// The tracker under a flood, over loopback TCP from source-bound sockets (each attacker its own 127.0.0.x, as hosts):
    /// (1) announces per second and memory per tracked peer while --addresses addresses fill their quotas (the only way
    /// to hold many peers now), (2) the issue-10 flood, --fakes fake peers over --hashes torrents from 4 addresses, and
    /// what it leaves in the tracker.
    /// `dotnet run -c Release --project tests/PSPeer.Benchmarks -- tracker [--addresses 100] [--fakes 100000] [--hashes 10000]`
    /// </summary>
    static class TrackerBenchmark
    {
        public static async Task<int> RunAsync(string[] args)
        {
            int addresses = Program.Option(args, "--addresses", 100);
            int fakes = Program.Option(args, "--fakes", 100_000);
            int hashes = Program.Option(args, "--hashes", 10_000);
            await MeasureMemoryAsync(addresses);
            await MeasureFloodAsync(fakes, hashes);
            return 0;
        }

        static async Task MeasureMemoryAsync(int addresses)
        {
            var options = new TrackerOptions();
            var tracker = new BitTorrentTracker(LiveRuntime.Loopback, "tracker", 0, options);
            await tracker.StartAsync();
            try
            {
                long before = Settle();
                // Each address fills its overall quota: 100 torrents x 10 peers, within 64 per torrent.
                int perAddress = options.MaxPeersPerAddress, torrents = 100;
                var watch = Stopwatch.StartNew();
                var sent = await Task.WhenAll(Enumerable.Range(0, addresses).Select(a =>
                    FloodAsync(Source(a), tracker.EndPoint, perAddress, i => Query(Hash(0, i % torrents), Id(a, i), 1 + i, left: i % 2))));
                watch.Stop();
                long after = Settle();
                int total = sent.Sum();
                Console.WriteLine($"tracker fill: {total:N0} announces from {addresses} addresses in {watch.Elapsed.TotalSeconds:0.00} s = {total / watch.Elapsed.TotalSeconds:N0} announces/s; " +
                                  $"{tracker.PeerCount:N0} peers in {tracker.SwarmCount:N0} torrents");
                Console.WriteLine($"tracker memory: {(after - before) / 1024.0 / 1024.0:0.0} MiB managed for {tracker.PeerCount:N0} peers = {(after - before) / (double)Math.Max(1, tracker.PeerCount):N0} bytes per tracked peer");
            }
            finally { await tracker.StopAsync(); }
        }

        static async Task MeasureFloodAsync(int fakes, int hashes)
        {
            var tracker = new BitTorrentTracker(LiveRuntime.Loopback, "tracker", 0);
            await tracker.StartAsync();
            try
            {
                const int attackers = 4;
                var watch = Stopwatch.StartNew();
                var sent = await Task.WhenAll(Enumerable.Range(0, attackers).Select(a =>
                    FloodAsync(Source(a), tracker.EndPoint, fakes / attackers, i => Query(Hash(a + 1, i % (hashes / attackers)), Id(a, i), 1 + i % 65000, left: 0))));
                watch.Stop();
                int total = sent.Sum();
                Console.WriteLine($"tracker flood: {total:N0} fake announces over {hashes:N0} torrents from {attackers} addresses in {watch.Elapsed.TotalSeconds:0.00} s = " +
                                  $"{total / watch.Elapsed.TotalSeconds:N0}/s; the tracker kept {tracker.PeerCount:N0} peers in {tracker.SwarmCount:N0} torrents " +
                                  $"(quotas: {tracker.Options.MaxPeersPerAddress:N0} peers and {tracker.Options.MaxSwarmsPerAddress:N0} torrents per address)");
            }
            finally { await tracker.StopAsync(); }
        }

        static long Settle()
        {
            for (int i = 0; i < 3; i++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
            return GC.GetTotalMemory(true);
        }

        // 127.0.0.2 onwards: every attacker a different host to the tracker.
        static IPAddress Source(int a) => new IPAddress(new byte[] { 127, 0, (byte)(a / 250), (byte)(2 + a % 250) });

        static byte[] Hash(int owner, int n)
        {
            var h = new byte[20];
            h[0] = 0xBE; h[1] = (byte)owner;
            BitConverter.GetBytes(n).CopyTo(h, 2);
            return h;
        }

        static byte[] Id(int a, int n) => Encoding.ASCII.GetBytes("-BM0001-" + a.ToString("D3", CultureInfo.InvariantCulture) + n.ToString("D9", CultureInfo.InvariantCulture));

        static string Query(byte[] hash, byte[] id, int port, int left) =>
            "info_hash=" + Escape(hash) + "&peer_id=" + Escape(id) + "&port=" + port + "&left=" + left + "&event=started&numwant=0&compact=1";

        static string Escape(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 3);
            foreach (byte b in bytes) sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        /// <summary>Sends <paramref name="count"/> announces one after another over one kept-alive connection; returns how many were answered.</summary>
        static async Task<int> FloodAsync(IPAddress source, string tracker, int count, Func<int, string> query)
        {
            var target = IPEndPoint.Parse(tracker);
            using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(target);
                using (var stream = new NetworkStream(socket))
                {
                    var buffer = new byte[64 * 1024];
                    int answered = 0;
                    for (int i = 0; i < count; i++)
                    {
                        var request = Encoding.ASCII.GetBytes("GET /announce?" + query(i) + " HTTP/1.1\r\nHost: " + tracker + "\r\n\r\n");
                        await stream.WriteAsync(request, 0, request.Length);
                        if (!await ReadResponseAsync(stream, buffer)) break;
                        answered++;
                    }
                    return answered;
                }
            }
        }

        // Reads one response (head and a Content-Length body); false when the tracker closed.
        static async Task<bool> ReadResponseAsync(Stream stream, byte[] buffer)
        {
            int filled = 0, headEnd = -1;
            while (headEnd < 0)
            {
                int n = await stream.ReadAsync(buffer, filled, buffer.Length - filled);
                if (n <= 0) return false;
                filled += n;
                headEnd = IndexOf(buffer, filled, "\r\n\r\n");
            }
            string head = Encoding.ASCII.GetString(buffer, 0, headEnd);
            int at = head.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
            int length = at < 0 ? 0 : int.Parse(head.Substring(at + 15).Split('\r')[0].Trim(), CultureInfo.InvariantCulture);
            int have = filled - (headEnd + 4);
            while (have < length)
            {
                int n = await stream.ReadAsync(buffer, 0, buffer.Length);
                if (n <= 0) return false;
                have += n;
            }
            return true;
        }

        static int IndexOf(byte[] buffer, int count, string text)
        {
            for (int i = 0; i + text.Length <= count; i++)
            {
                int j = 0;
                while (j < text.Length && buffer[i + j] == text[j]) j++;
                if (j == text.Length) return i;
            }
            return -1;
        }
    }
}
