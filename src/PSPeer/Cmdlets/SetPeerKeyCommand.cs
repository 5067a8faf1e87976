using System;
using System.Management.Automation;
using System.Text;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Stores values under a key on a Chord ring: at the key's owner and its successors (the replicas). A key holds a
    /// set of distinct values; storing one again refreshes it. The storing node refreshes its values while it runs;
    /// a value nobody refreshes expires (60 minutes by default).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "PeerKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(PeerLookup))]
    public sealed class SetPeerKeyCommand : ChordKeyCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Key { get; set; }

        /// <summary>The values to store (each at most 1,000 UTF-8 bytes, by default).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Value { get; set; }

        /// <summary>Emit the lookup that found the key's owner, for each value stored.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var chord = RequireNode(out var node);
            int limit = chord.Options?.MaxValueBytes ?? 1000;
            foreach (string value in Value)
            {
                if (IsStopping) return;
                int bytes = Encoding.UTF8.GetByteCount(value ?? "");
                if (bytes > limit)
                {
                    WriteError(Errors.Make(CmdletErrorIds.PeerKeyValueTooLarge, ErrorCategory.InvalidArgument, value,
                        $"A value of {bytes} UTF-8 bytes is over the ring's limit of {limit} bytes per value.",
                        "Store a shorter value (a URL or a pointer to the data), or split it over several keys."));
                    continue;
                }
                if (!ShouldProcess($"key '{Key}' on the ring of {node.Name}", $"Store value '{Shorten(value)}'")) continue;
                if (!TryRun(node, ct => chord.StoreAsync(Key, value, ct), Key, out var result))
                {
                    if (IsStopping) return;   // Ctrl+C
                    continue;
                }
                var lookup = new PeerLookup(result, node, Key);
                if (!result.Succeeded)
                {
                    // Refused by the holders (302 too big, 303 too many values, 305 bad token), or no owner reached.
                    bool refused = result.ErrorCode == 302 || result.ErrorCode == 303 || result.ErrorCode == 305;
                    string id = refused ? PeerErrorIds.ChordStoreRefused : PeerErrorIds.ChordLookupFailed;
                    WriteError(Errors.Make(id, Errors.CategoryOf(id), lookup,
                        $"Storing under '{Key}' through {node.Name} failed: {result.Failure}",
                        "Check that the ring has live nodes (Get-PeerRing), or try again after it stabilizes."));
                    continue;
                }
                WriteVerbose($"Stored under '{Key}' at {lookup.Owner} and its replicas ({lookup.Hops} hops).");
                if (PassThru) WriteObject(lookup);
            }
        }

        static string Shorten(string value) => value.Length <= 60 ? value : value.Substring(0, 57) + "...";
    }
}
