using System;
using System.Management.Automation;

namespace PSPeer
{
    /// <summary>Advances a simulated network's virtual time (optionally with churn) and emits the network.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "PeerSimulation", DefaultParameterSetName = DurationSet)]
    [OutputType(typeof(PeerNetwork))]
    public sealed class InvokePeerSimulationCommand : PSCmdlet
    {
        const string DurationSet = "Duration";
        const string UntilSet = "Until";
        // Virtual time is run in slices so that Ctrl+C is seen between them.
        static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);

        volatile bool _stopping;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PeerNetwork Network { get; set; }

        /// <summary>Seconds of virtual time to run.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = DurationSet)]
        [ValidateRange(0.0, 1e9)]
        public double Duration { get; set; }

        /// <summary>Run until the network's Elapsed virtual time reaches this.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UntilSet)]
        public TimeSpan Until { get; set; }

        /// <summary>Nodes leaving per second of virtual time (a Poisson process); 0 stops churn.</summary>
        [Parameter]
        [ValidateRange(0.0, 1e6)]
        public double ChurnPerSecond { get; set; } = -1;

        /// <summary>Seconds a node that left stays away before it rejoins (default 30).</summary>
        [Parameter]
        [ValidateRange(0.0, 1e9)]
        public double Downtime { get; set; } = 30;

        protected override void ProcessRecord()
        {
            var network = Network;
            if (network.IsStopped)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNetworkStopped, ErrorCategory.InvalidOperation, network,
                    $"Network '{network.Name}' has been stopped.", "Compose a new one with New-PeerNetwork."));
            if (!network.Simulated)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNetworkNotSimulated, ErrorCategory.InvalidOperation, network,
                    $"Network '{network.Name}' is live: its time is the wall clock and cannot be advanced.", "Compose a network with New-PeerNetwork -Simulated."));

            var engine = network.Engine;
            if (MyInvocation.BoundParameters.ContainsKey(nameof(ChurnPerSecond)))
            {
                engine.SetChurn(ChurnPerSecond, TimeSpan.FromSeconds(Downtime));
                WriteVerbose($"Churn: {ChurnPerSecond} departures per virtual second, {Downtime} s downtime.");
            }
            var target = ParameterSetName == UntilSet ? Until : engine.Elapsed + TimeSpan.FromSeconds(Duration);
            long before = engine.Simulation.ExecutedWorkItems;
            while (!_stopping && engine.Elapsed < target)
            {
                var step = target - engine.Elapsed;
                engine.RunFor(step < Slice ? step : Slice);
            }
            WriteVerbose($"{network.Name}: now at {engine.Elapsed} of virtual time ({engine.Simulation.ExecutedWorkItems - before} simulator events).");
            WriteObject(network);
        }

        protected override void StopProcessing() => _stopping = true;
    }
}
