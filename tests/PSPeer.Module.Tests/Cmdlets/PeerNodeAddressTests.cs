using System;
using System.Collections.Generic;
using System.IO;
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

        [Fact]
        public void A_swarm_on_three_addresses_meets_through_the_trackers_udp_side()
        {
            string seedDir = _session.Temp.Sub("seed");
            string payload = TempFolder.WriteRandomFile(seedDir, "app.zip", 700_000, seed: 12);
            var vars = new Dictionary<string, object>
            {
                ["payload"] = payload, ["seedDir"] = seedDir,
                ["torrentPath"] = Path.Combine(_session.Temp.Sub("torrents"), "app.torrent"),
                ["copy"] = Path.Combine(_session.Temp.Path, "copy"),
            };
            var result = _session.Run(@"
                $ErrorActionPreference = 'Stop'
                $t = Start-PeerNode -Protocol BitTorrent -Role Tracker -Address 127.0.0.21
                $info = New-Torrent $payload -Tracker $t.UdpAnnounceUrl -PieceSize 32KB -OutFile $torrentPath
                $seed = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $torrentPath -SharedPath $seedDir -Address 127.0.0.22
                Get-TorrentInfo $torrentPath | Receive-PeerFile -Destination $copy -Address 127.0.0.23 -Timeout 60
                $seed.EndPoint", vars);
            result.ShouldSucceed();
            dynamic download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            Assert.True((bool)download.Verified);
            Assert.Equal(File.ReadAllBytes(payload), File.ReadAllBytes((string)download.Path));
            string seedEndPoint = (string)result.Output.Last().BaseObject;
            Assert.StartsWith("127.0.0.22:", seedEndPoint);
            // The torrent names only the udp:// tracker: the seeder was found through BEP 15. The data came from the
            // seeder's own address; the port is its listening one when the leecher dialled, an ephemeral one when the
            // seeder (which learns the leecher from the tracker too) dialled first, so only the host is compared.
            Assert.Equal(HostOf(seedEndPoint), HostOf((string)download.Source));
        }

        static string HostOf(string endPoint) => endPoint.Substring(0, endPoint.LastIndexOf(':'));

        public void Dispose() => _session.Dispose();
    }
}
