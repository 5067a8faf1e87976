using System;
using System.Management.Automation;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>Hands back a node's IObservable&lt;PeerEvent&gt; as one object, for Rx users.</summary>
    [Cmdlet(VerbsCommon.Get, "PeerEventStream")]
    [OutputType(typeof(IObservable<PeerEvent>))]
    public sealed class GetPeerEventStreamCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PeerNode Node { get; set; }

        protected override void ProcessRecord() => WriteObject(Node.Events, enumerateCollection: false);
    }
}
