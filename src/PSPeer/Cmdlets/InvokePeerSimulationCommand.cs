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

        /// <summary>Seconds of virtual time to run (0: only the workloads, e.g. -Lookups on a Chord ring).</summary>
        [Parameter(Position = 1, ParameterSetName = DurationSet)]
        [ValidateRange(0.0, 1e9)]
        public double Duration { get; set; }

        /// <summary>Run until the network's Elapsed virtual time reaches this.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UntilSet)]
        public TimeSpan Until { get; set; }

        /// <summary>Nodes leaving per second of virtual time (a Poisson process); 0 stops churn. On a Chord ring, joins and failures each at this rate (paper §6.4).</summary>
        [Parameter]
        [ValidateRange(0.0, 1e6)]
        public double ChurnPerSecond { get; set; } = -1;

        /// <summary>Seconds a node that left stays away before it rejoins (default 30).</summary>
        [Parameter]
        [ValidateRange(0.0, 1e9)]
        public double Downtime { get; set; } = 30;

        /// <summary>Chord: after the -Duration, this many lookups of random keys, each from a random live node (ring maintenance runs meanwhile).</summary>
        [Parameter]
        [ValidateRange(0, 100_000_000)]
        public int Lookups { get; set; }

        /// <summary>Chord: lookups per second of virtual time while the -Duration runs (with or without churn).</summary>
        [Parameter]
        [ValidateRange(0.0, 1e6)]
        public double LookupsPerSecond { get; set; }

        /// <summary>Chord: before the -Duration, this fraction of the live hosts fails at once (no goodbye; the others notice by timeouts).</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double FailFraction { get; set; }

        /// <summary>Chord: first store this many keys ("key-0", "key-1", ...) through random nodes, for the key load and keys lost.</summary>
        [Parameter]
        [ValidateRange(0, 100_000_000)]
        public int Keys { get; set; }

        /// <summary>Chord: how the lookups resolve, Iterative (default) or Recursive.</summary>
        [Parameter]
        public PSPeer.Engine.Chord.ChordLookupMode Mode { get; set; } = PSPeer.Engine.Chord.ChordLookupMode.Iterative;

        /// <summary>Whether the caller gave <paramref name="parameter"/> (builders tell a default from a choice).</summary>
        internal bool IsBound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        protected override void ProcessRecord()
        {
            var network = Network;
            if (network.IsStopped)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNetworkStopped, ErrorCategory.InvalidOperation, network,
                    $"Network '{network.Name}' has been stopped.", "Compose a new one with New-PeerNetwork."));
            if (!network.Simulated)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNetworkNotSimulated, ErrorCategory.InvalidOperation, network,
                    $"Network '{network.Name}' is live: its time is the wall clock and cannot be advanced.", "Compose a network with New-PeerNetwork -Simulated."));

            var protocol = (PeerProtocol)Enum.Parse(typeof(PeerProtocol), network.Protocol);
            foreach (var rule in NetworkBuilder.SimulationParameters)
                if (IsBound(rule.Parameter) && !rule.Applies(protocol))
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.ParameterNotApplicable, ErrorCategory.InvalidArgument, MyInvocation.BoundParameters[rule.Parameter],
                        $"-{rule.Parameter} applies to {rule.TakenBy}, not to the {network.Protocol} network '{network.Name}'.",
                        $"Leave out -{rule.Parameter}."));

            var engine = network.Engine;
            try
            {
                network.Builder.BeforeRun(this, network);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowTerminatingError(Errors.FromException(ex, CmdletErrorIds.PeerNetworkFailed, network));
            }
            var target = ParameterSetName == UntilSet ? Until : engine.Elapsed + TimeSpan.FromSeconds(Duration);
            long before = engine.Simulation.ExecutedWorkItems;
            while (!_stopping && engine.Elapsed < target)
            {
                var step = target - engine.Elapsed;
                engine.RunFor(step < Slice ? step : Slice);
            }
            if (_stopping) return;
            try
            {
                network.Builder.AfterRun(this, network);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowTerminatingError(Errors.FromException(ex, CmdletErrorIds.PeerNetworkFailed, network));
            }
            WriteVerbose($"{network.Name}: now at {engine.Elapsed} of virtual time ({engine.Simulation.ExecutedWorkItems - before} simulator events).");
            WriteObject(network);
        }

        protected override void StopProcessing() => _stopping = true;
    }
}
