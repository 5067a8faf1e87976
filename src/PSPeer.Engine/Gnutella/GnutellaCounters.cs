using System;
using System.Collections.Generic;
using System.Threading;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>Cumulative counts of what a servent did; thread-safe (live links update them from many threads).</summary>
    /// <remarks>
    /// A simulated servent is only ever run by its simulation's one loop (and read between runs), so its counts are
    /// plain additions: an interlocked one is a fenced instruction, and each descriptor sent and received paid three
    /// of them on a line that is rarely in the cache at a hundred thousand servents. Live counts stay interlocked.
    /// Readers use Interlocked.Read either way (a long is read whole on 32-bit hosts too).
    /// </remarks>
    public sealed class GnutellaCounters
    {
        /// <summary>Counters for a servent run by more than one thread (live); <see cref="GnutellaCounters(bool)"/> for a simulated one.</summary>
        public GnutellaCounters() : this(singleThreaded: false) { }

        /// <param name="singleThreaded">True when only one thread at a time ever updates these counts (a simulation's loop).</param>
        internal GnutellaCounters(bool singleThreaded) => _singleThreaded = singleThreaded ? 1 : 0;

        // The runtime lays fields out by size, longs first in the order declared: the mode (a long for that reason) and
        // the counts every routed query touches come first, on one or two cache lines; the by-type counts are fields too,
        // not an array (one object less to reach per descriptor). Nothing is counted twice: the messages of all types are
        // the sum of those by type, and the queries received are the Query descriptors received (a servent holds one of
        // these per node of a simulated network, and each count it keeps is 8 bytes of every node).
        readonly long _singleThreaded;   // 1: plain additions
        internal long sentQueries, receivedQueries, queriesForwarded,
            linkWrites, queriesFilteredByQrp, queriesDroppedDuplicate, queriesDroppedTtl, queriesDeliveredToLeaves;
        internal long sentQueryHits, receivedQueryHits, hitsRoutedBack, hitsSent, hitsDroppedUnknownQuery;
        internal long sentPings, sentPongs, sentByes, sentRouteTableUpdates, sentPushes, sentVendorMessages, sentStandardVendorMessages,
            sentHorizonSizeEstimations;
        internal long receivedPings, receivedPongs, receivedByes, receivedRouteTableUpdates, receivedPushes, receivedVendorMessages,
            receivedStandardVendorMessages, receivedHorizonSizeEstimations;
        internal long queriesRateLimited, messagesDroppedQueueFull, extensionMessagesIgnored, queriesSkippedLastHop, dynamicQueries, queriesWidened;
        // Counts of a type not listed go here, shared by every servent and never reported: the frame reader refuses
        // those types, so nothing is ever counted here (a field of each servent's was 8 bytes per node for nothing).
        static long s_unlistedType;

        /// <summary>Counts are plain additions (one thread at a time updates them), not interlocked ones.</summary>
        internal bool IsSingleThreaded => _singleThreaded != 0;

        static readonly GnutellaPayloadType[] Types =
        {
            GnutellaPayloadType.Ping, GnutellaPayloadType.Pong, GnutellaPayloadType.Bye, GnutellaPayloadType.RouteTableUpdate,
            GnutellaPayloadType.Push, GnutellaPayloadType.Query, GnutellaPayloadType.QueryHit,
            GnutellaPayloadType.VendorMessage, GnutellaPayloadType.StandardVendorMessage, GnutellaPayloadType.HorizonSizeEstimation,
        };

        /// <summary>Descriptors sent, of every type.</summary>
        public long MessagesSent => Total(sent: true);
        /// <summary>Descriptors received, of every type.</summary>
        public long MessagesReceived => Total(sent: false);
        /// <summary>Descriptors sent, by payload type (only types sent at least once).</summary>
        public IReadOnlyDictionary<GnutellaPayloadType, long> SentByType => Snapshot(sent: true);
        /// <summary>Descriptors received, by payload type (only types received at least once).</summary>
        public IReadOnlyDictionary<GnutellaPayloadType, long> ReceivedByType => Snapshot(sent: false);
        /// <summary>Queries received whose GUID was already seen.</summary>
        public long QueriesDroppedDuplicate => Interlocked.Read(ref queriesDroppedDuplicate);
        /// <summary>Queries not forwarded because their TTL ran out here.</summary>
        public long QueriesDroppedTtl => Interlocked.Read(ref queriesDroppedTtl);
        /// <summary>Queries dropped because their link exceeded its per-second allowance.</summary>
        public long QueriesRateLimited => Interlocked.Read(ref queriesRateLimited);
        /// <summary>QueryHits of other servents passed back along the reverse path.</summary>
        public long HitsRoutedBack => Interlocked.Read(ref hitsRoutedBack);
        /// <summary>QueryHits whose query id this servent never saw, or whose path is gone.</summary>
        public long HitsDroppedUnknownQuery => Interlocked.Read(ref hitsDroppedUnknownQuery);
        /// <summary>Query copies an ultrapeer passed to its leaves (QRP said they may match).</summary>
        public long QueriesDeliveredToLeaves => Interlocked.Read(ref queriesDeliveredToLeaves);
        /// <summary>Query copies an ultrapeer did not pass to a leaf because the leaf's QRP table cannot match.</summary>
        public long QueriesFilteredByQrp => Interlocked.Read(ref queriesFilteredByQrp);
        /// <summary>Query copies sent on to other ultrapeer links (not counting our own searches nor leaves).</summary>
        public long QueriesForwarded => Interlocked.Read(ref queriesForwarded);
        /// <summary>Queries received (first copies and duplicates).</summary>
        public long QueriesReceived => Interlocked.Read(ref receivedQueries);
        /// <summary>QueryHits this servent answered with from its own files.</summary>
        public long HitsSent => Interlocked.Read(ref hitsSent);
        /// <summary>Descriptors dropped because a slow link's send queue was full.</summary>
        public long MessagesDroppedQueueFull => Interlocked.Read(ref messagesDroppedQueueFull);

        /// <summary>
        /// Vendor messages (0x31, 0x32) and HSEP (0xCD) that real servents send right after the handshake: read within
        /// the payload limit, counted here, never routed nor answered.
        /// </summary>
        public long ExtensionMessagesIgnored => Interlocked.Read(ref extensionMessagesIgnored);

        /// <summary>
        /// Query copies not sent to another ultrapeer on their last hop because its ultrapeer QRP table cannot match
        /// (ultrapeer-to-ultrapeer QRP).
        /// </summary>
        public long QueriesSkippedLastHop => Interlocked.Read(ref queriesSkippedLastHop);
        /// <summary>Duplicates passed on again because they came with a higher TTL than the first copy (dynamic querying).</summary>
        public long QueriesWidened => Interlocked.Read(ref queriesWidened);
        /// <summary>Dynamic queries this ultrapeer ran (for its leaves and for its own searches).</summary>
        public long DynamicQueries => Interlocked.Read(ref dynamicQueries);

        /// <summary>
        /// Writes to link connections (each carries one or more whole descriptors). MessagesSent / LinkWrites is how well
        /// a live servent's sends coalesce (SendBatch); a simulated link writes once per descriptor.
        /// </summary>
        public long LinkWrites => Interlocked.Read(ref linkWrites);

        /// <summary>Adds one to <paramref name="counter"/>, a count of this object.</summary>
        internal void Add(ref long counter)
        {
            if (_singleThreaded != 0) counter++;
            else Interlocked.Increment(ref counter);
        }

        /// <summary>Adds <paramref name="amount"/> to <paramref name="counter"/>, a count of this object.</summary>
        internal void Add(ref long counter, long amount)
        {
            if (amount == 0) return;
            if (_singleThreaded != 0) counter += amount;
            else Interlocked.Add(ref counter, amount);
        }

        internal void CountSent(GnutellaPayloadType type) => Add(ref Count(type, sent: true));

        /// <summary>A descriptor of <paramref name="type"/> arrived (a Query among them is one of <see cref="QueriesReceived"/>).</summary>
        internal void CountReceived(GnutellaPayloadType type) => Add(ref Count(type, sent: false));

        ref long Count(GnutellaPayloadType type, bool sent)
        {
            switch (type)
            {
                case GnutellaPayloadType.Query: return ref sent ? ref sentQueries : ref receivedQueries;
                case GnutellaPayloadType.QueryHit: return ref sent ? ref sentQueryHits : ref receivedQueryHits;
                case GnutellaPayloadType.Ping: return ref sent ? ref sentPings : ref receivedPings;
                case GnutellaPayloadType.Pong: return ref sent ? ref sentPongs : ref receivedPongs;
                case GnutellaPayloadType.Bye: return ref sent ? ref sentByes : ref receivedByes;
                case GnutellaPayloadType.RouteTableUpdate: return ref sent ? ref sentRouteTableUpdates : ref receivedRouteTableUpdates;
                case GnutellaPayloadType.Push: return ref sent ? ref sentPushes : ref receivedPushes;
                case GnutellaPayloadType.VendorMessage: return ref sent ? ref sentVendorMessages : ref receivedVendorMessages;
                case GnutellaPayloadType.StandardVendorMessage: return ref sent ? ref sentStandardVendorMessages : ref receivedStandardVendorMessages;
                case GnutellaPayloadType.HorizonSizeEstimation: return ref sent ? ref sentHorizonSizeEstimations : ref receivedHorizonSizeEstimations;
                default: return ref s_unlistedType;
            }
        }

        static readonly string[] TypeNames = Array.ConvertAll(Types, t => t.ToString());

        /// <summary>
        /// Adds the descriptors sent of each type to <paramref name="totals"/> under the type's name, leaving out types
        /// never sent (what <see cref="SentByType"/> holds, summed): a network sums every servent's this way, without a
        /// dictionary, an enumerator and a boxed type per servent.
        /// </summary>
        internal void AddSentByName(Dictionary<string, long> totals)
        {
            for (int i = 0; i < Types.Length; i++)
            {
                long n = Interlocked.Read(ref Count(Types[i], sent: true));
                if (n == 0) continue;
                totals.TryGetValue(TypeNames[i], out long before);
                totals[TypeNames[i]] = before + n;
            }
        }

        long Total(bool sent)
        {
            long total = 0;
            foreach (var type in Types) total += Interlocked.Read(ref Count(type, sent));
            return total;
        }

        IReadOnlyDictionary<GnutellaPayloadType, long> Snapshot(bool sent)
        {
            var result = new Dictionary<GnutellaPayloadType, long>();
            foreach (var type in Types)
            {
                long n = Interlocked.Read(ref Count(type, sent));
                if (n != 0) result[type] = n;
            }
            return result;
        }
    }
}
