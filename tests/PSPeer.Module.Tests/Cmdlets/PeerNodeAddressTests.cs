using System;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>-Address and -ExternalAddress on the cmdlets that start live nodes.</summary>
    public class PeerNodeAddressTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        [Fact]
        public void A_tracker_on_its_own_address_serves_http_and_udp_urls_there()
        {
            var result = _session.Run(@"
                $t = Start-PeerNode -Protocol BitTorrent -Role Tracker -Address 127.0.0.9
                $t.EndPoint
                $t.UdpAnnounceUrl");
            result.ShouldSucceed();
            var lines = result.Output.Select(o => o.BaseObject as string).Where(s => s != null).ToList();
            Assert.StartsWith("127.0.0.9:", lines[0]);
            Assert.Equal("udp://" + lines[0] + "/announce", lines[1]);
        }

        [Fact]
        public void A_wildcard_node_advertises_a_concrete_address_or_the_external_one()
        {
            var result = _session.Run(@"
                (Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Address 0.0.0.0).EndPoint
                (Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Address 0.0.0.0 -ExternalAddress 203.0.113.7).EndPoint");
            result.ShouldSucceed();
            var lines = result.Output.Select(o => (string)o.BaseObject).ToList();
            Assert.DoesNotContain("0.0.0.0", lines[0]);
            Assert.StartsWith("203.0.113.7:", lines[1]);
        }

        [Theory]
        [InlineData("192.0.2.77")]
        [InlineData("not-an-address")]
        public void An_address_this_host_does_not_have_is_AddressNotAvailable(string address)
        {
            var result = _session.Run($"Start-PeerNode -Protocol Napster -Role IndexServer -Address {address}");
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("AddressNotAvailable,", error.FullyQualifiedErrorId);
            Assert.Contains(address, error.Exception.Message);
        }

        public void Dispose() => _session.Dispose();
    }
}
