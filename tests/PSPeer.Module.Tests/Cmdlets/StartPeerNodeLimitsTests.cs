using System;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>Start-PeerNode -ConnectionLimit through real parameter binding: a hashtable over the role's defaults.</summary>
    public class StartPeerNodeLimitsTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        [Fact]
        public void A_hashtable_sets_the_limits_it_names_and_the_rest_keep_the_roles_defaults()
        {
            var result = _session.Run(@"
                $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name limited -ConnectionLimit @{ MaxConnectionsPerAddress = 3; HandshakeTimeout = '00:00:05' }
                $index.GetLimits().MaxConnectionsPerAddress
                $index.GetLimits().HandshakeTimeout.TotalSeconds
                $index.GetLimits().MaxConnections
                (Start-PeerNode -Protocol BitTorrent -Role Tracker -Name tracker).GetLimits().MaxConnectionsPerAddress");

            result.ShouldSucceed();
            Assert.Equal(new object[] { 3, 5.0, 4096, 16 }, result.Output.Select(o => o.BaseObject).ToArray());
        }

        [Fact]
        public void A_bare_number_for_a_timeout_is_refused_with_how_to_write_it()
        {
            // PowerShell would turn 5 into 5 ticks of a TimeSpan: the limits refuse it and say how to write 5 seconds.
            var result = _session.Run("Start-PeerNode -Protocol Napster -Role IndexServer -Name tooquick -ConnectionLimit @{ HandshakeTimeout = 5 }; (Get-PeerNode).Count");

            var error = Assert.Single(result.AllErrors);
            Assert.Contains("[timespan]::FromSeconds(30)", error.Exception.ToString());
            Assert.Equal(0, result.Output.Single().BaseObject);
        }

        public void Dispose() => _session.Dispose();
    }
}
