using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace PSPeer
{
    /// <summary>
    /// Stops nodes (closing their ports and connections) and removes them from the session. A PeerNode piped in binds
    /// as -Node (the node acted upon); names bind as -Name. A node that is already stopped is a NodeNotRunning error.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "PeerNode", DefaultParameterSetName = NodeSet,
        SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PeerNode))]
    public sealed class StopPeerNodeCommand : PSCmdlet
    {
        const string NodeSet = "Node";
        const string NameSet = "Name";
        const string NetworkSet = "Network";
        readonly PipelinePump _pump = new PipelinePump();

        /// <summary>The nodes to stop (PeerNode objects: Start-PeerNode, Get-PeerNode, $network.Nodes). -InputObject is an alias.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = NodeSet)]
        [Alias("InputObject")]
        [ValidateNotNull]
        public PeerNode[] Node { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PeerNodeNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        /// <summary>Networks to stop as a whole (every node; a simulated network's memory is freed).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = NetworkSet)]
        [ValidateNotNull]
        public PeerNetwork[] Network { get; set; }

        /// <summary>Emit each stopped node.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case NodeSet: StopNodes(Node); break;
                case NameSet: StopByName(); break;
                case NetworkSet: StopNetworks(); break;
            }
        }

        void StopNetworks()
        {
            foreach (var network in Network)
            {
                if (!ShouldProcess($"{network.Name} ({network.Count} {network.Protocol} nodes)", "Stop peer network")) continue;
                NetworkRegistry.Remove(network);
                network.Stop();
                WriteVerbose($"Stopped network {network.Name}.");
            }
        }

        void StopByName()
        {
            var nodes = NodeRegistry.GetNodes();
            var chosen = new List<PeerNode>();
            foreach (string name in Name)
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                var matches = nodes.Where(n => pattern.IsMatch(n.Name)).ToList();
                // A network piped in binds its Name here: a plain name that is no node's but a network's stops that network.
                var network = matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name)
                    ? NetworkRegistry.GetNetworks(NodeRegistry.CurrentSession).FirstOrDefault(n => NodeRegistry.NameEquals(n.Name, name))
                    : null;
                if (network != null)
                {
                    Network = new[] { network };
                    StopNetworks();
                    continue;
                }
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                    WriteError(Errors.Make(CmdletErrorIds.PeerNodeNotFound, ErrorCategory.ObjectNotFound, name,
                        $"No node named '{name}' is running in this session.", "Run Get-PeerNode to list the running nodes."));
                chosen.AddRange(matches.Where(m => !chosen.Contains(m)));
            }
            StopNodes(chosen);
        }

        void StopNodes(IEnumerable<PeerNode> nodes)
        {
            Guid session = NodeRegistry.CurrentSession;
            foreach (var node in nodes)
            {
                if (!IsStoppable(session, node)) continue;
                if (!ShouldProcess($"{node.Name} ({node.Protocol} {node.Role} at {node.EndPoint})", "Stop peer node")) continue;
                NodeRegistry.Remove(session, node);
                try
                {
                    // A node of a simulated network stops as its virtual time runs.
                    var network = NetworkRegistry.Find(node);
                    if (network != null && network.Simulated) network.Engine.Run(async () => { await node.StopAsync(); return true; }, TimeSpan.FromMinutes(1));
                    else _pump.Run(ct => node.StopAsync()).GetAwaiter().GetResult();
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteError(Errors.FromException(ex, CmdletErrorIds.PeerNodeFailed, node));
                    continue;
                }
                if (_pump.IsStopping) return;
                WriteVerbose($"Stopped {node.Name}.");
                if (PassThru) WriteObject(node);
            }
        }

        /// <summary>
        /// A node that already stopped (or failed) and is no longer in the session has nothing to stop: a clear
        /// NodeNotRunning error instead of a silent no-op. One still listed (it failed on its own) is removed quietly.
        /// </summary>
        bool IsStoppable(Guid session, PeerNode node)
        {
            var state = node.State;
            if (state != PSPeer.Engine.Core.NodeState.Stopped && state != PSPeer.Engine.Core.NodeState.Failed) return true;
            if (NodeRegistry.GetNodes().Contains(node)) return true;
            WriteError(Errors.Make(PSPeer.Engine.Core.PeerErrorIds.NodeNotRunning, ErrorCategory.InvalidOperation, node,
                $"Node '{node.Name}' is already {state.ToString().ToLowerInvariant()}.", "Run Get-PeerNode to list the running nodes."));
            return false;
        }

        protected override void StopProcessing() => _pump.Cancel();
    }
}
