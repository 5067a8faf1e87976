using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Networks
{
    /// <summary>
    /// What a network did since it was built (or since the last reset): searches and their hits, floods and how far
    /// they reached, messages by type from the servents' counters, and churn.
    /// </summary>
    public sealed class NetworkMeasurement
    {
        public int Nodes { get; internal set; }
        public int Links { get; internal set; }
        /// <summary>Virtual time (simulated) or wall time (live) the measurement covers.</summary>
        public TimeSpan Duration { get; internal set; }

        /// <summary>Searches run through the network (Find-PeerFile -Via a node of it).</summary>
        public int Searches { get; internal set; }
        public int Hits { get; internal set; }
        /// <summary>Hits by the hop count they arrived with.</summary>
        public IReadOnlyDictionary<int, int> HitHops { get; internal set; }
        public double MeanHitHops { get; internal set; }

        /// <summary>Query GUIDs seen (an expanding-ring search floods once per ring).</summary>
        public long Floods { get; internal set; }
        /// <summary>Mean distinct nodes one flood reached.</summary>
        public double MeanReach { get; internal set; }
        /// <summary>Element h-1: mean distinct nodes a flood reached within h hops, h = 1..7.</summary>
        public IReadOnlyList<double> ReachByHops { get; internal set; }
        /// <summary>Element t-1: mean nodes a perfect flood with TTL t reaches from the searches' origins (BFS on the links).</summary>
        public IReadOnlyList<double> AnalyticReachByTtl { get; internal set; }

        public long MessagesSent { get; internal set; }
        public IReadOnlyDictionary<string, long> MessagesByType { get; internal set; }
        /// <summary>Query messages received network-wide (first copies and duplicates).</summary>
        public long QueryMessages { get; internal set; }
        public double QueryMessagesPerFlood { get; internal set; }
        public double MessagesPerSearch { get; internal set; }
        public long Duplicates { get; internal set; }
        public long DroppedTtl { get; internal set; }
        public long RateLimited { get; internal set; }
        public long HitsRoutedBack { get; internal set; }
        public long HitsDropped { get; internal set; }
        public long QueriesDeliveredToLeaves { get; internal set; }
        public long QueriesFilteredByQrp { get; internal set; }

        public int NodesLeft { get; internal set; }
        public int NodesJoined { get; internal set; }

        /// <summary>
        /// Element h-1: mean query messages per traced flood (first copies and duplicates) that arrived within h hops,
        /// h = 1..7. A flood sent with TTL h costs these messages, so one measurement of a wide flood gives the cost of
        /// every smaller TTL.
        /// </summary>
        public IReadOnlyList<double> QueryMessagesByHops { get; internal set; }
        /// <summary>The highest TTL the traced floods were sent with by their searchers (0 when no searcher's send was seen).</summary>
        public int FloodTtl { get; internal set; }
        /// <summary>
        /// 2|E|: the most query messages one flood can cost, each link carrying it at most once each way (dynamic
        /// querying can exceed it: it resends a wider copy over links its probe used).
        /// </summary>
        public long MessageBound => 2L * Links;

        public override string ToString() =>
            $"{Plural.Of(Searches, "search", "searches")}, {Plural.Of(Hits, "hit")}, {Plural.Of(Floods, "flood")}, mean reach {MeanReach:0.#}, {QueryMessagesPerFlood:0.#} query messages/flood, {Plural.Of(Duplicates, "duplicate")}";
    }
}
