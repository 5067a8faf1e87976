using System.Management.Automation;

namespace PSPeer
{
    /// <summary>Lists the session's running dashboards (Show-PeerNetwork), oldest first.</summary>
    [Cmdlet(VerbsCommon.Get, "PeerDashboard")]
    [OutputType(typeof(PeerDashboard))]
    public sealed class GetPeerDashboardCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            foreach (var dashboard in DashboardRegistry.Get(NodeRegistry.CurrentSession)) WriteObject(dashboard);
        }
    }
}
