using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Reads the values stored under keys on a Chord ring (from the owner, or a replica when the owner is gone); emits
    /// them as text (UTF-8), or with -AsByteStream as the bytes stored (values are byte strings on the wire).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "PeerKey")]
    [OutputType(typeof(string), typeof(byte[]))]
    public sealed class GetPeerKeyCommand : ChordKeyCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Key { get; set; }

        /// <summary>How the owner is found: Iterative (default) or Recursive.</summary>
        [Parameter]
        public ChordLookupMode Mode { get; set; } = ChordLookupMode.Iterative;

        /// <summary>Emit each value as its bytes (one byte[] per value) rather than as UTF-8 text.</summary>
        [Parameter]
        public SwitchParameter AsByteStream { get; set; }

        protected override void ProcessRecord()
        {
            var chord = RequireNode(out var node);
            foreach (string key in Key)
            {
                if (IsStopping) return;
                if (!TryRun(node, ct => chord.GetValueBytesAsync(key, Mode, ct), key, out var values))
                {
                    if (IsStopping) return;   // Ctrl+C
                    continue;
                }
                WriteVerbose($"'{key}': {values.Count} value(s).");
                foreach (var v in values)
                {
                    // One byte[] per value, not its bytes one by one down the pipeline.
                    if (AsByteStream) WriteObject(v, false);
                    else WriteObject(Encoding.UTF8.GetString(v));
                }
            }
        }
    }
}
