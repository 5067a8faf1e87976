using System.Threading;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>Cumulative counts of what a servent did; thread-safe (live links update them from many threads).</summary>
    public sealed class GnutellaCounters
    {
        internal long messagesSent, messagesReceived, queriesDroppedDuplicate, queriesDroppedTtl, queriesRateLimited,
            hitsRoutedBack, hitsDroppedUnknownQuery, queriesDeliveredToLeaves, queriesFilteredByQrp, queriesForwarded,
            queriesReceived, hitsSent;

        public long MessagesSent => Interlocked.Read(ref messagesSent);
        public long MessagesReceived => Interlocked.Read(ref messagesReceived);
        /// <summary>Queries received whose GUID was already seen.</summary>
        public long QueriesDroppedDuplicate => Interlocked.Read(ref queriesDroppedDuplicate);
        /// <summary>Queries not forwarded because their TTL ran out here.</summary>
        public long QueriesDroppedTtl => Interlocked.Read(ref queriesDroppedTtl);
        public long QueriesRateLimited => Interlocked.Read(ref queriesRateLimited);
        /// <summary>QueryHits of other servents passed back along the reverse path.</summary>
        public long HitsRoutedBack => Interlocked.Read(ref hitsRoutedBack);
        /// <summary>QueryHits whose query id this servent never saw, or whose path is gone.</summary>
        public long HitsDroppedUnknownQuery => Interlocked.Read(ref hitsDroppedUnknownQuery);
        public long QueriesDeliveredToLeaves => Interlocked.Read(ref queriesDeliveredToLeaves);
        /// <summary>Query copies an ultrapeer did not pass to a leaf because the leaf's QRP table cannot match.</summary>
        public long QueriesFilteredByQrp => Interlocked.Read(ref queriesFilteredByQrp);
        /// <summary>Query copies sent on to other links (not counting our own searches).</summary>
        public long QueriesForwarded => Interlocked.Read(ref queriesForwarded);
        /// <summary>Queries received (first copies and duplicates).</summary>
        public long QueriesReceived => Interlocked.Read(ref queriesReceived);
        /// <summary>QueryHits this servent answered with from its own files.</summary>
        public long HitsSent => Interlocked.Read(ref hitsSent);

        internal static void Add(ref long counter) => Interlocked.Increment(ref counter);
    }
}
