using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using static System.FormattableString;

namespace PSPeer.Charts
{
    /// <summary>
    /// A torrent swarm's completion times as a CDF: the fraction of leechers holding the whole file by time t, from
    /// leecher nodes (CompletedAt - StartTime) or Receive-PeerFile's PeerDownload results of torrents (Duration). Against the lower
    /// bound (<see cref="SwarmLowerBound"/>) when the inputs are the swarm's nodes and every uploader, seeds included
    /// (piped in or running in the session), has an upload limit.
    /// </summary>
    internal sealed class SwarmChart : IChartBuilder
    {
        public PeerChartKind Kind => PeerChartKind.Swarm;

        public bool Takes(object input) =>
            input is PeerDownload download && download.InfoHash != null || input is PeerNode node && node.Engine is BitTorrentPeer;

        public ChartFigure Build(IReadOnlyList<object> inputs, string title)
        {
            var nodes = inputs.OfType<PeerNode>().Where(n => n.Engine is BitTorrentPeer).ToList();
            var leechers = nodes.Where(n => n.Role == "Leecher").ToList();
            var downloads = inputs.OfType<PeerDownload>().Where(d => d.InfoHash != null).ToList();
            int total = leechers.Count + downloads.Count;
            var times = leechers.Where(n => n.CompletedAt.HasValue).Select(n => (n.CompletedAt.Value - n.StartTime).TotalSeconds)
                .Concat(downloads.Where(d => d.Verified).Select(d => d.Duration.TotalSeconds))
                .OrderBy(t => t).ToList();
            if (times.Count == 0)
                throw new ChartInputException(CmdletErrorIds.ChartInputEmpty,
                    total == 0 ? "No leecher nodes or downloads were piped in, so there is no completion time to draw."
                               : $"None of the {total} leechers has completed yet, so there is no completion time to draw.",
                    "Pipe leecher nodes once their Progress is 1 (or Receive-PeerFile results) to Export-PeerChart.");

            string name = TorrentName(leechers, nodes, downloads);
            var figure = new ChartFigure(Kind, title ?? Invariant($"Swarm completion: {name}, {total} leechers"));
            var panel = figure.Add(new ChartPanel("swarm-completion", "Completion time CDF", "Completion time (s)", "Fraction of leechers complete")
            {
                YMaximum = 1,
                XFromZero = true,
                LegendTopLeft = true,
            });
            var cdf = panel.Add(new ChartSeries("leechers complete", SeriesRole.Measured, SeriesShape.Steps));
            for (int i = 0; i < times.Count; i++) cdf.Add(times[i], (i + 1) / (double)total);
            if (times.Count < total) figure.Note(Invariant($"{total - times.Count} of {total} leechers had not completed."));

            string why = "Receive-PeerFile results carry no upload limit";
            var bound = downloads.Count == 0 ? Bound(leechers, nodes, out why) : null;
            if (bound.HasValue)
            {
                double t = bound.Value.TotalSeconds;
                panel.Add(new ChartSeries(Invariant($"lower bound ({t:0.##} s)"), SeriesRole.Reference, SeriesShape.Line)).Add(t, 0).Add(t, 1);
                figure.Note(Invariant($"Lower bound max(F/u_seed, F/d_min, N·F/(u_seed + Σu_i)) = {t:0.##} s: no swarm with these upload limits completes every leecher sooner."));
            }
            else figure.Note("No lower bound drawn: " + why + ".");
            return figure;
        }

        static string TorrentName(List<PeerNode> leechers, List<PeerNode> nodes, List<PeerDownload> downloads) =>
            (leechers.Concat(nodes).Select(n => ((BitTorrentPeer)n.Engine).Torrent.Name).FirstOrDefault()
             ?? downloads.Select(d => d.Name).FirstOrDefault()) ?? "torrent";

        /// <summary>The bound from the leechers' torrent and limits, with the seeds piped in or running in the session.</summary>
        static TimeSpan? Bound(List<PeerNode> leechers, List<PeerNode> nodes, out string why)
        {
            why = null;
            if (leechers.Count == 0) { why = "no leecher nodes were piped in"; return null; }
            var torrent = ((BitTorrentPeer)leechers[0].Engine).Torrent;
            string hash = torrent.InfoHash.Hex;
            if (leechers.Any(l => l.InfoHash != hash)) { why = "the leechers share different torrents"; return null; }
            var seeds = nodes.Concat(NodeRegistry.GetNodes())
                .Where(n => n.Role == "Seeder" && n.InfoHash == hash).Distinct().ToList();
            if (seeds.Count == 0) { why = "no seeder of this torrent was piped in or runs in the session"; return null; }
            var up = seeds.Concat(leechers).Select(Options).ToList();
            if (up.Any(o => o.UploadLimitBytesPerSecond <= 0)) { why = "every seeder and leecher needs an upload limit (Start-PeerNode -UploadLimit)"; return null; }
            return SwarmLowerBound.Of(torrent.TotalSize,
                seeds.Select(s => Options(s).UploadLimitBytesPerSecond).ToList(),
                leechers.Select(l => Options(l).UploadLimitBytesPerSecond).ToList(),
                leechers.Select(l => Options(l).DownloadLimitBytesPerSecond).ToList());
        }

        static SwarmOptions Options(PeerNode node) => ((BitTorrentPeer)node.Engine).Options;
    }
}
