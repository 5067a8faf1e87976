using System.Linq;
using System.Management.Automation;

namespace PSPeer
{
    /// <summary>Lists the session's nodes in start order, by name (wildcards) and protocol; with -Network, a network's nodes.</summary>
    [Cmdlet(VerbsCommon.Get, "PeerNode")]
    [OutputType(typeof(PeerNode))]
    public sealed class GetPeerNodeCommand : PSCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PeerNodeNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        [Parameter]
        public PeerProtocol[] Protocol { get; set; }

        /// <summary>List this network's nodes instead of the session's own (network nodes are not listed by default).</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public PeerNetwork Network { get; set; }

        protected override void ProcessRecord()
        {
            var nodes = (Network != null ? Network.Nodes : NodeRegistry.GetNodes())
                .Where(n => Protocol == null || Protocol.Any(p => p.ToString() == n.Protocol))
                .ToList();
            if (Name == null)
            {
                WriteObject(nodes, enumerateCollection: true);
                return;
            }

            var patterns = Name.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToArray();
            WriteObject(nodes.Where(n => patterns.Any(p => p.IsMatch(n.Name))), enumerateCollection: true);

            // A plain name that matches nothing is worth telling; a wildcard that matches nothing is not.
            foreach (string name in Name.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
            {
                if (!nodes.Any(n => NodeRegistry.NameEquals(n.Name, name)))
                    WriteError(Errors.Make(CmdletErrorIds.PeerNodeNotFound, ErrorCategory.ObjectNotFound, name,
                        Network != null ? $"Network '{Network.Name}' has no node named '{name}'." : $"No node named '{name}' is running in this session.", "Run Get-PeerNode to list the running nodes."));
            }
        }
    }
}
