using System;
using System.Collections.Generic;
using System.Linq;

namespace PSPeer.Engine.Networks
{
    // Measuring: counter deltas since the baseline, traced floods, recorded searches, churn.
    public sealed partial class GnutellaNetwork
    {
        /// <summary>Most distinct search origins whose BFS reach is computed (each BFS costs O(nodes + links)).</summary>
        const int MaxAnalyticOrigins = 32;
        const int ReportedHops = 7;

        /// <summary>Starts a new measurement period: counters, traced floods, searches and churn counts start from zero.</summary>
        public void ResetMeasurement()
        {
            _baseline = Totals();
            _tracer?.Reset();
            _searches.Reset();
            _measureStart = _clock.Now;
            ResetChurnCounts();
        }

        /// <summary>What happened since the network was built or <see cref="ResetMeasurement"/> was last called.</summary>
        /// <remarks>Read a simulated network while it is idle (not inside Run).</remarks>
        public NetworkMeasurement Measure()
        {
            var delta = Totals().Minus(_baseline);
            var (records, hitHops) = _searches.Snapshot();
            var floods = _tracer?.Snapshot() ?? new List<FloodTrace>();
            int hits = hitHops.Values.Sum();
            var m = new NetworkMeasurement
            {
                Nodes = _layout.Count,
                Links = _layout.Links.Count,
                Duration = _clock.Now - _measureStart,
                Searches = records.Count,
                Hits = hits,
                HitHops = new SortedDictionary<int, int>(hitHops),
                MeanHitHops = hits == 0 ? 0 : hitHops.Sum(kv => (double)kv.Key * kv.Value) / hits,
                Floods = _tracer?.FloodsSeen ?? 0,
                MeanReach = floods.Count == 0 ? 0 : floods.Average(f => (double)f.Reached),
                ReachByHops = MeanReachByHops(floods),
                AnalyticReachByTtl = AnalyticReach(records),
                MessagesSent = delta.MessagesSent,
                MessagesByType = new SortedDictionary<string, long>(delta.SentByType),
                QueryMessages = delta.QueriesReceived,
                Duplicates = delta.QueriesDroppedDuplicate,
                DroppedTtl = delta.QueriesDroppedTtl,
                RateLimited = delta.QueriesRateLimited,
                HitsRoutedBack = delta.HitsRoutedBack,
                HitsDropped = delta.HitsDroppedUnknownQuery,
                QueriesDeliveredToLeaves = delta.QueriesDeliveredToLeaves,
                QueriesFilteredByQrp = delta.QueriesFilteredByQrp,
                NodesLeft = _nodesLeft,
                NodesJoined = _nodesJoined,
                QueryMessagesByHops = MeanWithinHops(floods, f => f.CopiesAtHops),
                FloodTtl = floods.Count == 0 ? 0 : floods.Max(f => f.Ttl),
            };
            m.QueryMessagesPerFlood = m.Floods == 0 ? 0 : (double)m.QueryMessages / m.Floods;
            m.MessagesPerSearch = m.Searches == 0 ? 0 : (double)m.MessagesSent / m.Searches;
            return m;
        }

        CounterTotals Totals()
        {
            var totals = new CounterTotals();
            foreach (var n in _nodes) if (n != null) totals.Add(n.Counters);
            lock (_retired) foreach (var n in _retired) totals.Add(n.Counters);
            return totals;
        }

        static double[] MeanReachByHops(List<FloodTrace> floods) => MeanWithinHops(floods, f => f.FirstReachedAtHops);

        /// <summary>Element h-1: the mean over floods of what <paramref name="atHops"/> counts within h hops.</summary>
        static double[] MeanWithinHops(List<FloodTrace> floods, Func<FloodTrace, IReadOnlyList<int>> atHops)
        {
            var within = new double[ReportedHops];
            if (floods.Count == 0) return within;
            foreach (var f in floods)
            {
                var counts = atHops(f);
                int cumulative = 0;
                for (int h = 1; h <= ReportedHops; h++)
                {
                    // A node counts the hop it arrived on; the first neighbours see hops 0 (as sent) or 1 (after the increment).
                    cumulative += counts[h];
                    if (h == 1) cumulative += counts[0];
                    within[h - 1] += cumulative;
                }
            }
            for (int h = 0; h < ReportedHops; h++) within[h] /= floods.Count;
            return within;
        }

        double[] AnalyticReach(List<SearchLog.Record> records)
        {
            var reach = new double[ReportedHops];
            var origins = records.Select(r => r.Origin).Distinct().Take(MaxAnalyticOrigins).ToList();
            if (origins.Count == 0) return reach;
            foreach (int origin in origins)
            {
                var r = _layout.All.ReachByTtl(origin, ReportedHops);
                for (int t = 0; t < ReportedHops; t++) reach[t] += r[t];
            }
            for (int t = 0; t < ReportedHops; t++) reach[t] /= origins.Count;
            return reach;
        }
    }
}
