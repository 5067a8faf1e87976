using System;
using System.Collections.Generic;
using System.Management.Automation;
using PSPeer.Engine.Networks;

namespace PSPeer
{
    /// <summary>What Measure-PeerNetwork reports: searches, floods, reach by hops, messages by type, churn.</summary>
    public sealed class PeerNetworkMeasurement
    {
        internal PeerNetworkMeasurement(PeerNetwork network, NetworkMeasurement measurement)
        {
            Network = network.Name;
            Simulated = network.Simulated;
            Measurement = measurement;
        }

        public string Network { get; }
        public bool Simulated { get; }
        public int Nodes => Measurement.Nodes;
        public int Links => Measurement.Links;
        /// <summary>Time the measurement covers (virtual time on a simulated network).</summary>
        public TimeSpan Duration => Measurement.Duration;
        public int Searches => Measurement.Searches;
        public int Hits => Measurement.Hits;
        public double MeanHitHops => Measurement.MeanHitHops;
        /// <summary>Hits by hop count.</summary>
        public IReadOnlyDictionary<int, int> HitHops => Measurement.HitHops;
        /// <summary>Query GUIDs seen (an expanding-ring search floods once per ring).</summary>
        public long Floods => Measurement.Floods;
        public double MeanReach => Measurement.MeanReach;
        /// <summary>Element h-1: mean nodes a flood reached within h hops.</summary>
        public IReadOnlyList<double> ReachByHops => Measurement.ReachByHops;
        /// <summary>Element t-1: nodes a perfect flood with TTL t reaches (BFS over the links), for comparison.</summary>
        public IReadOnlyList<double> AnalyticReachByTtl => Measurement.AnalyticReachByTtl;
        public long MessagesSent => Measurement.MessagesSent;
        public IReadOnlyDictionary<string, long> MessagesByType => Measurement.MessagesByType;
        public long QueryMessages => Measurement.QueryMessages;
        public double QueryMessagesPerFlood => Measurement.QueryMessagesPerFlood;
        public double MessagesPerSearch => Measurement.MessagesPerSearch;
        public long Duplicates => Measurement.Duplicates;
        public long DroppedTtl => Measurement.DroppedTtl;
        public long RateLimited => Measurement.RateLimited;
        public long HitsRoutedBack => Measurement.HitsRoutedBack;
        public long HitsDropped => Measurement.HitsDropped;
        public long QueriesFilteredByQrp => Measurement.QueriesFilteredByQrp;
        public int NodesLeft => Measurement.NodesLeft;
        public int NodesJoined => Measurement.NodesJoined;
        /// <summary>Element h-1: mean query messages per flood that arrived within h hops (what a TTL-h flood costs).</summary>
        public IReadOnlyList<double> QueryMessagesByHops => Measurement.QueryMessagesByHops;
        /// <summary>The highest TTL the measured floods were sent with (0 when unknown).</summary>
        public int FloodTtl => Measurement.FloodTtl;
        /// <summary>2|E|: the most query messages one flood can cost (each link carries it at most once each way).</summary>
        public long MessageBound => Measurement.MessageBound;

        /// <summary>The engine's measurement (internal: its figures are the properties above).</summary>
        internal NetworkMeasurement Measurement { get; }

        public override string ToString() => Network + ": " + Measurement;
    }
}
