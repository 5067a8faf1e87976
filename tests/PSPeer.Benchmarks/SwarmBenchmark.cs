using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// BitTorrent over loopback TCP with real files: one seeder to one leecher, and one seeder to four leechers that
    /// know each other. `dotnet run -c Release --project tests/PSPeer.Benchmarks -- swarm [--size-mib 1024] [--swarm-mib 256]`.
    /// </summary>
    static class SwarmBenchmark
    {
        const int PieceLength = 256 * 1024;

        public static async Task<int> RunAsync(string[] args)
        {
            int sizeMib = Program.Option(args, "--size-mib", 1024);
            int swarmMib = Program.Option(args, "--swarm-mib", 256);
            string root = Path.Combine(Path.GetTempPath(), "pspeer-swarm-bench-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(root);
            try
            {
                if (sizeMib > 0) await MeasureAsync(root, "seeder -> leecher", sizeMib, 1);
                if (swarmMib > 0) await MeasureAsync(root, "seeder -> 4 leechers", swarmMib, 4);
                return 0;
            }
            finally
            {
                try { Directory.Delete(root, true); } catch (IOException) { }
            }
        }

        static async Task MeasureAsync(string root, string label, int sizeMib, int leecherCount)
        {
            string dir = Path.Combine(root, label.Replace(' ', '_').Replace(">", ""));
            string seedDir = Path.Combine(dir, "seed");
            Directory.CreateDirectory(seedDir);
            long size = (long)sizeMib * 1024 * 1024;
            var torrent = WriteContentAndTorrent(Path.Combine(seedDir, "payload.bin"), size);
            // Every node on 127.0.0.1: lift the per-address limit to the connection limit, as a local setup should.
            var none = new SwarmOptions { Trackers = new string[0], MaxConnectionsPerAddress = new SwarmOptions().MaxConnections };
            var seeder = new BitTorrentPeer(LiveRuntime.Loopback, "seed", torrent, seedDir, none);
            var leechers = Enumerable.Range(0, leecherCount)
                .Select(i => new BitTorrentPeer(LiveRuntime.Loopback, "leech" + i, torrent, Path.Combine(dir, "leech" + i), none)).ToList();
            try
            {
                await seeder.StartAsync();
                foreach (var l in leechers) await l.StartAsync();
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < leechers.Count; i++)
                {
                    await leechers[i].AddPeerAsync(HostPort.Parse(seeder.EndPoint));
                    for (int j = 0; j < i; j++) await leechers[i].AddPeerAsync(HostPort.Parse(leechers[j].EndPoint));
                }
                await Task.WhenAll(leechers.Select(l => l.WhenCompleted()));
                double seconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"swarm  {label,-22} {sizeMib,6} MiB  {seconds,7:0.00} s  {size * leecherCount / seconds / 1e6,8:0.0} MB/s delivered" +
                    $"  (seeder uploaded {seeder.Uploaded / 1048576.0:0} MiB)");
            }
            finally
            {
                foreach (var l in leechers) await l.StopAsync();
                await seeder.StopAsync();
            }
        }

        /// <summary>Random content and its single-file torrent (256 KiB pieces, as mktorrent -l 18).</summary>
        static TorrentMetainfo WriteContentAndTorrent(string path, long size)
        {
            var hashes = new List<byte>();
            var random = new Random(1);
            var piece = new byte[PieceLength];
            using (var file = File.Create(path))
            using (var sha = SHA1.Create())
            {
                for (long done = 0; done < size; done += PieceLength)
                {
                    int n = (int)Math.Min(PieceLength, size - done);
                    random.NextBytes(piece);
                    file.Write(piece, 0, n);
                    hashes.AddRange(sha.ComputeHash(piece, 0, n));
                }
            }
            var info = new BDictionary();
            info["name"] = new BString(Path.GetFileName(path));
            info["length"] = new BInteger(size);
            info["piece length"] = new BInteger(PieceLength);
            info["pieces"] = new BString(hashes.ToArray());
            var rootDict = new BDictionary();
            rootDict["info"] = info;
            return TorrentMetainfo.Parse(Bencode.Encode(rootDict));
        }
    }
}
