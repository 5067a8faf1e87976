using System.Collections.Generic;
using PSPeer.Engine.Gnutella;

namespace PSPeer.Engine.Networks
{
    /// <summary>The sum of many servents' cumulative counters; the difference of two sums is what happened between.</summary>
    internal sealed class CounterTotals
    {
        public long MessagesSent, MessagesReceived, QueriesReceived, QueriesForwarded, QueriesDroppedDuplicate, QueriesDroppedTtl,
            QueriesRateLimited, HitsSent, HitsRoutedBack, HitsDroppedUnknownQuery, QueriesDeliveredToLeaves, QueriesFilteredByQrp;
        public readonly Dictionary<string, long> SentByType = new Dictionary<string, long>();

        public void Add(GnutellaCounters c)
        {
            MessagesSent += c.MessagesSent;
            MessagesReceived += c.MessagesReceived;
            QueriesReceived += c.QueriesReceived;
            QueriesForwarded += c.QueriesForwarded;
            QueriesDroppedDuplicate += c.QueriesDroppedDuplicate;
            QueriesDroppedTtl += c.QueriesDroppedTtl;
            QueriesRateLimited += c.QueriesRateLimited;
            HitsSent += c.HitsSent;
            HitsRoutedBack += c.HitsRoutedBack;
            HitsDroppedUnknownQuery += c.HitsDroppedUnknownQuery;
            QueriesDeliveredToLeaves += c.QueriesDeliveredToLeaves;
            QueriesFilteredByQrp += c.QueriesFilteredByQrp;
            AddByType(c);
        }

        // Summed by the counters themselves: SentByType made a dictionary per servent.
        void AddByType(GnutellaCounters c) => c.AddSentByName(SentByType);

        public CounterTotals Minus(CounterTotals b)
        {
            var d = new CounterTotals
            {
                MessagesSent = MessagesSent - b.MessagesSent,
                MessagesReceived = MessagesReceived - b.MessagesReceived,
                QueriesReceived = QueriesReceived - b.QueriesReceived,
                QueriesForwarded = QueriesForwarded - b.QueriesForwarded,
                QueriesDroppedDuplicate = QueriesDroppedDuplicate - b.QueriesDroppedDuplicate,
                QueriesDroppedTtl = QueriesDroppedTtl - b.QueriesDroppedTtl,
                QueriesRateLimited = QueriesRateLimited - b.QueriesRateLimited,
                HitsSent = HitsSent - b.HitsSent,
                HitsRoutedBack = HitsRoutedBack - b.HitsRoutedBack,
                HitsDroppedUnknownQuery = HitsDroppedUnknownQuery - b.HitsDroppedUnknownQuery,
                QueriesDeliveredToLeaves = QueriesDeliveredToLeaves - b.QueriesDeliveredToLeaves,
                QueriesFilteredByQrp = QueriesFilteredByQrp - b.QueriesFilteredByQrp,
            };
            foreach (var kv in SentByType)
            {
                b.SentByType.TryGetValue(kv.Key, out long before);
                d.SentByType[kv.Key] = kv.Value - before;
            }
            return d;
        }
    }
}
