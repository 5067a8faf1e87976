using System.Linq;
using System.Management.Automation;
using PSPeer.Engine.Chord;

namespace PSPeer
{
    /// <summary>
    /// Shows Chord nodes' view of the ring: predecessor, successor list, the distinct nodes of the finger table and
    /// the keys held. Without -Node, every Chord node of the session.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "PeerRing")]
    [OutputType(typeof(PeerRing))]
    public sealed class GetPeerRingCommand : PSCmdlet
    {
        /// <summary>Chord nodes (PeerNode objects or names; also from the pipeline, e.g. $ring.Nodes).</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [Alias("Via")]
        [ArgumentCompleter(typeof(PeerNodeNameCompleter))]
        [ValidateNotNull]
        public PeerNode[] Node { get; set; }

        protected override void ProcessRecord()
        {
            var nodes = Node ?? NodeRegistry.GetNodes().Where(n => n.Engine is ChordNode).ToArray();
            foreach (var node in nodes)
            {
                if (node.Engine is ChordNode chord)
                {
                    WriteObject(new PeerRing(node, chord));
                    continue;
                }
                WriteError(Errors.Make(CmdletErrorIds.NodeNotChord, ErrorCategory.InvalidArgument, node,
                    $"Node '{node.Name}' is a {node.Protocol} {node.Role}: only Chord nodes have a ring.",
                    "Pass Chord nodes as -Node (Start-PeerNode -Protocol Chord)."));
            }
        }
    }
}
