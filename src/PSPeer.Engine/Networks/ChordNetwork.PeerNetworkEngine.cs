using System;
using System.Collections.Generic;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Networks.Chord
{
    // The protocol-neutral face the network cmdlets use (kept apart from the ring's own files).
    public sealed partial class ChordNetwork : IPeerNetworkEngine
    {
        string IPeerNetworkEngine.Protocol => "Chord";

        IReadOnlyList<PeerNodeBase> IPeerNetworkEngine.Nodes => Nodes;

        bool IPeerNetworkEngine.Contains(PeerNodeBase node) => node is ChordNode chord && IndexOf(chord) >= 0;

        /// <summary>Virtual nodes failed (by failures or churn) and not part of the ring now.</summary>
        int IPeerNetworkEngine.NodesDown => Nodes.Count - LiveNodeCount;

        /// <summary>Chord churn as in the paper's §6.4: joins and failures each at <paramref name="leavesPerSecond"/>; failed hosts do not come back (joins are new hosts), so the downtime is not used.</summary>
        void IPeerNetworkEngine.SetChurn(double leavesPerSecond, TimeSpan downtime)
        {
            if (leavesPerSecond <= 0) StopChurn();
            else StartChurn(leavesPerSecond, leavesPerSecond, 0);
        }

        object IPeerNetworkEngine.Measure() => Measure();
    }
}
