using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using PSPeer.Engine.Networks;

namespace PSPeer
{
    /// <summary>What New-PeerNetwork hands a protocol's builder: the parameters common to every protocol, and the cmdlet.</summary>
    internal sealed class NetworkBuildRequest
    {
        public string Name;
        /// <summary>Node names are this prefix and the node's index, so events from two networks stay apart.</summary>
        public string NodePrefix;
        public int Count;
        public bool Simulated;
        public int Seed;
        public TimeSpan Latency;
        /// <summary>Live only: the address every node binds, or null for each node its own loopback address.</summary>
        public string Address;
        /// <summary>The cmdlet, for its protocol-specific parameters, verbose output and warnings.</summary>
        public NewPeerNetworkCommand Cmdlet;
        /// <summary>Runs live work, writing from the pipeline thread; its token is cancelled by Ctrl+C.</summary>
        public PipelinePump Pump;
        /// <summary>Reports a simulated build's step and fraction done (on the pipeline thread).</summary>
        public Action<string, double> Progress;
        public CancellationToken Token => Pump.Token;
    }

    /// <summary>
    /// One per protocol that New-PeerNetwork composes: builds the engine network from the cmdlet's parameters and turns
    /// its measurement into what Measure-PeerNetwork emits. The network cmdlets know nothing else about a protocol, so a
    /// new system plugs in by adding a builder to <see cref="All"/>.
    /// </summary>
    internal abstract class NetworkBuilder
    {
        /// <summary>The protocols New-PeerNetwork composes, with their builders.</summary>
        public static readonly IReadOnlyDictionary<PeerProtocol, NetworkBuilder> All = new Dictionary<PeerProtocol, NetworkBuilder>
        {
            [PeerProtocol.Gnutella] = new GnutellaNetworkBuilder(),
            [PeerProtocol.Chord] = new ChordNetworkBuilder(),
        };

        /// <summary>New-PeerNetwork parameters that only some protocols take (with the protocols that do, in words).</summary>
        public static readonly IReadOnlyList<(string Parameter, Func<PeerProtocol, bool> Applies, string TakenBy)> ProtocolParameters =
            new (string, Func<PeerProtocol, bool>, string)[]
            {
                ("Topology", p => p == PeerProtocol.Gnutella, "Gnutella networks"),
                ("Degree", p => p == PeerProtocol.Gnutella, "Gnutella networks"),
                ("UltrapeerFraction", p => p == PeerProtocol.Gnutella, "Gnutella networks"),
                ("LeafUltrapeerLinks", p => p == PeerProtocol.Gnutella, "Gnutella networks"),
                ("SharingFraction", p => p == PeerProtocol.Gnutella, "Gnutella networks"),
                ("NatFraction", p => p == PeerProtocol.Gnutella, "Gnutella networks"),
                ("NatKind", p => p == PeerProtocol.Gnutella, "Gnutella networks"),
                ("VirtualNodes", p => p == PeerProtocol.Chord, "Chord rings"),
                ("Replicas", p => p == PeerProtocol.Chord, "Chord rings"),
                ("SuccessorListLength", p => p == PeerProtocol.Chord, "Chord rings"),
                ("BuildMode", p => p == PeerProtocol.Chord, "Chord rings"),
            };

        /// <summary>Invoke-PeerSimulation parameters that only some protocols take.</summary>
        public static readonly IReadOnlyList<(string Parameter, Func<PeerProtocol, bool> Applies, string TakenBy)> SimulationParameters =
            new (string, Func<PeerProtocol, bool>, string)[]
            {
                ("Downtime", p => p == PeerProtocol.Gnutella, "Gnutella networks (a Chord ring's failed hosts stay down; joins are new hosts)"),
                ("Lookups", p => p == PeerProtocol.Chord, "Chord rings"),
                ("LookupsPerSecond", p => p == PeerProtocol.Chord, "Chord rings"),
                ("FailFraction", p => p == PeerProtocol.Chord, "Chord rings"),
                ("Keys", p => p == PeerProtocol.Chord, "Chord rings"),
                ("Mode", p => p == PeerProtocol.Chord, "Chord rings"),
            };

        /// <summary>Most nodes a live network of this protocol may have on one machine.</summary>
        public abstract int MaxLiveCount { get; }

        /// <summary>Builds the network (Ctrl+C: OperationCanceledException, with nothing left running). Null when the pump is stopping.</summary>
        public abstract IPeerNetworkEngine Build(NetworkBuildRequest request, out string sharedRoot);

        /// <summary>What Measure-PeerNetwork emits for <paramref name="measurement"/> (the engine's Measure()).</summary>
        public abstract object Describe(PeerNetwork network, object measurement);

        /// <summary>Invoke-PeerSimulation, before virtual time runs: what the protocol sets up (churn, failures, a key set).</summary>
        public abstract void BeforeRun(InvokePeerSimulationCommand cmdlet, PeerNetwork network);

        /// <summary>Invoke-PeerSimulation, after virtual time ran: the protocol's workload that runs to completion (lookups).</summary>
        public virtual void AfterRun(InvokePeerSimulationCommand cmdlet, PeerNetwork network) { }

        /// <summary>A line for -Verbose once the network is built.</summary>
        public virtual string Summary(PeerNetwork network) => $"{network.Name}: {network.Count} {network.Protocol} nodes, {network.Elapsed} of virtual time to build.";
    }
}
