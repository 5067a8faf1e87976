using System;
using PSPeer.Engine.Networks.Chord;

namespace PSPeer
{
    /// <summary>
    /// What Measure-PeerNetwork reports for a Chord ring: the lookups that ran (failures, hops against ½·log2 N with
    /// the 1st and 99th percentiles, latency, retries, messages per lookup), where the keys lie (per host: mean, p1,
    /// p99, max; the paper's load balance), keys lost, how right the ring is, and the churn that ran.
    /// </summary>
    public sealed class PeerChordMeasurement
    {
        internal PeerChordMeasurement(PeerNetwork network, ChordMeasurement m)
        {
            Network = network.Name;
            Simulated = network.Simulated;
            Nodes = m.Nodes; Hosts = m.Hosts; VirtualNodes = m.VirtualNodes; Duration = m.Duration;
            Lookups = m.Lookups; FailedLookups = m.FailedLookups; WrongOwner = m.WrongOwner; FailedFraction = m.FailedFraction;
            MeanHops = m.Hops.Mean; HopsP1 = m.Hops.P1; HopsP50 = m.Hops.P50; HopsP99 = m.Hops.P99; MaxHops = m.Hops.Max;
            ExpectedHops = m.ExpectedHops;
            MeanLatency = TimeSpan.FromMilliseconds(m.LatencyMs.Mean);
            LatencyP99 = TimeSpan.FromMilliseconds(m.LatencyMs.P99);
            Retries = m.Retries; MessagesPerLookup = m.MessagesPerLookup; Datagrams = m.Datagrams;
            Keys = m.Keys; KeyLoadMean = m.KeyLoad.Mean; KeyLoadP1 = m.KeyLoad.P1; KeyLoadP99 = m.KeyLoad.P99; KeyLoadMax = m.KeyLoad.Max;
            KeyLoadP99OverMean = m.KeyLoad.P99OverMean;
            KeysLost = m.KeysLost; KeysLostFraction = m.KeysLostFraction;
            RingCorrectness = m.RingCorrectness; PredecessorCorrectness = m.PredecessorCorrectness;
            NodesFailed = m.NodesFailed; NodesJoined = m.NodesJoined;
            _text = m.ToString();
        }

        readonly string _text;

        public string Network { get; }
        public bool Simulated { get; }
        /// <summary>Live virtual nodes now.</summary>
        public int Nodes { get; }
        /// <summary>Live hosts now (each runs VirtualNodes nodes).</summary>
        public int Hosts { get; }
        public int VirtualNodes { get; }
        /// <summary>Time the measurement covers (virtual time on a simulated network).</summary>
        public TimeSpan Duration { get; }

        public int Lookups { get; }
        /// <summary>Lookups that ended without an owner (timeouts, every route dead, hop limit).</summary>
        public int FailedLookups { get; }
        /// <summary>Lookups that named an owner other than the key's live successor.</summary>
        public int WrongOwner { get; }
        /// <summary>(FailedLookups + WrongOwner) / Lookups: the paper's failed-lookup fraction.</summary>
        public double FailedFraction { get; }
        /// <summary>Mean hops of the lookups that succeeded (the first node asked is hop 0).</summary>
        public double MeanHops { get; }
        public double HopsP1 { get; }
        public double HopsP50 { get; }
        public double HopsP99 { get; }
        public double MaxHops { get; }
        /// <summary>½·log2 Nodes: the mean the paper predicts.</summary>
        public double ExpectedHops { get; }
        public TimeSpan MeanLatency { get; }
        public TimeSpan LatencyP99 { get; }
        /// <summary>Queries sent again, or elsewhere, because a node did not answer.</summary>
        public long Retries { get; }
        public double MessagesPerLookup { get; }
        /// <summary>Datagrams the simulated network carried (lookups and ring maintenance); 0 live.</summary>
        public long Datagrams { get; }

        /// <summary>Keys stored by Invoke-PeerSimulation -Keys.</summary>
        public int Keys { get; }
        /// <summary>Keys per live host (as owner): mean, 1st and 99th percentiles, most.</summary>
        public double KeyLoadMean { get; }
        public double KeyLoadP1 { get; }
        public double KeyLoadP99 { get; }
        public double KeyLoadMax { get; }
        /// <summary>KeyLoadP99 / KeyLoadMean: about 4.6 without virtual nodes, falling toward 1.6 with more (paper §6.2).</summary>
        public double KeyLoadP99OverMean { get; }
        /// <summary>Stored keys no live node holds any more.</summary>
        public int KeysLost { get; }
        public double KeysLostFraction { get; }
        /// <summary>Share of live nodes whose first successor is the true live successor.</summary>
        public double RingCorrectness { get; }
        public double PredecessorCorrectness { get; }
        public int NodesFailed { get; }
        public int NodesJoined { get; }

        public override string ToString() => Network + ": " + _text;
    }
}
