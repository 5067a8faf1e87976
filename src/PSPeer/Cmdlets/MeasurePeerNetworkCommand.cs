using System.Management.Automation;

namespace PSPeer
{
    /// <summary>Reports what a network did since it was built (or last reset): searches, hits and their hops,
    /// floods and their reach by hops against breadth-first search, messages by type, duplicates, churn.</summary>
    [Cmdlet(VerbsDiagnostic.Measure, "PeerNetwork")]
    [OutputType(typeof(PeerNetworkMeasurement))]
    public sealed class MeasurePeerNetworkCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PeerNetwork Network { get; set; }

        /// <summary>Start a new measurement period after this one (counters, floods and searches from zero).</summary>
        [Parameter]
        public SwitchParameter Reset { get; set; }

        protected override void ProcessRecord()
        {
            // A stopped network's counters were reset with its nodes: zeros would read as "nothing happened".
            if (Network.IsStopped)
            {
                WriteError(Errors.Make(CmdletErrorIds.PeerNetworkStopped, ErrorCategory.InvalidOperation, Network,
                    $"Network '{Network.Name}' has been stopped, so there is nothing left to measure.",
                    "Measure a network before Stop-PeerNode stops it, or compose a new one with New-PeerNetwork."));
                return;
            }
            var measurement = Network.Builder.Describe(Network, Network.Engine.Measure());
            if (Reset) Network.Engine.ResetMeasurement();
            WriteObject(measurement);
        }
    }
}
