using System;
using System.Collections.Generic;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Engine.Networks.Chord
{
    // Measuring: the lookup log, key placement against the live ring, keys lost, ring correctness.
    public sealed partial class ChordNetwork
    {
        readonly LookupLog _lookups = new LookupLog();
        readonly List<StoredKey> _keys = new List<StoredKey>();
        DateTimeOffset _measureStart;
        long _datagramsAtStart;

        /// <summary>Starts a new measurement period: lookups, churn counts and datagrams count from zero (the key set stays).</summary>
        public void ResetMeasurement()
        {
            _lookups.Reset();
            _failedSinceReset = 0;
            _joinedSinceReset = 0;
            _measureStart = _clock.Now;
            _datagramsAtStart = Simulation?.Statistics.DatagramsSent ?? 0;
        }

        /// <summary>What happened since the network was built or <see cref="ResetMeasurement"/>, and the ring's state now.</summary>
        /// <remarks>Read a simulated network while it is idle (not inside Run).</remarks>
        public ChordMeasurement Measure()
        {
            var ring = Truth;
            var (successors, predecessors) = RingAccuracy();
            var m = new ChordMeasurement
            {
                Nodes = ring.Count,
                Hosts = _liveHosts,
                VirtualNodes = _options.VirtualNodes,
                Duration = _clock.Now - _measureStart,
                Datagrams = (Simulation?.Statistics.DatagramsSent ?? 0) - _datagramsAtStart,
                Keys = _keys.Count,
                KeyLoad = KeyLoadPerHost(),
                KeysLost = CountKeysLost(),
                RingCorrectness = successors,
                PredecessorCorrectness = predecessors,
                NodesFailed = _failedSinceReset,
                NodesJoined = _joinedSinceReset,
            };
            _lookups.Fill(m);
            return m;
        }

        /// <summary>
        /// Keys per live host as owner (the live successor of each key, summed over the host's virtual nodes): the
        /// paper's §6.2 load. Hosts with no key count as 0, so the 1st percentile is meaningful.
        /// </summary>
        SampleSummary KeyLoadPerHost()
        {
            if (_keys.Count == 0) return SampleSummary.Empty;
            var ring = Truth;
            if (ring.Count == 0) return SampleSummary.Empty;
            var perHost = new double[_runtimes.Count];
            foreach (var key in _keys) perHost[_hostOfNode[ring.Successor(key.Point)]]++;
            var hosts = LiveHosts();
            var live = new double[hosts.Count];
            for (int k = 0; k < live.Length; k++) live[k] = perHost[hosts[k]];
            return SampleSummary.Of(live, live.Length);
        }

        /// <summary>Stored keys that no live node holds (as owner or replica) any more.</summary>
        int CountKeysLost()
        {
            int stored = 0;
            foreach (var key in _keys) if (key.Stored) stored++;
            if (stored == 0) return 0;
            var held = new HashSet<RingPoint>();
            var ring = Truth;
            for (int p = 0; p < ring.Count; p++)
                foreach (var item in _nodes[ring.MemberAt(p)].StoredItems())
                    if (item.Values != null && item.Values.Count > 0) held.Add(PointOf(item.KeyId));
            int lost = 0;
            foreach (var key in _keys)
                if (key.Stored && !held.Contains(key.Point)) lost++;
            return lost;
        }

        /// <summary>Node holding each stored key now, for tests: how many live nodes hold it (owner and replicas).</summary>
        internal int HoldersOf(string key)
        {
            var point = PointOf(PSPeer.Engine.Chord.ChordId.FromKey(key));
            int holders = 0;
            var ring = Truth;
            for (int p = 0; p < ring.Count; p++)
                foreach (var item in _nodes[ring.MemberAt(p)].StoredItems())
                    if (PointOf(item.KeyId).Equals(point)) { holders++; break; }
            return holders;
        }
    }
}
