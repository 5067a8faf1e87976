using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// BEP 15 announce round trip, PSPeer's tracker beside opentracker, in the same run: a plain UDP socket connects once
    /// to each, then sends announces one at a time (each waits for its answer), alternating blocks between the two
    /// trackers so that both see the same machine load. Also the whole TrackerClient.AnnounceAsync (connect + announce
    /// on a fresh socket) against each. Needs opentracker (apt-get install opentracker).
    /// `dotnet run -c Release --project tests/PSPeer.Benchmarks -- udp-tracker [--announces 20000] [--client 500]`
    /// </summary>
    static class UdpTrackerBenchmark
    {
        static readonly byte[] Hash = Enumerable.Range(0, 20).Select(i => (byte)(i * 11 + 3)).ToArray();

        public static async Task<int> RunAsync(string[] args)
        {
            int announces = Program.Option(args, "--announces", 20_000);
            int clientAnnounces = Program.Option(args, "--client", 500);
            if (!ExternalProcess.Exists("opentracker"))
            {
                Console.WriteLine("udp-tracker: opentracker is not installed (apt-get install opentracker); nothing measured.");
                return 1;
            }
            var pspeer = new BitTorrentTracker(LiveRuntime.Loopback, "bench", 0);
            await pspeer.StartAsync();
            string folder = Path.Combine(Path.GetTempPath(), "pspeer-udp-bench-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Process open = null;
            try
            {
                int openPort;
                (open, openPort) = StartOpenTracker(folder);
                var targets = new[]
                {
                    ("pspeer", new IPEndPoint(IPAddress.Loopback, int.Parse(pspeer.EndPoint.Split(':')[1]))),
                    ("opentracker", new IPEndPoint(IPAddress.Loopback, openPort)),
                };
                Console.WriteLine($"# BEP 15 announce round trip on loopback, {announces:N0} sequential announces per tracker in alternating blocks of 1,000");
                var samples = targets.ToDictionary(t => t.Item1, t => new List<double>());
                using (var pspeerSocket = new Raw(targets[0].Item2))
                using (var openSocket = new Raw(targets[1].Item2))
                {
                    var sockets = new[] { pspeerSocket, openSocket };
                    foreach (var s in sockets) s.Connect();
                    for (int i = 0; i < 200; i++) foreach (var s in sockets) s.Announce(i);   // warm-up
                    for (int done = 0; done < announces; done += 1000)
                        for (int t = 0; t < 2; t++)
                            for (int i = 0; i < Math.Min(1000, announces - done); i++)
                                samples[targets[t].Item1].Add(sockets[t].Announce(done + i));
                }
                foreach (var (name, _) in targets) Print($"raw announce  {name,-12}", samples[name]);
                Console.WriteLine($"ratio         pspeer / opentracker median round trip: {Median(samples["pspeer"]) / Median(samples["opentracker"]):0.00}");

                Console.WriteLine($"# TrackerClient.AnnounceAsync (connect + announce on a fresh socket), {clientAnnounces} per tracker, alternating");
                var client = new TrackerClient(LiveRuntime.Loopback) { UdpRetransmitBase = TimeSpan.FromSeconds(1), UdpMaxRetransmits = 2 };
                var clientSamples = targets.ToDictionary(t => t.Item1, t => new List<double>());
                for (int i = 0; i < clientAnnounces + 20; i++)
                    foreach (var (name, ep) in targets)
                    {
                        var request = new AnnounceRequest { InfoHash = new InfoHash(Hash), PeerId = PeerId(i), Port = 1 + i % 60000, Left = 5, NumWant = 50 };
                        var clock = Stopwatch.StartNew();
                        await client.AnnounceAsync($"udp://127.0.0.1:{ep.Port}/announce", request);
                        if (i >= 20) clientSamples[name].Add(clock.Elapsed.TotalMilliseconds * 1000);
                    }
                foreach (var (name, _) in targets) Print($"client        {name,-12}", clientSamples[name]);
                return 0;
            }
            finally
            {
                if (open != null && !open.HasExited) { open.Kill(true); open.WaitForExit(5000); }
                open?.Dispose();
                await pspeer.StopAsync();
                try { Directory.Delete(folder, true); } catch (IOException) { }
            }
        }

        static void Print(string label, List<double> microseconds)
        {
            var sorted = microseconds.OrderBy(x => x).ToList();
            Console.WriteLine($"{label} median {Median(sorted),7:0} us, p99 {sorted[(int)(sorted.Count * 0.99)],7:0} us, " +
                              $"{1e6 / sorted.Average():N0} announces/s one at a time");
        }

        static double Median(List<double> values)
        {
            var sorted = values.OrderBy(x => x).ToList();
            return sorted[sorted.Count / 2];
        }

        static byte[] PeerId(int i) => System.Text.Encoding.ASCII.GetBytes(("-BN0001-" + i.ToString("D12")).Substring(0, 20));

        /// <summary>Debian's opentracker serves whitelisted hashes only; it chroots into the folder, so the folder is world-readable.</summary>
        static (Process, int) StartOpenTracker(string folder)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "whitelist.txt"), BitConverter.ToString(Hash).Replace("-", "").ToLowerInvariant() + "\n");
            File.WriteAllText(Path.Combine(folder, "opentracker.conf"), "access.whitelist whitelist.txt\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder, (UnixFileMode)0x1ED);
                foreach (var f in Directory.GetFiles(folder)) File.SetUnixFileMode(f, (UnixFileMode)0x1A4);
            }
            for (int attempt = 0; attempt < 3; attempt++)
            {
                int port = FreePort();
                var psi = new ProcessStartInfo("opentracker", $"-i 127.0.0.1 -p {port} -P {port} -A 127.0.0.1 -d {folder} -f {Path.Combine(folder, "opentracker.conf")}")
                { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                var p = Process.Start(psi);
                p.OutputDataReceived += (s, e) => { };
                p.ErrorDataReceived += (s, e) => { };
                p.BeginOutputReadLine();
                p.BeginErrorReadLine();
                // Ready once it answers an announce for the whitelisted hash (it reads the list on a thread of its own).
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
                while (DateTime.UtcNow < deadline && !p.HasExited)
                {
                    try
                    {
                        using (var raw = new Raw(new IPEndPoint(IPAddress.Loopback, port), 200))
                        {
                            raw.Connect();
                            raw.Announce(0);
                            return (p, port);
                        }
                    }
                    catch (Exception e) when (e is SocketException || e is InvalidOperationException) { Thread.Sleep(50); }
                }
                if (!p.HasExited) p.Kill(true);
                p.Dispose();
            }
            throw new InvalidOperationException("opentracker did not start answering over UDP.");
        }

        static int FreePort()
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)s.LocalEndPoint).Port;
            using var t = new TcpListener(IPAddress.Loopback, port);
            t.Start();   // free for TCP as well
            return port;
        }

        /// <summary>A bare BEP 15 client on one socket: one connect, then announces timed one by one.</summary>
        sealed class Raw : IDisposable
        {
            readonly Socket _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            readonly EndPoint _tracker;
            readonly byte[] _request = new byte[98];
            readonly byte[] _answer = new byte[2048];
            long _connectionId;
            int _tid;

            public Raw(IPEndPoint tracker, int timeoutMs = 2000)
            {
                _tracker = tracker;
                _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                _socket.ReceiveTimeout = timeoutMs;
            }

            public void Connect()
            {
                var c = new byte[16];
                Write64(c, 0, 0x41727101980L);
                Write32(c, 8, 0);
                Write32(c, 12, ++_tid);
                _socket.SendTo(c, _tracker);
                int n = Receive(_tid);
                if (n < 16) throw new InvalidOperationException("short connect answer");
                _connectionId = Read64(_answer, 8);
            }

            /// <summary>One announce; returns its round trip in microseconds.</summary>
            public double Announce(int i)
            {
                var r = _request;
                Write64(r, 0, _connectionId);
                Write32(r, 8, 1);
                Write32(r, 12, ++_tid);
                Buffer.BlockCopy(Hash, 0, r, 16, 20);
                Buffer.BlockCopy(PeerId(i % 1000), 0, r, 36, 20);
                Write64(r, 56, 0); Write64(r, 64, 1000); Write64(r, 72, 0);
                Write32(r, 80, 0); Write32(r, 84, 0); Write32(r, 88, 0); Write32(r, 92, 50);
                int port = 1000 + i % 1000;
                r[96] = (byte)(port >> 8); r[97] = (byte)port;
                long start = Stopwatch.GetTimestamp();
                _socket.SendTo(r, _tracker);
                int n = Receive(_tid);
                double us = (Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency;
                if (n < 20 || Read32(_answer, 0) != 1) throw new InvalidOperationException("not an announce answer (action " + Read32(_answer, 0) + ")");
                return us;
            }

            int Receive(int tid)
            {
                while (true)
                {
                    EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                    int n = _socket.ReceiveFrom(_answer, ref from);
                    if (n >= 8 && Read32(_answer, 4) == tid) return n;
                }
            }

            static void Write32(byte[] b, int o, int v) { b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v; }
            static void Write64(byte[] b, int o, long v) { Write32(b, o, (int)(v >> 32)); Write32(b, o + 4, (int)v); }
            static int Read32(byte[] b, int o) => (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
            static long Read64(byte[] b, int o) => ((long)(uint)Read32(b, o) << 32) | (uint)Read32(b, o + 4);

            public void Dispose() => _socket.Dispose();
        }
    }
}
