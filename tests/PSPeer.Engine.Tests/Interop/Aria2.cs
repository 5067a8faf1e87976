using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Tests.Interop
{
    /// <summary>
    /// aria2c as a BitTorrent seeder or leecher on loopback: no DHT, no local peer discovery, no peer exchange, IPv4
    /// only, bound to 127.0.0.1, so the only way it finds peers is the torrent's tracker.
    /// </summary>
    public static class Aria2
    {
        public const string ToolName = "aria2c";

        /// <summary>Flags every loopback run uses (learned from shared/tools/bt-baseline.sh).</summary>
        public static readonly string[] LoopbackFlags =
        {
            "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false",
            "--interface=127.0.0.1", "--disable-ipv6=true", "--file-allocation=none", "--follow-torrent=false",
            "--summary-interval=0", "--bt-stop-timeout=0", "--console-log-level=warn", "--no-conf=true",
            "--bt-tracker-interval=1", "--bt-tracker-connect-timeout=5", "--bt-tracker-timeout=5",
        };

        /// <summary>
        /// Seeds <paramref name="torrentPath"/> from <paramref name="directory"/> (which holds the torrent's content under
        /// its name) on <paramref name="port"/> until killed. aria2 checks the data first, then announces "started" with left=0.
        /// </summary>
        public static ToolProcess Seed(string torrentPath, string directory, int port, params string[] extraArgs)
        {
            var args = new List<string>(LoopbackFlags)
            {
                // ratio 0.0 and no --seed-time: seed until killed.
                "--check-integrity=true", "--seed-ratio=0.0", "--listen-port=" + port, "-d", directory,
            };
            args.AddRange(extraArgs);
            args.Add(torrentPath);
            return ToolProcess.Start(ToolName, args, directory);
        }

        /// <summary>
        /// Downloads <paramref name="torrentPath"/> into <paramref name="directory"/> and exits 0 once complete and
        /// verified (--seed-time=0). aria2 has no command-line option to add a peer by address: it finds peers through
        /// the torrent's tracker only.
        /// </summary>
        public static ToolProcess Download(string torrentPath, string directory, int port, params string[] extraArgs)
        {
            var args = new List<string>(LoopbackFlags)
            {
                "--seed-time=0", "--listen-port=" + port, "-d", directory,
            };
            args.AddRange(extraArgs);
            args.Add(torrentPath);
            return ToolProcess.Start(ToolName, args, directory);
        }
    }
}
