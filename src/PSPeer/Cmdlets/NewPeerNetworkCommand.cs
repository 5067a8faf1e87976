using System;
using System.IO;
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

        /// <summary>Default Gnutella-Network-N.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        protected override void ProcessRecord()
        {
            if (Protocol != PeerProtocol.Gnutella)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.RoleNotSupported, ErrorCategory.InvalidArgument, Protocol,
                    $"New-PeerNetwork composes Gnutella networks; {Protocol} networks are not supported yet.", "Pass -Protocol Gnutella."));
            if (!Simulated && MyInvocation.BoundParameters.ContainsKey(nameof(LatencyMs)))
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.ParameterNotApplicable, ErrorCategory.InvalidArgument, LatencyMs,
                    "-LatencyMs applies to simulated networks (-Simulated); a live network's latency is loopback's own.",
                    "Add -Simulated, or leave out -LatencyMs."));
            if (!Simulated && Count > GnutellaNetworkOptions.MaxLiveCount)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNetworkTooLarge, ErrorCategory.InvalidArgument, Count,
                    $"A live network of {Count} nodes would open {Count} listeners and many thousands of sockets in this session; live networks have at most {GnutellaNetworkOptions.MaxLiveCount} nodes.",
                    $"Add -Simulated to run {Count} nodes in virtual time, or pass -Count {GnutellaNetworkOptions.MaxLiveCount} or less."));

            var session = NodeRegistry.CurrentSession;
            string name = Name ?? NetworkRegistry.NextName(session, Protocol.ToString());
            var options = new GnutellaNetworkOptions
            {
                Count = Count, Topology = Topology, Degree = Degree, UltrapeerFraction = UltrapeerFraction,
                LeafUltrapeerLinks = LeafUltrapeerLinks, SharingFraction = SharingFraction, Seed = Seed, Simulated = Simulated,
                Latency = TimeSpan.FromMilliseconds(LatencyMs), LiveAddress = Address,
                NatFraction = Simulated ? NatFraction : 0, NatKind = NatKind,
            };
            if (!Simulated)
            {
                // Sockets the process cannot hold would fail half-way through the build: say what the network needs first.
                if (!GnutellaNetwork.LiveFits(options, out string problem))
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNetworkTooLarge, ErrorCategory.LimitsExceeded, Count, problem,
                        $"Add -Simulated to run {Count} nodes in virtual time, or raise the open-file limit as the message says."));
            }
            if (!Simulated && (MyInvocation.BoundParameters.ContainsKey(nameof(NatFraction)) || MyInvocation.BoundParameters.ContainsKey(nameof(NatKind))))
                WriteWarning("-NatFraction and -NatKind shape simulated networks: a live network's NATs are the real ones between its hosts.");
            if (Simulated && Address != null)
                WriteWarning("-Address is for live networks: simulated nodes have virtual addresses (10.x.y.z).");
            // Node names carry the network's name, so events from two networks stay apart.
            string prefix = name + "-";
            PeerNetwork network;
            try
            {
                if (Simulated)
                {
                    WriteVerbose($"Building a simulated {Topology} network of {Count} nodes (degree {Degree}, seed {Seed}).");
                    // The build runs on this thread; progress and Ctrl+C are seen between its steps.
                    var engine = GnutellaNetwork.CreateSimulated(options, prefix,
                        (what, fraction) => WriteProgress(new ProgressRecord(ProgressActivityId, $"Building {name}", what) { PercentComplete = (int)(fraction * 100) }),
                        _pump.Token);
                    WriteProgress(new ProgressRecord(ProgressActivityId, $"Building {name}", "Done") { RecordType = ProgressRecordType.Completed });
                    network = new PeerNetwork(name, engine, null);
                }
                else
                {
                    string root = Path.Combine(Path.GetTempPath(), "PSPeer-" + name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
                    options.LiveSharedRoot = root;
                    WriteVerbose($"Starting {Count} live Gnutella servents on loopback (files under {root}).");
                    var building = _pump.Run(ct => GnutellaNetwork.CreateLiveAsync(options, prefix, ct));
                    if (_pump.IsStopping) return;
                    network = new PeerNetwork(name, building.GetAwaiter().GetResult(), root);
                }
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
            WriteVerbose($"{name}: {network.Links} links ({network.FailedLinks} failed), {network.UltrapeerCount} ultrapeers, {network.Elapsed} of virtual time to build.");
            WriteObject(network);
        }

        protected override void StopProcessing() => _pump.Cancel();
    }
}
