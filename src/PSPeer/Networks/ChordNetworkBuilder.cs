using System;
using PSPeer.Engine.Core;
using PSPeer.Engine.Networks;
using PSPeer.Engine.Networks.Chord;

namespace PSPeer
{
    /// <summary>
    /// Chord rings: hosts with -VirtualNodes each, pre-computed (a million nodes in seconds) or built by real joins;
    /// simulated, or live on loopback addresses (one UDP port per virtual node). Invoke-PeerSimulation stores keys,
    /// fails hosts at once, churns and runs lookup workloads; Measure-PeerNetwork reports a PeerChordMeasurement.
    /// </summary>
    internal sealed class ChordNetworkBuilder : NetworkBuilder
    {
        public override int MaxLiveCount => ChordNetworkOptions.MaxLiveNodes;

        public override IPeerNetworkEngine Build(NetworkBuildRequest request, out string sharedRoot)
        {
            var cmdlet = request.Cmdlet;
            sharedRoot = null;
            var options = new ChordNetworkOptions
            {
                Count = request.Count, VirtualNodes = cmdlet.VirtualNodes, Seed = request.Seed, Simulated = request.Simulated,
                Latency = request.Latency, Build = cmdlet.BuildMode,
            };
            if (cmdlet.IsBound(nameof(cmdlet.Replicas))) options.Replicas = cmdlet.Replicas;
            if (cmdlet.IsBound(nameof(cmdlet.SuccessorListLength))) options.SuccessorListLength = cmdlet.SuccessorListLength;
            if (!request.Simulated && request.Count * (long)cmdlet.VirtualNodes > ChordNetworkOptions.MaxLiveNodes)
                throw new PeerException(CmdletErrorIds.PeerNetworkTooLarge,
                    $"A live Chord ring of {request.Count * (long)cmdlet.VirtualNodes} virtual nodes would open as many UDP sockets; live rings have at most {ChordNetworkOptions.MaxLiveNodes}. Add -Simulated, or pass a smaller -Count or -VirtualNodes.");
            if (request.Address != null)
                cmdlet.WriteWarning("-Address: a live Chord ring gives each host its own loopback address (127.0.0.2 upwards); the address given is not used.");
            if (request.Simulated)
            {
                cmdlet.WriteVerbose($"Building a simulated Chord ring of {request.Count} hosts x {cmdlet.VirtualNodes} virtual node(s) ({cmdlet.BuildMode}, seed {request.Seed}).");
                return ChordNetwork.CreateSimulated(options, request.NodePrefix, request.Progress, request.Token);
            }
            cmdlet.WriteVerbose($"Starting a live Chord ring of {request.Count} hosts x {cmdlet.VirtualNodes} virtual node(s) on loopback addresses.");
            var building = request.Pump.Run(ct => ChordNetwork.CreateLiveAsync(options, request.NodePrefix, ct));
            if (request.Pump.IsStopping) return null;
            return building.GetAwaiter().GetResult();
        }

        public override void BeforeRun(InvokePeerSimulationCommand cmdlet, PeerNetwork network)
        {
            var ring = (ChordNetwork)network.Engine;
            if (cmdlet.Keys > 0)
            {
                int failed = ring.StoreKeys(cmdlet.Keys);
                cmdlet.WriteVerbose($"Stored {cmdlet.Keys} keys through random nodes ({failed} stores failed).");
            }
            if (cmdlet.IsBound(nameof(cmdlet.FailFraction)))
            {
                int hosts = ring.FailFraction(cmdlet.FailFraction);
                cmdlet.WriteVerbose($"Failed {hosts} hosts at once ({cmdlet.FailFraction:P0} of the live ones).");
            }
            bool churn = cmdlet.IsBound(nameof(cmdlet.ChurnPerSecond)), lookups = cmdlet.IsBound(nameof(cmdlet.LookupsPerSecond));
            if (churn || lookups)
            {
                double rate = churn ? Math.Max(0, cmdlet.ChurnPerSecond) : 0;
                if (rate == 0 && cmdlet.LookupsPerSecond == 0) ring.StopChurn();
                else ring.StartChurn(rate, rate, cmdlet.LookupsPerSecond, cmdlet.Mode);
                cmdlet.WriteVerbose($"Churn: {rate} joins and {rate} failures per virtual second, {cmdlet.LookupsPerSecond} {cmdlet.Mode} lookups per second.");
            }
        }

        public override void AfterRun(InvokePeerSimulationCommand cmdlet, PeerNetwork network)
        {
            if (cmdlet.Lookups <= 0) return;
            var ring = (ChordNetwork)network.Engine;
            int failed = ring.RunLookups(cmdlet.Lookups, cmdlet.Mode);
            cmdlet.WriteVerbose($"{cmdlet.Lookups} {cmdlet.Mode} lookups of random keys from random live nodes: {failed} failed or found the wrong owner.");
        }

        public override object Describe(PeerNetwork network, object measurement) =>
            new PeerChordMeasurement(network, (ChordMeasurement)measurement);

        public override string Summary(PeerNetwork network) =>
            $"{network.Name}: {network.Count} Chord nodes ({network.VirtualNodes} per host), {network.Elapsed} of virtual time to build.";
    }
}
