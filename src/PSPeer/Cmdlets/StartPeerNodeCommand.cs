using System;
using System.IO;
using System.Management.Automation;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer
{
    /// <summary>Starts a live node on loopback and keeps it in the session until Stop-PeerNode or Remove-Module.</summary>
    [Cmdlet(VerbsLifecycle.Start, "PeerNode")]
    [OutputType(typeof(PeerNode))]
    public sealed class StartPeerNodeCommand : PSCmdlet
    {
        readonly PipelinePump _pump = new PipelinePump();

        [Parameter(Position = 0)]
        public PeerProtocol Protocol { get; set; } = PeerProtocol.Napster;

        [Parameter]
        public PeerRole Role { get; set; } = PeerRole.Peer;

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
        public HostPort IndexServer { get; set; }

        /// <summary>Gnutella: servents to join through (PeerNodes, node names, or host:port, comma-separated or a list).</summary>
        [Parameter]
        [EndPointListTransformation]
        public HostPort[] Bootstrap { get; set; }

        protected override void ProcessRecord()
        {
            Guid session = NodeRegistry.CurrentSession;
            var request = new NodeRequest { Protocol = Protocol, Role = Role, Port = Port, IndexServer = IndexServer, Bootstrap = Bootstrap };

            if (SharedPath != null)
            {
                if (!NodeFactory.CanShare(Protocol, Role))
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.RoleNotSupported, ErrorCategory.InvalidArgument, SharedPath,
                        $"A {Protocol} {Role} does not share files: leave out -SharedPath, or start a Peer."));
                request.SharedPath = GetUnresolvedProviderPathFromPSPath(SharedPath);
                if (!Directory.Exists(request.SharedPath))
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.SharedPathNotFound, ErrorCategory.ObjectNotFound, SharedPath,
                        $"The folder '{request.SharedPath}' does not exist.", "Create the folder, or pass an existing one as -SharedPath."));
            }

            if (NodeFactory.NeedsIndexServer(Protocol, Role) && request.IndexServer == null)
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
                request.Name = NodeRegistry.NextName(session, Protocol.ToString(), Role.ToString());
            }

            PeerNodeBase engine = null;
            try
            {
                engine = NodeFactory.Create(LiveRuntime.Loopback, request);
                WriteVerbose($"Starting {Protocol} {Role} '{request.Name}'.");
                var started = _pump.Run(ct => engine.StartAsync(ct));
                if (_pump.IsStopping)
                {
                    // Ctrl+C during start: whatever came up goes down again, nothing is registered.
                    _ = engine.StopAsync();
                    return;
                }
                started.GetAwaiter().GetResult();
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

            var node = new PeerNode(engine);
            NodeRegistry.Add(session, node);
            WriteObject(node);
        }

        protected override void StopProcessing() => _pump.Cancel();
    }
}
