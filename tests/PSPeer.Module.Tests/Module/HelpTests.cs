using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests
{
    /// <summary>`Get-Help <cmdlet> -Examples` reads the module's MAML (Get-Help is a Core cmdlet, so it exists here).</summary>
    public class HelpTests : System.IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        /// <summary>The cmdlets PSPeer.psd1 exports, in ordinal order.</summary>
        static readonly string[] ExportedCmdlets = new[] { "Find-PeerFile", "Get-PeerEventStream", "Get-PeerNode", "Get-TorrentInfo", "New-Torrent", "Publish-PeerFile", "Receive-PeerFile", "Start-PeerNode", "Stop-PeerNode", "Watch-PeerEvent" }
            .Concat(new[] { "New-PeerNetwork", "Invoke-PeerSimulation", "Measure-PeerNetwork" })   // networks (issue 5)
            .Concat(new[] { "Show-PeerNetwork", "Get-PeerDashboard", "Stop-PeerDashboard" })   // dashboard (issue 14)
            .Concat(new[] { "Set-PeerKey", "Get-PeerKey", "Find-PeerKey", "Get-PeerRing" })   // Chord rings (issue 12)
            .Concat(new[] { "Export-PeerChart" })   // charts (issue 14)
            .OrderBy(n => n, System.StringComparer.Ordinal).ToArray();

        [Fact]
        public void Every_exported_cmdlet_has_at_least_one_help_example()
        {
            var result = _session.Run(@"
                Get-Command -Module PSPeer -CommandType Cmdlet | ForEach-Object {
                    $help = Get-Help $_.Name -Examples
                    [pscustomobject]@{ Name = $_.Name; Examples = @($help.examples.example).Where({ $_ -ne $null }).Count; Synopsis = ""$($help.Synopsis)"".Trim() }
                }");

            result.ShouldSucceed();
            // Every exported cmdlet was looked at, not only some of them.
            Assert.Equal(ExportedCmdlets, result.Output.Select(o => (string)o.Properties["Name"].Value).OrderBy(n => n, System.StringComparer.Ordinal));
            var missing = result.Output.Where(o => (int)o.Properties["Examples"].Value < 1).Select(o => (string)o.Properties["Name"].Value).ToList();
            Assert.True(missing.Count == 0, "no help example for: " + string.Join(", ", missing));
            // A synopsis generated from the syntax (no MAML) starts with the cmdlet name; real help does not.
            Assert.All(result.Output, o => Assert.False(((string)o.Properties["Synopsis"].Value).StartsWith((string)o.Properties["Name"].Value + " "),
                "help for " + o.Properties["Name"].Value + " is generated, not written"));
        }

        [Fact]
        public void Exported_commands_are_exactly_the_cmdlets_of_the_manifest()
        {
            var result = _session.Run("(Get-Command -Module PSPeer).Name; (Get-Command -Module PSPeer -CommandType Function).Count");

            result.ShouldSucceed();
            var names = result.Output.Take(result.Output.Count - 1).Select(o => (string)o.BaseObject).OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
            Assert.Equal(ExportedCmdlets, names);
            Assert.Equal(0, result.Output.Last().BaseObject);
        }

        public void Dispose() => _session.Dispose();
    }
}
