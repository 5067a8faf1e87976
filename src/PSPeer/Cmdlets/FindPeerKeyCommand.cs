using System;
using System.Management.Automation;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Looks keys up on a Chord ring through a node: iteratively (the node asks each hop itself, as a DNS resolver
    /// walks from the root) or recursively (each node forwards the query and the answer comes back along the path).
    /// Emits one PeerLookup per key: owner, hops, path, latency, retries.
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "PeerKey")]
    [OutputType(typeof(PeerLookup))]
    public sealed class FindPeerKeyCommand : ChordKeyCommandBase
    {
        /// <summary>The keys to look up (names; their ids are SHA-1 of the UTF-8 bytes).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Key { get; set; }

        /// <summary>Iterative (default) or Recursive.</summary>
        [Parameter]
        public ChordLookupMode Mode { get; set; } = ChordLookupMode.Iterative;

        protected override void ProcessRecord()
        {
            var chord = RequireNode(out var node);
            foreach (string key in Key)
            {
                if (IsStopping) return;
                if (!TryRun(node, ct => chord.LookupAsync(key, Mode, ct), key, out var result))
                {
                    if (IsStopping) return;   // Ctrl+C
                    continue;
                }
                var lookup = new PeerLookup(result, node, key);
                if (!result.Succeeded)
                {
                    WriteError(Errors.Make(PeerErrorIds.ChordLookupFailed, ErrorCategory.ConnectionError, lookup,
                        $"The lookup of '{key}' through {node.Name} failed: {result.Failure}",
                        "Check that the ring has live nodes (Get-PeerRing), or try again after it stabilizes."));
                    continue;
                }
                WriteVerbose($"'{key}' ({lookup.KeyId}) is owned by {lookup.Owner}: {lookup.Hops} hops, {lookup.Retries} retries, {lookup.Latency.TotalMilliseconds:0.#} ms.");
                WriteObject(lookup);
            }
        }
    }
}
