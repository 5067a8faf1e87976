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
    public sealed class GetPeerKeyCommand : PSCmdlet
    {
        readonly ChordCalls _calls = new ChordCalls();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Key { get; set; }

        /// <summary>The Chord node to read through. Default: the session's most recent running Chord node.</summary>
        [Parameter]
        [Alias("Node")]
        [ArgumentCompleter(typeof(PeerNodeNameCompleter))]
        [ValidateNotNull]
        public PeerNode Via { get; set; }

        /// <summary>How the owner is found: Iterative (default) or Recursive.</summary>
        [Parameter]
        public ChordLookupMode Mode { get; set; } = ChordLookupMode.Iterative;

        /// <summary>Seconds to wait for each key (virtual seconds on a simulated network).</summary>
        [Parameter]
        [ValidateRange(0.001, 3600)]
        public double Timeout { get; set; } = 10;

        protected override void ProcessRecord()
        {
            var node = Via;
            var chord = ChordCalls.Require(this, ref node, nameof(Via));
            foreach (string key in Key)
            {
                if (_calls.IsStopping) return;
                IReadOnlyList<string> values;
                try
                {
                    values = _calls.Run(node, ct => chord.GetValuesAsync(key, Mode, ct), TimeSpan.FromSeconds(Timeout));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteError(Errors.FromException(ex, PeerErrorIds.ChordLookupFailed, key));
                    continue;
                }
                if (values == null) return;   // Ctrl+C
                WriteVerbose($"'{key}': {values.Count} value(s).");
                foreach (var v in values) WriteObject(v);
            }
        }

        protected override void StopProcessing() => _calls.Cancel();
    }
}
