using System;
using System.Collections.Generic;
using System.Globalization;
using static System.FormattableString;
using System.Linq;

namespace PSPeer.Charts
{
    /// <summary>
    /// Gnutella flooding from Measure-PeerNetwork: query messages per TTL against the 2|E| bound, and nodes reached per
    /// TTL against breadth-first search over the links (what a perfect flood reaches).
    /// <para>Measurements of floods with different TTLs (one Measure-PeerNetwork -Reset per TTL) are a sweep: one point
    /// per TTL, from each measurement's messages per flood and mean reach. A single measurement (or several of one TTL)
    /// is read hop by hop: the messages and nodes within h hops of a flood are what a TTL-h flood costs and reaches.</para>
    /// </summary>
    internal sealed class FloodChart : IChartBuilder
    {
        /// <summary>Hops a measurement reports (NetworkMeasurement's ReachByHops and friends: h = 1..7).</summary>
        const int ReportedHops = 7;

        public PeerChartKind Kind => PeerChartKind.Flood;

        public bool Takes(object input) => input is PeerNetworkMeasurement;

        public ChartFigure Build(IReadOnlyList<object> inputs, string title)
        {
            var measured = inputs.OfType<PeerNetworkMeasurement>().Where(m => m.Floods > 0).ToList();
            if (measured.Count == 0)
                throw new ChartInputException(CmdletErrorIds.ChartInputEmpty,
                    "None of the measurements saw a flood, so there is nothing to draw.",
                    "Search first (Find-PeerFile -Via $net.Nodes[0] -Ttl 4), then pipe the network to Measure-PeerNetwork and Export-PeerChart.");

            var networks = measured.GroupBy(m => m.Network).ToList();
            var first = measured[0];
            var figure = new ChartFigure(Kind, title ?? (networks.Count == 1
                ? Invariant($"Gnutella flooding: {first.Nodes:N0} nodes, {first.Links:N0} links")
                : "Gnutella flooding"));
            var messages = figure.Add(new ChartPanel("flood-messages", "Query messages per flood", "TTL", "Query messages") { WholeX = true });
            var reach = figure.Add(new ChartPanel("flood-reach", "Nodes reached per flood", "TTL", "Nodes reached") { WholeX = true });

            foreach (var network in networks)
            {
                var list = network.ToList();
                string of = networks.Count > 1 ? $" ({network.Key})" : "";
                bool sweep = list.Select(m => m.FloodTtl).Where(t => t > 0).Distinct().Count() > 1;
                var rows = sweep ? Sweep(list) : HopByHop(list);
                var cost = messages.Add(new ChartSeries("messages" + of, SeriesRole.Measured, SeriesShape.LineWithMarkers));
                var bound = messages.Add(new ChartSeries($"2|E| bound{of}", SeriesRole.Reference, SeriesShape.Line));
                var reached = reach.Add(new ChartSeries("nodes reached" + of, SeriesRole.Measured, SeriesShape.LineWithMarkers));
                var bfs = reach.Add(new ChartSeries("BFS reach (perfect flood)" + of, SeriesRole.Reference, SeriesShape.Line));
                foreach (var r in rows)
                {
                    cost.Add(r.Ttl, r.Messages);
                    bound.Add(r.Ttl, r.Bound);
                    reached.Add(r.Ttl, r.Reached);
                    bfs.Add(r.Ttl, r.Bfs);
                }
                var m0 = list[0];
                figure.Note(string.Format(CultureInfo.InvariantCulture, "Network '{0}': {1:N0} nodes, {2:N0} links ({3}), 2|E| = {4:N0}. {5}",
                    network.Key, m0.Nodes, m0.Links, m0.Simulated ? "simulated" : "live", m0.MessageBound,
                    sweep ? Invariant($"One point per TTL from {Measurements(list.Count)} (each Measure-PeerNetwork -Reset after floods of one TTL).")
                            : Invariant($"Read hop by hop from {Floods(list.Sum(m => m.Floods))} sent with TTL {TtlOf(list)}: the messages and nodes within h hops are what a TTL-h flood costs and reaches.")));
            }
            return figure;
        }

        struct Row { public int Ttl; public double Messages, Bound, Reached, Bfs; }

        /// <summary>One row per TTL the floods were sent with (measurements of the same TTL averaged).</summary>
        static IEnumerable<Row> Sweep(List<PeerNetworkMeasurement> list) =>
            list.Where(m => m.FloodTtl > 0).GroupBy(m => Math.Min(m.FloodTtl, ReportedHops)).OrderBy(g => g.Key).Select(g => new Row
            {
                Ttl = g.Key,
                Messages = g.Average(m => m.QueryMessagesPerFlood),
                Bound = g.Max(m => m.MessageBound),
                Reached = g.Average(m => m.MeanReach),
                Bfs = g.Average(m => At(m.AnalyticReachByTtl, g.Key)),
            });

        /// <summary>One row per hop up to the TTL the floods were sent with (7 when unknown).</summary>
        static IEnumerable<Row> HopByHop(List<PeerNetworkMeasurement> list)
        {
            int ttl = TtlOf(list);
            for (int h = 1; h <= ttl; h++)
                yield return new Row
                {
                    Ttl = h,
                    Messages = list.Average(m => At(m.QueryMessagesByHops, h)),
                    Bound = list.Max(m => m.MessageBound),
                    Reached = list.Average(m => At(m.ReachByHops, h)),
                    Bfs = list.Average(m => At(m.AnalyticReachByTtl, h)),
                };
        }

        static int TtlOf(List<PeerNetworkMeasurement> list)
        {
            int ttl = list.Max(m => m.FloodTtl);
            return ttl <= 0 || ttl > ReportedHops ? ReportedHops : ttl;
        }

        /// <summary>Element h-1 of a per-hop list, 0 where the list is missing or shorter.</summary>
        static double At(IReadOnlyList<double> perHop, int h) => perHop != null && h >= 1 && h <= perHop.Count ? perHop[h - 1] : 0;

        static string Measurements(int n) => n == 1 ? "1 measurement" : $"{n} measurements";
        static string Floods(long n) => n == 1 ? "1 flood" : Invariant($"{n:N0} floods");
    }
}
