using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// PSPeer as a plain BitTorrent client for ../shared/tools/bt-baseline.sh, which measures it beside aria2 and
    /// libtorrent in the same run:
    /// <code>
    /// BT_SEED_CMD='dotnet PSPeer.Benchmarks.dll bt-seed {torrent} {dir} {port}'
    /// BT_LEECH_CMD='dotnet PSPeer.Benchmarks.dll bt-leech {torrent} {dir} {port} {done}'
    /// </code>
    /// bt-seed seeds {dir}/&lt;name&gt; until SIGTERM. bt-leech downloads into {dir} and exits 0 once every piece is
    /// verified, or, given {done}, creates that file then and seeds on until SIGTERM. Peers come from the torrent's
    /// trackers.
    /// </summary>
    static class BtClientCommand
    {
        public static async Task<int> RunAsync(string[] args)
        {
            bool seed = args[0] == "bt-seed";
            if (args.Length < 4 || !int.TryParse(args[3], out int port))
            {
                Console.Error.WriteLine(seed ? "usage: bt-seed TORRENT DIR PORT" : "usage: bt-leech TORRENT DIR PORT [DONE_FILE]");
                return 2;
            }
            string done = !seed && args.Length > 4 ? args[4] : null;
            var runtime = LiveRuntime.Loopback;
            var torrent = TorrentMetainfo.Load(runtime.Storage, Path.GetFullPath(args[1]));
            var node = new BitTorrentPeer(runtime, seed ? "seed" : "leech", torrent, Path.GetFullPath(args[2]), new SwarmOptions
            {
                Port = port,
                // A benchmark swarm puts every client on 127.0.0.1: the per-address limit would cap how many of them meet.
                MaxConnectionsPerAddress = new SwarmOptions().MaxConnections,
            });
            // PSPEER_BT_EVENTS=1: the node's events on stderr, stamped with seconds since the process started (to see
            // where a run's time goes: announce, dial, handshake, unchoke, first piece).
            if (Environment.GetEnvironmentVariable("PSPEER_BT_EVENTS") == "1")
            {
                var processStart = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();
                node.Events.Subscribe(e =>
                {
                    if (e.Type == PeerEventTypes.PieceVerified && node.Have.SetCount % 512 != 1) return;
                    Console.Error.WriteLine($"# {(DateTime.UtcNow - processStart).TotalSeconds:0.000} {e.Type} {e.Remote} {e.Message}");
                });
            }
            using (var terminated = new CancellationTokenSource())
            using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; terminated.Cancel(); }))
            using (PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; terminated.Cancel(); }))
            {
                try
                {
                    await node.StartAsync(terminated.Token);
                    Console.Error.WriteLine($"# {node.Role} {torrent.Name} on {node.EndPoint}, {node.Have.SetCount}/{torrent.PieceCount} pieces");
                    if (!seed)
                    {
                        var phases = LeechPhases.Watch(node, terminated.Token);
                        await node.WhenCompleted(terminated.Token);
                        Console.Error.WriteLine($"# complete: {torrent.TotalSize} bytes in {(node.CompletedAt.Value - node.StartTime).TotalSeconds:0.00} s");
                        Console.Error.WriteLine(phases.Report());
                        if (done == null) return 0;
                        File.WriteAllText(done, "complete\n");
                    }
                    await Task.Delay(Timeout.Infinite, terminated.Token);
                    return 0;
                }
                catch (OperationCanceledException) when (terminated.IsCancellationRequested)
                {
                    return seed || done != null ? 0 : 1;   // a leecher stopped before completing has failed
                }
                finally
                {
                    await node.StopAsync();
                }
            }
        }
    }
}
