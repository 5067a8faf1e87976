using System.Management.Automation;

namespace PSPeer
{
    /// <summary>
    /// How cmdlets that act through a node (Find-, Publish-, Receive-PeerFile) pick it: the caller resolves the node
    /// (given, or the session's most recent suitable one); this ends the cmdlet with one clear error when there is no
    /// node, or when the node cannot do what was asked.
    /// </summary>
    internal static class NodeSelection
    {
        /// <param name="missing">What is missing, e.g. "No node of this session can search."</param>
        /// <param name="startHint">How to get one, e.g. "Start-PeerNode -Protocol Napster -IndexServer &lt;server&gt;".</param>
        /// <param name="cannotId">The error id when the node is of the wrong kind (NodeCannotSearch, NodeCannotShare).</param>
        /// <param name="cannot">What the node cannot do, e.g. "cannot search".</param>
        /// <param name="parameter">The parameter that picks another node (Via, Node).</param>
        public static T Require<T>(PSCmdlet cmdlet, PeerNode node, string missing, string startHint, string cannotId, string cannot, string parameter)
            where T : class
        {
            if (node == null)
                cmdlet.ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNodeNotFound, ErrorCategory.ObjectNotFound, null, missing, "Start one first: " + startHint));
            // A simulated node's files live in the simulation's memory: it cannot publish or fetch files of this machine.
            var network = typeof(T) == typeof(PSPeer.Engine.Core.ISharingNode) ? NetworkRegistry.Find(node) : null;
            if (network != null && network.Simulated)
                cmdlet.ThrowTerminatingError(Errors.Make(CmdletErrorIds.PeerNodeSimulated, ErrorCategory.InvalidOperation, node,
                    $"Node '{node.Name}' belongs to the simulated network '{network.Name}', whose files exist only inside the simulation.",
                    "Search it with Find-PeerFile -Via; to download, use a live network (New-PeerNetwork without -Simulated) or Start-PeerNode."));
            if (node.State != PSPeer.Engine.Core.NodeState.Running)
                cmdlet.ThrowTerminatingError(Errors.Make(PSPeer.Engine.Core.PeerErrorIds.NodeNotRunning, ErrorCategory.InvalidOperation, node,
                    $"Node '{node.Name}' is {node.State}: it cannot act any more.",
                    $"Pass a running node as -{parameter} (Get-PeerNode lists them), or start one: {startHint}"));
            if (node.As<T>() is T capable) return capable;
            cmdlet.ThrowTerminatingError(Errors.Make(cannotId, ErrorCategory.InvalidArgument, node,
                $"Node '{node.Name}' is a {node.Protocol} {node.Role}, which {cannot}.", $"Pass a Peer node as -{parameter}."));
            return null;
        }
    }
}
