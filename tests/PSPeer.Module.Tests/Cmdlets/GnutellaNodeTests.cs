using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>Live Gnutella servents from Start-PeerNode: bootstrapped from one another, searched, downloaded from.</summary>
    public class GnutellaNodeTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        [Fact]
        public void Servents_bootstrapped_from_one_another_find_and_download_hey_jude()
        {
            string music = _session.Temp.Sub("music");
            string heyJude = TempFolder.WriteRandomFile(music, "The Beatles - Hey Jude.mp3", 200_000, seed: 5);
            string downloads = _session.Temp.Sub("downloads");
            var result = _session.Run(@"
                $a = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -SharedPath $music -Name a
                $b = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Bootstrap $a -Name b
                $c = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Bootstrap ""$($b.EndPoint)"" -Name c
                $leaf = Start-PeerNode -Protocol Gnutella -Role Leaf -Bootstrap $b,$c -Name leaf
                $hits = @(Find-PeerFile 'Hey Jude' -Via $leaf -Timeout 10 -First 1)
                $hits
                $hits | Receive-PeerFile -Destination $downloads
                Get-PeerNode", new Dictionary<string, object> { ["music"] = music, ["downloads"] = downloads });

            result.ShouldSucceed();
            var hit = Assert.Single(result.OfType("PSPeer.PeerSearchHit"));
            Assert.Equal("The Beatles - Hey Jude.mp3", hit.Properties["Name"].Value);
            Assert.InRange((int)hit.Properties["Hops"].Value, 1, 7);
            var download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            Assert.Equal(true, download.Properties["Verified"].Value);
            Assert.Equal(File.ReadAllBytes(heyJude), File.ReadAllBytes((string)download.Properties["Path"].Value));
            var nodes = result.OfType("PSPeer.PeerNode").ToList();
            Assert.Equal(new[] { "Ultrapeer", "Ultrapeer", "Ultrapeer", "Leaf" }, nodes.Select(n => (string)n.Properties["Role"].Value));
            Assert.All(nodes, n => Assert.Equal("Gnutella", n.Properties["Protocol"].Value));
        }

        [Fact]
        public void Bootstrap_takes_a_comma_separated_list_of_endpoints()
        {
            var result = _session.Run(@"
                $a = Start-PeerNode -Protocol Gnutella -Name a
                $b = Start-PeerNode -Protocol Gnutella -Name b
                $c = Start-PeerNode -Protocol Gnutella -Bootstrap ""$($a.EndPoint),$($b.EndPoint)"" -Name c
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                while ($c.ConnectionCount -lt 2 -and [DateTime]::UtcNow -lt $deadline) { [System.Threading.Thread]::Sleep(50) }
                $c.ConnectionCount");

            result.ShouldSucceed();
            Assert.Equal(2, result.Output.Last().BaseObject);
        }

        [Fact]
        public void A_bootstrap_that_is_not_an_endpoint_is_a_binding_error()
        {
            var result = _session.Run("Start-PeerNode -Protocol Gnutella -Bootstrap 'not an endpoint'");

            Assert.Contains("ParameterArgumentTransformationError", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
            Assert.Empty(result.OfType("PSPeer.PeerNode"));
        }

        [Fact]
        public void The_live_example_downloads_hey_jude_from_the_servent_that_answered()
        {
            var result = _session.Run("& $example",
                new Dictionary<string, object> { ["example"] = Path.Combine(ModuleSession.RepoRoot, "examples", "gnutella-live.ps1") },
                TimeSpan.FromMinutes(2));

            result.ShouldSucceed();
            var summary = result.Output.Last();
            Assert.Equal(1, summary.Properties["HitCount"].Value);
            Assert.Equal(1, summary.Properties["DownloadCount"].Value);
            Assert.Equal(true, summary.Properties["AllVerified"].Value);
            Assert.Equal(true, summary.Properties["BytesMatch"].Value);
            Assert.Equal(0, _session.Run("(Get-PeerNode).Count").Output.Single().BaseObject);
        }

        public void Dispose() => _session.Dispose();
    }
}
