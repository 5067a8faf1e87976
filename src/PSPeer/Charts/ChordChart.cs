using System;
using System.Collections.Generic;
using System.Linq;
using static System.FormattableString;

namespace PSPeer.Charts
{
    /// <summary>
    /// Chord rings from Measure-PeerNetwork, one point per ring size: the lookups' hops (mean, 1st and 99th
    /// percentiles) against the paper's ½·log2 N on a base-2 log axis, and the keys per host (mean, p1, p99) when
    /// keys were stored (Invoke-PeerSimulation -Keys). Measurements of rings of one size are averaged into one point;
    /// a single measurement is one point per series.
    /// </summary>
    internal sealed class ChordChart : IChartBuilder
    {
        public PeerChartKind Kind => PeerChartKind.Chord;

        public bool Takes(object input) => input is PeerChordMeasurement;

        public ChartFigure Build(IReadOnlyList<object> inputs, string title)
        {
            var all = inputs.OfType<PeerChordMeasurement>().ToList();
            var looked = all.Where(m => m.Lookups > m.FailedLookups).ToList();
            var keyed = all.Where(m => m.Keys > 0 && m.Hosts > 0).ToList();
            if (looked.Count == 0 && keyed.Count == 0)
                throw new ChartInputException(CmdletErrorIds.ChartInputEmpty,
                    all.Count == 0 ? "No Chord measurements were piped in, so there is nothing to draw."
                                   : "None of the Chord measurements saw a successful lookup or a stored key, so there is nothing to draw.",
                    "Run lookups and store keys first (Invoke-PeerSimulation -Lookups 200 -Keys 1000), then pipe the ring to Measure-PeerNetwork and Export-PeerChart.");

            var sizes = all.Select(m => m.Nodes).Distinct().OrderBy(n => n).ToList();
            var figure = new ChartFigure(Kind, title ?? (sizes.Count == 1
                ? Invariant($"Chord: {sizes[0]:N0} nodes")
                : Invariant($"Chord: {sizes[0]:N0} to {sizes[sizes.Count - 1]:N0} nodes")));

            if (looked.Count > 0)
            {
                var hops = figure.Add(new ChartPanel("chord-hops", "Hops per lookup", "Nodes N (log2)", "Hops") { LogXBase2 = true, LegendTopLeft = true });
                var mean = hops.Add(new ChartSeries("mean hops", SeriesRole.Measured, SeriesShape.LineWithMarkers));
                var p1 = hops.Add(new ChartSeries("p1 hops", SeriesRole.Measured, SeriesShape.LineWithMarkers));
                var p99 = hops.Add(new ChartSeries("p99 hops", SeriesRole.Measured, SeriesShape.LineWithMarkers));
                var half = hops.Add(new ChartSeries("½·log2 N", SeriesRole.Reference, SeriesShape.Line));
                foreach (var g in looked.GroupBy(m => m.Nodes).OrderBy(g => g.Key))
                {
                    mean.Add(g.Key, g.Average(m => m.MeanHops));
                    p1.Add(g.Key, g.Average(m => m.HopsP1));
                    p99.Add(g.Key, g.Average(m => m.HopsP99));
                    half.Add(g.Key, 0.5 * Math.Log(g.Key, 2));
                }
                figure.Note(Invariant($"Hops from {Lookups(looked.Sum(m => (long)m.Lookups))} over {Rings(looked)}; the first node asked is hop 0. The paper predicts a mean of ½·log2 N."));
            }
            else figure.Note("No hops drawn: no lookup succeeded (Invoke-PeerSimulation -Lookups).");

            if (keyed.Count > 0)
            {
                var load = figure.Add(new ChartPanel("chord-keys", "Keys per host", "Hosts (log2)", "Keys") { LogXBase2 = true, LegendTopLeft = true });
                var mean = load.Add(new ChartSeries("mean keys", SeriesRole.Measured, SeriesShape.LineWithMarkers));
                var p1 = load.Add(new ChartSeries("p1 keys", SeriesRole.Measured, SeriesShape.LineWithMarkers));
                var p99 = load.Add(new ChartSeries("p99 keys", SeriesRole.Measured, SeriesShape.LineWithMarkers));
                foreach (var g in keyed.GroupBy(m => m.Hosts).OrderBy(g => g.Key))
                {
                    mean.Add(g.Key, g.Average(m => m.KeyLoadMean));
                    p1.Add(g.Key, g.Average(m => m.KeyLoadP1));
                    p99.Add(g.Key, g.Average(m => m.KeyLoadP99));
                }
                figure.Note(Invariant($"Keys per live host as owner, over {Rings(keyed)}; p99/mean {keyed.Min(m => m.KeyLoadP99OverMean):0.##} to {keyed.Max(m => m.KeyLoadP99OverMean):0.##} (the paper: about 4.6 with one node per host, toward 1.6 with more virtual nodes)."));
            }
            else figure.Note("No key load drawn: no keys were stored (Invoke-PeerSimulation -Keys).");

            if (all.Any(m => !m.Simulated)) figure.Note("Some rings were live.");
            return figure;
        }

        static string Lookups(long n) => n == 1 ? "1 lookup" : Invariant($"{n:N0} lookups");
        /// <summary>How many rings were measured (one measurement each; rings rebuilt under one name still count apart).</summary>
        static string Rings(List<PeerChordMeasurement> list) => list.Count == 1 ? "1 ring" : Invariant($"{list.Count} ring measurements");
    }
}
