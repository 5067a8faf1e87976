using System;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>New-PeerNetwork -NatFraction/-NatKind: half the nodes behind NATs, their hits needing a Push.</summary>
    public class PeerNetworkNatTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        [Fact]
        public void A_simulated_network_with_half_its_nodes_behind_symmetric_NATs_answers_with_pushed_hits_from_private_addresses()
        {
            var result = _session.Run(@"
                $net = New-PeerNetwork -Count 100 -UltrapeerFraction 0.3 -SharingFraction 0.5 -Simulated -Seed 2 -NatFraction 0.5 -NatKind Symmetric
                $up = @($net.Nodes | Where-Object Role -eq 'Ultrapeer')[0]
                $hits = @(Find-PeerFile 'Hey Jude' -Via $up -Ttl 4)
                [pscustomobject]@{
                    Natted = @($net.Nodes | Where-Object Firewalled).Count
                    Private = @($hits | Where-Object Source -like '172.*').Count
                    PrivatePushed = @($hits | Where-Object { $_.Source -like '172.*' -and $_.NeedsPush }).Count
                    Public = @($hits | Where-Object Source -like '10.*').Count
                }");

            result.ShouldSucceed();
            var o = result.Output.Single();
            Assert.True((int)o.Properties["Natted"].Value >= 50);   // the NATed half, and public leaves nobody dialled
            int privateHits = (int)o.Properties["Private"].Value;
            Assert.True(privateHits > 0);
            Assert.Equal(privateHits, o.Properties["PrivatePushed"].Value);
            Assert.True((int)o.Properties["Public"].Value > 0);
        }

        public void Dispose() => _session.Dispose();
    }
}
