using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Engine.Networks
{
    /// <summary>
    /// Many nodes of one protocol composed into one network, live or simulated: what the network cmdlets
    /// (New-PeerNetwork, Invoke-PeerSimulation, Measure-PeerNetwork, Stop-PeerNode, searches through a node) need of any
    /// protocol. Each protocol adds its own builder and measurement (Gnutella: <see cref="GnutellaNetwork"/> and
    /// <see cref="NetworkMeasurement"/>); what only one protocol does stays on its own class or on an optional interface
    /// such as <see cref="ISearchableNetwork"/>.
    /// </summary>
    /// <remarks>
    /// A simulated network runs only while someone drives it (<see cref="Run{T}"/>, <see cref="RunFor"/>,
    /// <see cref="RunUntil"/>); work that touches its nodes must start on its loop (Run, or Simulation.Spawn).
    /// </remarks>
    public interface IPeerNetworkEngine : IDisposable
    {
        /// <summary>The protocol every node speaks ("Gnutella", "Chord"), as PeerNodeBase.Protocol names it.</summary>
        string Protocol { get; }
        bool IsSimulated { get; }
        /// <summary>The simulation the network lives in, or null for a live network.</summary>
        Simulation Simulation { get; }
        /// <summary>Virtual time since the simulation began, or wall time since a live network was built.</summary>
        TimeSpan Elapsed { get; }
        /// <summary>The nodes by index (a node that churn replaced is the new node at the same index).</summary>
        IReadOnlyList<PeerNodeBase> Nodes { get; }
        /// <summary>Whether <paramref name="node"/> is (now) one of this network's nodes.</summary>
        bool Contains(PeerNodeBase node);
        /// <summary>Nodes down right now (churn or failures), 0 when none or live.</summary>
        int NodesDown { get; }

        /// <summary>Advances virtual time (simulated networks only).</summary>
        void RunFor(TimeSpan duration);
        /// <summary>Runs until <paramref name="condition"/> holds or <paramref name="limit"/> of virtual time passes.</summary>
        bool RunUntil(Func<bool> condition, TimeSpan limit);
        /// <summary>Runs <paramref name="work"/> to completion: on the simulation's loop, or live on this thread.</summary>
        T Run<T>(Func<Task<T>> work, TimeSpan limit);

        /// <summary>
        /// Churn in a simulated network: departures as a Poisson process of <paramref name="leavesPerSecond"/>, each
        /// node back after <paramref name="downtime"/>; 0 stops it.
        /// </summary>
        void SetChurn(double leavesPerSecond, TimeSpan downtime);

        /// <summary>What the network did since it was built or last reset: the protocol's own measurement type.</summary>
        object Measure();
        /// <summary>Starts a new measurement period.</summary>
        void ResetMeasurement();
    }

    /// <summary>A network whose nodes search for files, and that records those searches for its measurement.</summary>
    public interface ISearchableNetwork
    {
        /// <summary>
        /// Searches through <paramref name="via"/> (one of the network's nodes) and records the search. In a simulation,
        /// call it on the loop; it completes as virtual time runs.
        /// </summary>
        Task SearchAsync(PeerNodeBase via, string query, SearchOptions options, Action<SearchHit> onHit, CancellationToken cancellationToken = default);
    }
}
