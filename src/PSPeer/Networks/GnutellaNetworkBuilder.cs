using System;
using System.IO;
using PSPeer.Engine.Networks;

namespace PSPeer
{
    /// <summary>Gnutella networks: a topology of ultrapeers and leaves with a synthetic music library; measured by floods.</summary>
    internal sealed class GnutellaNetworkBuilder : NetworkBuilder
    {
        public override int MaxLiveCount => GnutellaNetworkOptions.MaxLiveCount;

        public override IPeerNetworkEngine Build(NetworkBuildRequest request, out string sharedRoot)
        {
            var cmdlet = request.Cmdlet;
            sharedRoot = null;
            var options = new GnutellaNetworkOptions
            {
                Count = request.Count, Topology = cmdlet.Topology, Degree = cmdlet.Degree, UltrapeerFraction = cmdlet.UltrapeerFraction,
                LeafUltrapeerLinks = cmdlet.LeafUltrapeerLinks, SharingFraction = cmdlet.SharingFraction, Seed = request.Seed,
                Simulated = request.Simulated, Latency = request.Latency, LiveAddress = request.Address,
                NatFraction = request.Simulated ? cmdlet.NatFraction : 0, NatKind = cmdlet.NatKind,
            };
            if (!request.Simulated && (cmdlet.IsBound(nameof(cmdlet.NatFraction)) || cmdlet.IsBound(nameof(cmdlet.NatKind))))
                cmdlet.WriteWarning("-NatFraction and -NatKind shape simulated networks: a live network's NATs are the real ones between its hosts.");
            // Sockets the process cannot hold would fail half-way through a live build: say what the network needs first.
            if (!request.Simulated && !GnutellaNetwork.LiveFits(options, out string problem))
                throw new PSPeer.Engine.Core.PeerException(CmdletErrorIds.PeerNetworkTooLarge,
                    problem + $" Add -Simulated to run {request.Count} nodes in virtual time, or raise the open-file limit as the message says.");
            if (request.Simulated)
            {
                cmdlet.WriteVerbose($"Building a simulated {cmdlet.Topology} network of {request.Count} nodes (degree {cmdlet.Degree}, seed {request.Seed}).");
                // The build runs on this thread; progress and Ctrl+C are seen between its steps.
                return GnutellaNetwork.CreateSimulated(options, request.NodePrefix, request.Progress, request.Token);
            }
            string root = Path.Combine(Path.GetTempPath(), "PSPeer-" + request.Name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            options.LiveSharedRoot = root;
            sharedRoot = root;
            cmdlet.WriteVerbose($"Starting {request.Count} live Gnutella servents on loopback (files under {root}).");
            var building = request.Pump.Run(ct => GnutellaNetwork.CreateLiveAsync(options, request.NodePrefix, ct));
            if (request.Pump.IsStopping) return null;
            return building.GetAwaiter().GetResult();
        }

        public override void BeforeRun(InvokePeerSimulationCommand cmdlet, PeerNetwork network)
        {
            if (!cmdlet.IsBound(nameof(cmdlet.ChurnPerSecond))) return;
            network.Engine.SetChurn(cmdlet.ChurnPerSecond, TimeSpan.FromSeconds(cmdlet.Downtime));
            cmdlet.WriteVerbose($"Churn: {cmdlet.ChurnPerSecond} departures per virtual second, {cmdlet.Downtime} s downtime.");
        }

        public override object Describe(PeerNetwork network, object measurement) =>
            new PeerNetworkMeasurement(network, (NetworkMeasurement)measurement);

        public override string Summary(PeerNetwork network) =>
            $"{network.Name}: {network.Links} links ({network.FailedLinks} failed), {network.UltrapeerCount} ultrapeers, {network.Elapsed} of virtual time to build.";
    }
}
