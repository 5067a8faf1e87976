using System.Management.Automation;

namespace PSPeer
{
    /// <summary>Stops dashboards: closes their port and every open page's stream, and unsubscribes every node they watched.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "PeerDashboard", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(PeerDashboard))]
    public sealed class StopPeerDashboardCommand : PSCmdlet
    {
        /// <summary>The dashboards to stop (Show-PeerNetwork, Get-PeerDashboard).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("InputObject")]
        [ValidateNotNull]
        public PeerDashboard[] Dashboard { get; set; }

        /// <summary>Emit each stopped dashboard.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var dashboard in Dashboard)
            {
                if (!ShouldProcess($"{dashboard.Scope} at port {dashboard.Port}", "Stop peer dashboard")) continue;
                dashboard.Stop();
                if (PassThru) WriteObject(dashboard);
            }
        }
    }
}
