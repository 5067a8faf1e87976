using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Where a benchmark leecher's wall time goes, for its log: process start to node running, to the first peer, to the
    /// first block, to complete; the process's CPU time and the GC's share (pauses, collections, bytes allocated).
    /// Samples the node every 20 ms from its own task (the figures are approximate to that).
    /// </summary>
    sealed class LeechPhases
    {
        readonly Stopwatch _clock = Stopwatch.StartNew();
        readonly DateTime _processStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        readonly double _startedAt;   // seconds since process start, when Watch was called (the node is running)
        double _firstPeer = double.NaN, _firstBlock = double.NaN, _half = double.NaN;
        long _total;

        LeechPhases(double startedAt) => _startedAt = startedAt;

        double SinceProcessStart => _startedAt + _clock.Elapsed.TotalSeconds;

        public static LeechPhases Watch(BitTorrentPeer node, CancellationToken cancellationToken)
        {
            double started = (DateTime.UtcNow - Process.GetCurrentProcess().StartTime.ToUniversalTime()).TotalSeconds;
            var phases = new LeechPhases(started) { _total = node.Torrent.TotalSize };
            _ = Task.Run(async () =>
            {
                while (!cancellationToken.IsCancellationRequested && !node.IsComplete)
                {
                    if (double.IsNaN(phases._firstPeer) && node.Peers.Count > 0) phases._firstPeer = phases.SinceProcessStart;
                    long down = node.Downloaded;
                    if (double.IsNaN(phases._firstBlock) && down > 0) phases._firstBlock = phases.SinceProcessStart;
                    if (double.IsNaN(phases._half) && down >= phases._total / 2) phases._half = phases.SinceProcessStart;
                    try { await Task.Delay(20, cancellationToken); } catch (OperationCanceledException) { return; }
                }
            });
            return phases;
        }

        public string Report()
        {
            double done = SinceProcessStart;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            return string.Format(CultureInfo.InvariantCulture,
                "# phases (s since process start): running {0:0.000}, first peer {1:0.000}, first block {2:0.000}, half {3:0.000}, complete {4:0.000}; " +
                "first half {5:0.000} s, second half {6:0.000} s; cpu {7:0.00} s; gc pauses {8:0.000} s, gen0/1/2 {9}/{10}/{11}, allocated {12:0.0} MB",
                _startedAt, _firstPeer, _firstBlock, _half, done, _half - _firstBlock, done - _half, cpu,
                GC.GetTotalPauseDuration().TotalSeconds, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
                GC.GetTotalAllocatedBytes() / 1e6);
        }
    }
}
