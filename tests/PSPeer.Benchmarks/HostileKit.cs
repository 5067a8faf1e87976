using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Napster;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// The heavy attacks, rerunnable: `dotnet run -c Release --project tests/PSPeer.Benchmarks -- hostile
    /// [--kind index|http|tracker|seeder|servent|all] [--connections 25000] [--hold 20] [--limits default|open]`.
    /// One node runs in a child process (the target); attacker child processes (10,000 connections each, the most one
    /// process may hold here) open idle TCP connections to it from 127.1.x.y addresses and hold them; meanwhile an
    /// honest client from 127.0.0.250 must be served. Prints whether the node survived, what it accepted and refused,
    /// and its resident memory before and under attack. `--limits open` lifts the node's connection caps, so only the
    /// process-wide descriptor budget stands between the attack and EMFILE (which used to abort the process).
    /// Everything is bounded: attackers exit after --hold seconds, the target when the kit is done.
    /// </summary>
    static class HostileKit
    {
        const string HonestAddress = "127.0.0.250";
        const int PerAttacker = 10_000;
        static readonly string[] Kinds = { "index", "http", "tracker", "seeder", "servent" };

        public static async Task<int> RunAsync(string[] args)
        {
            string kind = Program.Text(args, "--kind", "all");
            int connections = Program.Option(args, "--connections", 25_000);
            int hold = Program.Option(args, "--hold", 20);
            string limits = Program.Text(args, "--limits", "open");
            Console.WriteLine($"# hostile: {connections:N0} idle connections against one node in a child process, held {hold} s; node limits: {limits}");
            int failures = 0;
            foreach (var k in kind == "all" ? Kinds : new[] { kind })
                if (!await AttackOneAsync(k, connections, hold, limits)) failures++;
            return failures == 0 ? 0 : 1;
        }

        static Process Child(string arguments)
        {
            string process = Environment.ProcessPath;
            bool viaDotnet = Path.GetFileNameWithoutExtension(process) == "dotnet";
            string dll = typeof(HostileKit).Assembly.Location;
            var psi = new ProcessStartInfo(process, $"{(viaDotnet ? "\"" + dll + "\" " : "")}{arguments}")
            { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            return Process.Start(psi);
        }

        static async Task<bool> AttackOneAsync(string kind, int connections, int hold, string limits)
        {
            using var target = Child($"hostile-target {kind} {limits}");
            var ready = (await target.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))?.Split(' ');
            if (ready == null || ready[0] != "READY") { Console.WriteLine($"{kind,-8} target did not start: {target.StandardError.ReadToEnd()}"); return false; }
            string endPoint = ready[1];
            long rssBefore = Rss(target.Id);
            var attackers = new List<Process>();
            for (int a = 0; a * PerAttacker < connections; a++)
                attackers.Add(Child($"hostile-attack {endPoint} {a} {Math.Min(PerAttacker, connections - a * PerAttacker)} {hold}"));
            // Each attacker says OPENED once its connections are made; the honest client comes after.
            int opened = 0;
            foreach (var a in attackers)
            {
                var line = await a.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(hold + 120));
                if (line != null && line.StartsWith("OPENED ")) opened += int.Parse(line.Substring(7));
            }
            long rssUnder = Rss(target.Id);
            var sw = Stopwatch.StartNew();
            string honest;
            try { honest = await HonestAsync(kind, ready).WaitAsync(TimeSpan.FromSeconds(30)); }
            catch (Exception e) { honest = "NOT served: " + e.GetBaseException().Message; }
            double honestMs = sw.Elapsed.TotalMilliseconds;
            await target.StandardInput.WriteLineAsync("stats");
            string stats = target.HasExited ? "(exited)" : await target.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            long rssAfterGc = Rss(target.Id);   // the stats line ran a full GC: garbage from refused connections is gone
            long held = 0;
            foreach (var a in attackers)
            {
                var line = await a.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(hold + 120));
                if (line != null && line.StartsWith("HELD ")) held += long.Parse(line.Substring(5));
                a.WaitForExit(30_000);
                a.Dispose();
            }
            bool alive = !target.HasExited;
            target.StandardInput.Close();
            if (!target.WaitForExit(30_000)) target.Kill();
            bool served = honest.StartsWith("served");
            Console.WriteLine($"{kind,-8} node alive: {(alive ? "yes" : "NO, exit " + target.ExitCode)}; honest client {honest} ({honestMs:F0} ms); " +
                              $"{opened:N0} attack connections made, {held:N0} still held at the end; RSS {rssBefore / 1048576.0:F0} MiB before, {rssUnder / 1048576.0:F0} MiB under attack ({rssAfterGc / 1048576.0:F0} MiB after a full GC); {stats}");
            return alive && served;
        }

        static long Rss(int pid)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                    if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }
            catch (IOException) { }
            return 0;
        }

        /// <summary>What an honest client of each kind does, from its own address.</summary>
        static async Task<string> HonestAsync(string kind, string[] ready)
        {
            var runtime = new LiveRuntime(HonestAddress);
            var ep = HostPort.Parse(ready[1]);
            switch (kind)
            {
                case "index":
                    using (var peer = new NapsterPeer(runtime, "honest", ep, null, 0))
                    {
                        await peer.StartAsync();
                        await peer.StopAsync();
                    }
                    return "served (logged in)";
                case "http":
                    using (var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                    {
                        s.Bind(new IPEndPoint(IPAddress.Parse(HonestAddress), 0));
                        await s.ConnectAsync(IPAddress.Parse(ep.Host), ep.Port);
                        s.Send(Encoding.ASCII.GetBytes($"GET {ready[2]} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
                        var buffer = new byte[64];
                        s.ReceiveTimeout = 20_000;
                        int n = s.Receive(buffer);
                        string line = Encoding.ASCII.GetString(buffer, 0, n);
                        return line.StartsWith("HTTP/1.1 200") ? "served (200)" : "NOT served: " + line.Split('\r')[0];
                    }
                case "tracker":
                    var answer = await new TrackerClient(runtime).AnnounceAsync("http://" + ready[1] + "/announce",
                        new AnnounceRequest { InfoHash = new InfoHash(new byte[20]), PeerId = Encoding.ASCII.GetBytes("-PS0001-honesthonest"), Port = 6881, Left = 0, Event = AnnounceEvent.Started, Compact = true });
                    return "served (announce answered)";
                case "seeder":
                    var torrent = TorrentMetainfo.Load(runtime.Storage, ready[2]);
                    string dir = Path.Combine(Path.GetTempPath(), "pspeer-hostile-leech-" + Environment.ProcessId);
                    using (var leecher = new BitTorrentPeer(runtime, "honest", torrent, dir, new SwarmOptions { Trackers = new string[0] }))
                    {
                        await leecher.StartAsync();
                        await leecher.AddPeerAsync(ep);
                        await leecher.WhenCompleted();
                        await leecher.StopAsync();
                    }
                    Directory.Delete(dir, true);
                    return "served (downloaded and verified)";
                case "servent":
                    using (var servent = new GnutellaServent(runtime, "honest", new GnutellaOptions { Role = GnutellaRole.Ultrapeer, AutoConnect = false }))
                    {
                        await servent.StartAsync();
                        await servent.ConnectAsync(ep);
                        await servent.StopAsync();
                    }
                    return "served (linked)";
            }
            throw new ArgumentException("unknown kind " + kind);
        }

        /// <summary>Child: one node of <paramref name="args"/>[1]'s kind; "stats" on stdin prints a line; stdin closed stops it.</summary>
        public static async Task<int> TargetAsync(string[] args)
        {
            string kind = args[1];
            bool open = args.Length > 2 && args[2] == "open";
            var runtime = LiveRuntime.Loopback;
            string dir = Path.Combine(Path.GetTempPath(), "pspeer-hostile-target-" + Environment.ProcessId);
            Directory.CreateDirectory(dir);
            PeerNodeBase node = null;
            HttpFileServer http = null;
            string extra = "";
            var limits = open ? new ConnectionLimits { MaxConnections = 1_000_000, MaxConnectionsPerAddress = 1_000_000 } : new ConnectionLimits();
            try
            {
                switch (kind)
                {
                    case "index": node = new NapsterIndexServer(runtime, "target", 0); break;
                    case "tracker": node = new BitTorrentTracker(runtime, "target", 0); break;
                    case "servent": node = new GnutellaServent(runtime, "target", new GnutellaOptions { Role = GnutellaRole.Ultrapeer, AutoConnect = false }); break;
                    case "seeder":
                        var content = new byte[4 << 20];
                        new Random(3).NextBytes(content);
                        File.WriteAllBytes(Path.Combine(dir, "data.bin"), content);
                        var torrent = TorrentBuilder.Create("data.bin", content, new TorrentBuildOptions());
                        extra = Path.Combine(dir, "data.torrent");
                        File.WriteAllBytes(extra, torrent.ToBytes());
                        node = new BitTorrentPeer(runtime, "target", torrent, dir, new SwarmOptions { Trackers = new string[0] });
                        break;
                    case "http":
                        File.WriteAllBytes(Path.Combine(dir, "small.txt"), Encoding.ASCII.GetBytes("small and honest"));
                        var folder = new SharedFolder(runtime.Storage, dir, new HashCache());
                        await folder.ScanAsync();
                        http = new HttpFileServer(runtime, folder, null) { Limits = ConnectionLimits.For(ServerKind.HttpFileServer).WithOverrides(limits) };
                        extra = "/get/" + folder.Files[0].Index + "/small.txt";
                        break;
                    default: Console.Error.WriteLine("unknown kind " + kind); return 2;
                }
                string endPoint;
                if (node != null)
                {
                    node.Limits = limits;
                    await node.StartAsync();
                    endPoint = node.EndPoint;
                }
                else
                {
                    await http.StartAsync(0);
                    endPoint = http.EndPoint;
                }
                Console.WriteLine($"READY {endPoint} {extra}");
                string line;
                while ((line = await Console.In.ReadLineAsync()) != null)
                {
                    if (line != "stats") continue;
                    var gate = http?.Admission ?? node?.Admission;
                    var budget = DescriptorBudget.Process;
                    Console.WriteLine($"node open {gate?.OpenCount}, refused {gate?.RefusedCount:N0}, timed out {gate?.TimedOutCount:N0}; descriptors {budget}; live managed heap {GC.GetTotalMemory(true) / 1048576.0:F0} MiB");
                }
            }
            finally
            {
                if (node != null) await node.StopAsync();
                if (http != null) await http.StopAsync();
                Directory.Delete(dir, true);
            }
            return 0;
        }

        /// <summary>Child: opens <c>count</c> idle connections from 127.1.(index).x addresses, says OPENED n, holds them, says HELD n.</summary>
        public static async Task<int> AttackAsync(string[] args)
        {
            var target = HostPort.Parse(args[1]);
            int index = int.Parse(args[2]), count = int.Parse(args[3]), hold = int.Parse(args[4]);
            var address = IPAddress.Parse(target.Host);
            var sockets = new Socket[count];
            int opened = 0;
            using var gate = new SemaphoreSlim(256);
            var tasks = Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    sockets[i] = s;
                    s.Bind(new IPEndPoint(IPAddress.Parse($"127.1.{index * 50 + i / 200}.{1 + i % 200}"), 0));
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await s.ConnectAsync(new IPEndPoint(address, target.Port), cts.Token);
                    Interlocked.Increment(ref opened);
                }
                catch (Exception) { }
                finally { gate.Release(); }
            }).ToArray();
            await Task.WhenAll(tasks);
            Console.WriteLine("OPENED " + opened);
            await Task.Delay(TimeSpan.FromSeconds(hold));
            int held = 0;
            foreach (var s in sockets)
            {
                if (s == null) continue;
                try { if (s.Connected && !(s.Poll(0, SelectMode.SelectRead) && s.Available == 0)) held++; } catch (Exception) { }
                s.Dispose();
            }
            Console.WriteLine("HELD " + held);
            return 0;
        }
    }
}
