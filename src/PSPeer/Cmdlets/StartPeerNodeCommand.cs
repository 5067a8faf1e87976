using System;
using System.Linq;
using System.IO;
using System.Management.Automation;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer
{
    /// <summary>Starts a live node on loopback and keeps it in the session until Stop-PeerNode or Remove-Module.</summary>
    [Cmdlet(VerbsLifecycle.Start, "PeerNode")]
    [OutputType(typeof(PeerNode))]
    public sealed partial class StartPeerNodeCommand : PSCmdlet
    {
        readonly PipelinePump _pump = new PipelinePump();

        [Parameter(Position = 0)]
        public PeerProtocol Protocol { get; set; } = PeerProtocol.Napster;

        /// <summary>
        /// A PeerRole name. A string rather than the enum so that Tab offers only the -Protocol's roles (PowerShell
        /// completes an enum parameter with every value and never asks its completer).
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(PeerRoleCompleter))]
        [ValidatePeerRole]
        public string Role { get; set; } = nameof(PeerRole.Peer);

        PeerRole ChosenRole => (PeerRole)Enum.Parse(typeof(PeerRole), Role, ignoreCase: true);

        /// <summary>Unique in the session; default Protocol-Role-N.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>0 = any free port.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SharedPath { get; set; }

        /// <summary>A PeerNode, a node name or "host:port". Default: the session's most recent index server.</summary>
        [Parameter]
        [EndPointTransformation]
        [ArgumentCompleter(typeof(PeerNodeNameCompleter))]
        public HostPort IndexServer { get; set; }

        /// <summary>BitTorrent Seeder/Leecher: the .torrent file, or a TorrentInfo from New-Torrent / Get-TorrentInfo.</summary>
        [Parameter]
        [TorrentInputTransformation]
        [ValidateNotNull]
        public TorrentInput Torrent { get; set; }

        /// <summary>BitTorrent Seeder/Leecher: announce URLs or tracker nodes to use instead of the torrent's own trackers.</summary>
        [Parameter]
        [TrackerUrlTransformation]
        [ArgumentCompleter(typeof(PeerNodeNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Tracker { get; set; }

        /// <summary>BitTorrent Seeder/Leecher: most bytes per second sent to all peers together (0 = unlimited), e.g. 10MB.</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long UploadLimit { get; set; }

        /// <summary>BitTorrent Seeder/Leecher: most bytes per second received from all peers together (0 = unlimited).</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long DownloadLimit { get; set; }

        /// <summary>Gnutella: servents to join through; Chord: ring members to join through, tried in turn (PeerNodes, node names, or host:port, comma-separated or a list).</summary>
        [Parameter]
        [EndPointListTransformation]
        [ArgumentCompleter(typeof(PeerNodeNameCompleter))]
        public HostPort[] Bootstrap { get; set; }

        /// <summary>
        /// What strangers may hold of the node: a ConnectionLimits or a hashtable of its properties, e.g.
        /// @{ MaxConnectionsPerAddress = 64; HandshakeTimeout = '00:00:10' }. Values left out keep the role's defaults
        /// (shown by the node's Limits property). Loopback is not exempt: many nodes on 127.0.0.1 need a higher
        /// MaxConnectionsPerAddress.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public PSPeer.Engine.Runtime.Admission.ConnectionLimits ConnectionLimit { get; set; }

        /// <summary>BitTorrent Tracker: list peers at the "ip" their announces name, not the address they come from (off, as opentracker).</summary>
        [Parameter]
        public SwitchParameter AllowClientAddress { get; set; }

        /// <summary>
        /// BitTorrent Leecher: once the download is complete and verified, it replaces a file already at the torrent's
        /// name that is not this content. Without it such a file is never written to: the download stays under
        /// "&lt;name&gt;.pspeer-partial".
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The local address to bind (IPv4 or IPv6; 0.0.0.0 or :: for every address). Default 127.0.0.1.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Address { get; set; }

        /// <summary>The address peers are told where the protocol carries one (Gnutella, BitTorrent announces); default: -Address, or the route's for a wildcard.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ExternalAddress { get; set; }

        /// <summary>Gnutella: Reachable (default), Firewalled (push flag), or Detect (firewalled until a peer from outside connects in).</summary>
        [Parameter]
        public PeerReachability Reachability { get; set; } = PeerReachability.Reachable;

        /// <summary>
        /// Gnutella with -ExternalAddress or -Reachability Detect: seconds after which a node no peer from outside has
        /// reached says so in a NotReachedFromOutside event; 0 = never.
        /// </summary>
        [Parameter]
        [ValidateRange(0, 86_400)]
        public int ReachabilityTimeoutSec { get; set; } = 120;

        /// <summary>Chord Peer: virtual nodes this host runs on the ring (the paper's r, for load balance), one UDP port each; one PeerNode per virtual node is emitted.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int VirtualNodes { get; set; } = 1;

        protected override void ProcessRecord()
        {
            Guid session = NodeRegistry.CurrentSession;
            var request = new NodeRequest { Protocol = Protocol, Role = ChosenRole, Port = Port, IndexServer = IndexServer, Bootstrap = Bootstrap };
            ValidateChoice();
            request.AllowClientAddress = AllowClientAddress;
            request.Reachability = Reachability;
            if (ReachabilityTimeoutSec > 0 && (ExternalAddress != null || Reachability == PeerReachability.Detect))
                request.ReachabilityCheckAfter = TimeSpan.FromSeconds(ReachabilityTimeoutSec);
            request.ReplaceExisting = Force;

            if (NodeFactory.NeedsTorrent(Protocol, ChosenRole))
            {
                PrepareTorrent(session, request);
            }
            else if (SharedPath != null)
            {
                request.SharedPath = GetUnresolvedProviderPathFromPSPath(SharedPath);
                RequireFolder(request.SharedPath);
                if (!Directory.Exists(request.SharedPath))
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.SharedPathNotFound, ErrorCategory.ObjectNotFound, SharedPath,
                        $"The folder '{request.SharedPath}' does not exist.", "Create the folder, or pass an existing one as -SharedPath."));
            }

            if (NodeFactory.NeedsIndexServer(Protocol, ChosenRole) && request.IndexServer == null)
            {
                var server = NodeRegistry.MostRecent(session, n => n.Role == nameof(PeerRole.IndexServer) && n.Protocol == Protocol.ToString()
                                                                  && n.State == NodeState.Running && n.EndPoint != null);
                if (server == null)
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.IndexServerRequired, ErrorCategory.InvalidArgument, null,
                        $"A {Protocol} peer joins through an index server, and none is running in this session.",
                        $"Pass -IndexServer host:port, or first run: Start-PeerNode -Protocol {Protocol} -Role IndexServer"));
                request.IndexServer = HostPort.Parse(server.EndPoint);
                WriteVerbose($"Using index server {server.Name} at {server.EndPoint}.");
            }

            if (Name != null)
            {
                if (!NodeRegistry.TryReserveName(session, Name))
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNodeNameInUse, ErrorCategory.ResourceExists, Name,
                        $"A node named '{Name}' is already running in this session.", "Choose another -Name, or Stop-PeerNode it first."));
                request.Name = Name;
            }
            else
            {
                request.Name = NodeRegistry.NextName(session, Protocol.ToString(), ChosenRole.ToString());
            }

            if (Protocol == PeerProtocol.Chord)
            {
                StartChord(session, request);
                return;
            }

            PeerNodeBase engine = null;
            PeerNode node = null;
            try
            {
                engine = NodeFactory.Create(LiveRuntimes.For(Address, ExternalAddress), request);
                if (ConnectionLimit != null) engine.Limits = ConnectionLimit;
                // Wrapped before it starts: a leecher dials the peers its first announce names at once and may have
                // verified pieces (whose senders become Sources) before StartAsync returns.
                node = new PeerNode(engine);
                WriteVerbose($"Starting {Protocol} {ChosenRole} '{request.Name}'.");
                var started = _pump.Run(ct => engine.StartAsync(ct));
                if (_pump.IsStopping)
                {
                    // Ctrl+C during start: whatever came up goes down again, nothing is registered.
                    _ = engine.StopAsync();
                    return;
                }
                try
                {
                    started.GetAwaiter().GetResult();
                }
                catch (PeerException ex) when (ex.ErrorId == PeerErrorIds.TorrentDataMissing && engine is BitTorrentPeer peer)
                {
                    // Files of the right sizes but not the right bytes: the engine (SeedOnly) verified them before it
                    // listened, announced or dialled, and refused to start; the node never joined the swarm.
                    throw new PeerException(CmdletErrorIds.TorrentDataMissing,
                        $"Only {peer.StartedPieceCount} of {peer.Torrent.PieceCount} pieces in '{request.SharedPath}' match the torrent '{peer.Torrent.Name}', so it cannot seed. " +
                        "Point -SharedPath at the folder that holds the torrent's original content, or start a Leecher there to download the rest.", ex);
                }
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                NodeRegistry.ReleaseName(session, request.Name);
                ThrowTerminatingError(Errors.FromException(ex, CmdletErrorIds.PeerNodeFailed, request.Name));
            }
            finally
            {
                if (_pump.IsStopping) NodeRegistry.ReleaseName(session, request.Name);
            }

            NodeRegistry.Add(session, node);
            WriteObject(node);
        }

        /// <summary>
        /// Seeder/Leecher: reads the torrent, settles the folder (default: the current location; a Leecher's is created,
        /// a Seeder's must hold the content) and the trackers (-Tracker, else the torrent's, else the session's tracker).
        /// </summary>
        void PrepareTorrent(Guid session, NodeRequest request)
        {
            if (Torrent == null)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.TorrentRequired, ErrorCategory.InvalidArgument, null,
                    $"A BitTorrent {ChosenRole} serves or fetches one torrent: -Torrent is required.",
                    "Pass -Torrent with a .torrent path or a TorrentInfo from New-Torrent or Get-TorrentInfo."));
            try
            {
                request.Torrent = Torrent.Resolve(this);
            }
            catch (PeerException ex)
            {
                ThrowTerminatingError(Errors.FromException(ex, ex.ErrorId, Torrent));
            }

            request.SharedPath = GetUnresolvedProviderPathFromPSPath(SharedPath ?? ".");
            RequireFolder(request.SharedPath);
            if (ChosenRole == PeerRole.Leecher)
            {
                try { Directory.CreateDirectory(request.SharedPath); }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "DestinationNotWritable", ErrorCategory.WriteError, request.SharedPath));
                }
            }
            else
            {
                // Every way a seeder's data can be missing (no folder, no file, short file; NodeFactory: changed since;
                // after start: wrong bytes) is TorrentDataMissing, so a script catches one id.
                string missing = TorrentDataCheck.DescribeMissing(request.Torrent, request.SharedPath);
                if (missing != null)
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.TorrentDataMissing, ErrorCategory.ObjectNotFound, request.SharedPath,
                        TorrentDataCheck.SeederMessage(missing), TorrentDataCheck.SeederHint));
            }

            request.UploadLimit = UploadLimit;
            request.DownloadLimit = DownloadLimit;
            if (Tracker != null)
            {
                request.Trackers = Tracker;
            }
            else if (request.Torrent.Trackers.Count == 0)
            {
                var tracker = NodeRegistry.MostRecent(session, n => n.Engine is BitTorrentTracker t && n.State == NodeState.Running && t.AnnounceUrl != null);
                if (tracker != null)
                {
                    request.Trackers = new[] { ((BitTorrentTracker)tracker.Engine).AnnounceUrl };
                    WriteVerbose($"The torrent names no tracker: using {tracker.Name} at {request.Trackers[0]}.");
                }
                else
                {
                    WriteWarning($"The torrent '{request.Torrent.Name}' names no tracker and none runs in this session: peers must find this node by its endpoint.");
                }
            }
        }

        /// <summary>
        /// Refuses, before anything starts, a role the protocol does not have, a parameter the protocol and role do not
        /// take (silently ignoring it would start something other than what was asked), and a name the protocol cannot carry.
        /// </summary>
        void ValidateChoice()
        {
            var roles = NodeFactory.RolesOf(Protocol);
            if (!roles.Contains(ChosenRole))
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.RoleNotSupported, ErrorCategory.InvalidArgument, ChosenRole,
                    $"{Protocol} has no role {ChosenRole}: its roles are {string.Join(", ", roles)}.", $"Pass -Role {roles[0]} (or another of them)."));
            foreach (var rule in NodeFactory.RoleParameters)
                if (MyInvocation.BoundParameters.ContainsKey(rule.Parameter) && !rule.Applies(Protocol, ChosenRole))
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.ParameterNotApplicable, ErrorCategory.InvalidArgument, MyInvocation.BoundParameters[rule.Parameter],
                        $"-{rule.Parameter} applies to {rule.TakenBy}, not to a {Protocol} {ChosenRole}.",
                        $"Leave out -{rule.Parameter}, or choose the -Protocol and -Role it applies to."));
            string problem = Name == null ? null : NodeFactory.NameProblem(Protocol, ChosenRole, Name);
            if (problem != null)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNodeNameInvalid, ErrorCategory.InvalidArgument, Name, problem,
                    "Pass a -Name without spaces or quotes, for example 'my-peer'."));
        }

        /// <summary>-SharedPath names a folder: a file there is its own mistake, not a missing folder.</summary>
        void RequireFolder(string path)
        {
            if (File.Exists(path))
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.SharedPathNotFolder, ErrorCategory.InvalidArgument, SharedPath,
                    $"-SharedPath names the file '{path}'; it takes a folder.",
                    $"Pass the folder that holds the file, for example -SharedPath '{Path.GetDirectoryName(path)}'."));
        }

        protected override void StopProcessing() => _pump.Cancel();

        /// <summary>-Role is one of the PeerRole names (any case).</summary>
        sealed class ValidatePeerRoleAttribute : ValidateArgumentsAttribute
        {
            protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
            {
                string text = (arguments is PSObject pso ? pso.BaseObject : arguments)?.ToString();
                if (string.IsNullOrEmpty(text) || !Enum.GetNames(typeof(PeerRole)).Contains(text, StringComparer.OrdinalIgnoreCase))
                    throw new ValidationMetadataException(
                        $"'{text}' is not a role. The roles are {string.Join(", ", Enum.GetNames(typeof(PeerRole)))}; Tab offers those of the -Protocol.");
            }
        }
    }
}
