using System;
using System.Linq;
using System.Management.Automation;
using PSPeer.Engine.Networks;

namespace PSPeer
{
    /// <summary>
    /// Composes a network of many nodes: simulated (one seeded simulation in virtual time, thousands of nodes) or
    /// live on loopback (a few hundred at most). Nodes get a synthetic music library so searches find answers.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "PeerNetwork")]
    [OutputType(typeof(PeerNetwork))]
    public sealed class NewPeerNetworkCommand : PSCmdlet
    {
        const int ProgressActivityId = 0x6e6e;   // constant, so successive records update one bar
        readonly PipelinePump _pump = new PipelinePump();

        [Parameter(Position = 0)]
        public PeerProtocol Protocol { get; set; } = PeerProtocol.Gnutella;

        [Parameter]
        [ValidateRange(1, 10_000_000)]
        public int Count { get; set; } = 100;

        [Parameter]
        public TopologyKind Topology { get; set; } = TopologyKind.Random;

        /// <summary>Mean links per ultrapeer among ultrapeers.</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int Degree { get; set; } = 4;

        /// <summary>Share of nodes that are ultrapeers (the rest are leaves); 1 = every node routes.</summary>
        [Parameter]
        [ValidateRange(0.0001, 1.0)]
        public double UltrapeerFraction { get; set; } = 1.0;

        /// <summary>Ultrapeers each leaf attaches to.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int LeafUltrapeerLinks { get; set; } = 3;

        /// <summary>Share of nodes that share files from the synthetic library.</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double SharingFraction { get; set; } = 0.1;

        /// <summary>Run in virtual time (deterministic for a seed); without it the nodes are live on loopback.</summary>
        [Parameter]
        public SwitchParameter Simulated { get; set; }

        [Parameter]
        public int Seed { get; set; } = 1;

        /// <summary>One-way latency of simulated links, in milliseconds.</summary>
        [Parameter]
        [ValidateRange(0, 60_000)]
        public double LatencyMs { get; set; } = 10;

        /// <summary>Live only: the address every node binds. Default: each node its own loopback address, 127.0.0.2 upwards.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Address { get; set; }

        /// <summary>Simulated only: share of nodes behind a NAT (each on its own home network, leaves first); servents then detect whether they are firewalled.</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double NatFraction { get; set; }

        /// <summary>Simulated only: how those NATs behave (RFC 4787); PortRestricted is what Linux masquerade does.</summary>
        [Parameter]
        public PSPeer.Engine.Runtime.Simulated.NatKind NatKind { get; set; } = PSPeer.Engine.Runtime.Simulated.NatKind.PortRestricted;

        /// <summary>Chord: virtual nodes per host (the paper's r: more of them spread keys more evenly).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int VirtualNodes { get; set; } = 1;

        /// <summary>Chord: copies of each key, the owner's included (default 3).</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int Replicas { get; set; } = 3;

        /// <summary>Chord: nodes in each node's successor list (default 16).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int SuccessorListLength { get; set; } = 16;

        /// <summary>Chord: Precomputed (routing state set from the sorted ids, a converged ring at once) or Joins (every node joins through the ring with the protocol's own join).</summary>
        [Parameter]
        public PSPeer.Engine.Networks.Chord.ChordBuildMode BuildMode { get; set; } = PSPeer.Engine.Networks.Chord.ChordBuildMode.Precomputed;

        /// <summary>Default &lt;Protocol&gt;-Network-N.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Whether the caller gave <paramref name="parameter"/> (builders tell a default from a choice).</summary>
        internal bool IsBound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        protected override void ProcessRecord()
        {
            if (!NetworkBuilder.All.TryGetValue(Protocol, out var builder))
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.RoleNotSupported, ErrorCategory.InvalidArgument, Protocol,
                    $"New-PeerNetwork composes {string.Join(" and ", NetworkBuilder.All.Keys)} networks; {Protocol} networks are not supported yet.",
                    $"Pass -Protocol {NetworkBuilder.All.Keys.First()}."));
            foreach (var rule in NetworkBuilder.ProtocolParameters)
                if (IsBound(rule.Parameter) && !rule.Applies(Protocol))
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.ParameterNotApplicable, ErrorCategory.InvalidArgument, MyInvocation.BoundParameters[rule.Parameter],
                        $"-{rule.Parameter} applies to {rule.TakenBy}, not to a {Protocol} network.",
                        $"Leave out -{rule.Parameter}, or choose the -Protocol it applies to."));
            if (!Simulated && IsBound(nameof(LatencyMs)))
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.ParameterNotApplicable, ErrorCategory.InvalidArgument, LatencyMs,
                    "-LatencyMs applies to simulated networks (-Simulated); a live network's latency is loopback's own.",
                    "Add -Simulated, or leave out -LatencyMs."));
            if (!Simulated && Count > builder.MaxLiveCount)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNetworkTooLarge, ErrorCategory.InvalidArgument, Count,
                    $"A live network of {Count} nodes would open {Count} sockets or more on this machine; live {Protocol} networks have at most {builder.MaxLiveCount} nodes.",
                    $"Add -Simulated to run {Count} nodes in virtual time, or pass -Count {builder.MaxLiveCount} or less."));

            var session = NodeRegistry.CurrentSession;
            string name = Name ?? NetworkRegistry.NextName(session, Protocol.ToString());
            if (Simulated && Address != null)
                WriteWarning("-Address is for live networks: simulated nodes have virtual addresses (10.x.y.z).");
            var request = new NetworkBuildRequest
            {
                Name = name, NodePrefix = name + "-", Count = Count, Simulated = Simulated, Seed = Seed,
                Latency = TimeSpan.FromMilliseconds(LatencyMs), Address = Address, Cmdlet = this, Pump = _pump,
                Progress = (what, fraction) => WriteProgress(new ProgressRecord(ProgressActivityId, $"Building {name}", what) { PercentComplete = (int)(fraction * 100) }),
            };
            PeerNetwork network;
            try
            {
                var engine = builder.Build(request, out string sharedRoot);
                if (Simulated)
                    WriteProgress(new ProgressRecord(ProgressActivityId, $"Building {name}", "Done") { RecordType = ProgressRecordType.Completed });
                if (engine == null || _pump.IsStopping)
                {
                    engine?.Dispose();
                    return;
                }
                network = new PeerNetwork(name, engine, sharedRoot, builder, Seed);
            }
            catch (OperationCanceledException) when (_pump.IsStopping)
            {
                return;   // Ctrl+C: the half-built simulation is dropped with nothing registered
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowTerminatingError(Errors.FromException(ex, CmdletErrorIds.PeerNetworkFailed, name));
                return;
            }
            NetworkRegistry.Add(session, network);
            WriteVerbose(builder.Summary(network));
            WriteObject(network);
        }

        protected override void StopProcessing() => _pump.Cancel();
    }
}
