using System;
using System.Collections.Generic;
using System.Management.Automation;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>Reads the values stored under keys on a Chord ring (from the owner, or a replica when the owner is gone); emits them as text.</summary>
    [Cmdlet(VerbsCommon.Get, "PeerKey")]
    [OutputType(typeof(string))]
    public sealed class GetPeerKeyCommand : ChordKeyCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Key { get; set; }

        /// <summary>How the owner is found: Iterative (default) or Recursive.</summary>
        [Parameter]
        public ChordLookupMode Mode { get; set; } = ChordLookupMode.Iterative;

        protected override void ProcessRecord()
        {
            var chord = RequireNode(out var node);
            foreach (string key in Key)
            {
                if (IsStopping) return;
                if (!TryRun(node, ct => chord.GetValuesAsync(key, Mode, ct), key, out var values))
                {
                    if (IsStopping) return;   // Ctrl+C
                    continue;
                }
                WriteVerbose($"'{key}': {values.Count} value(s).");
                foreach (var v in values) WriteObject(v);
            }
        }
    }
}
