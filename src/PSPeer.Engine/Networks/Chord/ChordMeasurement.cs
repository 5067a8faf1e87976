using System;
using System.Globalization;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Networks.Chord
{
    /// <summary>
    /// What a Chord network did since it was built or last reset: lookups (failures, hops against ½·log2 N, retries,
    /// messages, latency), where the keys lie (per host, the paper's load balance), keys lost to failures, how right
    /// the ring is, and the churn that ran.
    /// </summary>
    public sealed class ChordMeasurement
    {
        /// <summary>Live virtual nodes now.</summary>
        public int Nodes { get; internal set; }
        /// <summary>Live physical hosts now (Nodes / VirtualNodes when none failed).</summary>
        public int Hosts { get; internal set; }
        public int VirtualNodes { get; internal set; }
        /// <summary>Virtual time (simulated) or wall time (live) the measurement covers.</summary>
        public TimeSpan Duration { get; internal set; }

        public int Lookups { get; internal set; }
        /// <summary>Lookups that ended without an owner (timeouts, every route dead, hop limit).</summary>
        public int FailedLookups { get; internal set; }
        /// <summary>Lookups that named an owner other than the live successor of the key when they ended.</summary>
        public int WrongOwner { get; internal set; }
        /// <summary>(Failed + wrong) / lookups: the paper's failed-lookup fraction.</summary>
        public double FailedFraction => Lookups == 0 ? 0 : (FailedLookups + WrongOwner) / (double)Lookups;
        /// <summary>Hops of the lookups that succeeded (the first node asked is hop 0).</summary>
        public SampleSummary Hops { get; internal set; } = SampleSummary.Empty;
        /// <summary>
        /// Nodes a succeeded lookup traversed, the owner included (Hops + 1): the paper's path length, whose mean is
        /// ½·log2 N. Hops count by the rule (the asker is hop 0, the step to the owner is not counted).
        /// </summary>
        public SampleSummary PathLength => Hops.Shifted(1);
        /// <summary>½·log2 N for the live virtual nodes: the paper's expected mean path length.</summary>
        public double ExpectedHops => Nodes < 2 ? 0 : 0.5 * Math.Log(Nodes, 2);
        /// <summary>Lookup latency in milliseconds (succeeded lookups).</summary>
        public SampleSummary LatencyMs { get; internal set; } = SampleSummary.Empty;
        public long Retries { get; internal set; }
        /// <summary>Queries sent per lookup (every RPC, retries included), as the nodes counted them.</summary>
        public double MessagesPerLookup { get; internal set; }
        /// <summary>Datagrams the simulated network carried in the measured time (all traffic: lookups and maintenance); 0 live.</summary>
        public long Datagrams { get; internal set; }

        /// <summary>Distinct keys the workload stored.</summary>
        public int Keys { get; internal set; }
        /// <summary>Keys each live host is responsible for (as owner, summed over its virtual nodes): the paper's §6.2 figure.</summary>
        public SampleSummary KeyLoad { get; internal set; } = SampleSummary.Empty;
        /// <summary>Stored keys no live node holds any more.</summary>
        public int KeysLost { get; internal set; }
        public double KeysLostFraction => Keys == 0 ? 0 : KeysLost / (double)Keys;

        /// <summary>Fraction of live nodes whose first successor is the true live successor.</summary>
        public double RingCorrectness { get; internal set; }
        /// <summary>Fraction of live nodes whose predecessor is the true live predecessor.</summary>
        public double PredecessorCorrectness { get; internal set; }

        public int NodesFailed { get; internal set; }
        public int NodesJoined { get; internal set; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "{0} nodes, {1} ({2} failed, {3} wrong), hops mean {4:0.00} (½·log2 N = {5:0.00}), p1 {6}, p99 {7}, ring {8:P1} right, {9} lost of {10}",
            Nodes, Plural.Of(Lookups, "lookup"), FailedLookups, WrongOwner, Hops.Mean, ExpectedHops, Hops.P1, Hops.P99,
            RingCorrectness, KeysLost, Plural.Of(Keys, "key"));
    }
}
