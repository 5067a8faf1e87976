using System.Collections.Generic;
using System.IO;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Hosts
{
    /// <summary>examples/nat-lab.ps1: as root it crosses a real NAT by Push + GIV; elsewhere it says what it needs and makes nothing.</summary>
    [Collection(NamespaceCollection.Name)]
    public class NatLabExampleTests
    {
        [Fact]
        public void The_nat_lab_example_downloads_through_the_NAT_by_push_or_says_what_it_needs()
        {
            using (var session = new ModuleSession())
            {
                var result = session.Run("& $example", new Dictionary<string, object> { ["example"] = Path.Combine(ModuleSession.RepoRoot, "examples", "nat-lab.ps1") },
                    System.TimeSpan.FromMinutes(2));
                result.ShouldSucceed();
                var summary = result.Output.Last();
                if (NamespaceLab.WhyNot() != null)
                {
                    Assert.Equal(false, summary.Properties["Ran"].Value);
                    Assert.False(string.IsNullOrEmpty((string)summary.Properties["Needs"].Value));
                    return;
                }
                Assert.Equal(true, summary.Properties["Ran"].Value);
                Assert.Equal(true, summary.Properties["HitNeedsPush"].Value);
                Assert.Equal(true, summary.Properties["LeafFirewalled"].Value);
                Assert.Equal(false, summary.Properties["UltrapeerFirewalled"].Value);
                Assert.Equal(true, summary.Properties["Verified"].Value);
                Assert.Equal(true, summary.Properties["BytesMatch"].Value);
                Assert.Equal(0, session.Run("(Get-PeerNode).Count").Output.Single().BaseObject);
            }
        }
    }
}
