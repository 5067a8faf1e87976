using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>Start-PeerNode -Protocol BitTorrent -Role Tracker: a live tracker that the engine's client announces to.</summary>
    public class TrackerNodeTests : System.IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        // Announces from inside the session with the module's own engine types: peer "<id>" on <port>, <left> bytes missing.
        const string AnnounceFunction = @"
function Send-Announce($url, [string]$id, [int]$port, [long]$left, [string]$ip) {
    $r = [PSPeer.Engine.BitTorrent.AnnounceRequest]::new()
    $r.InfoHash = [PSPeer.Engine.Core.InfoHash]::Parse('0123456789abcdef0123456789abcdef01234567')
    $r.PeerId = [System.Text.Encoding]::ASCII.GetBytes(('-PS0100-' + $id).PadRight(20, '0'))
    $r.Port = $port
    $r.Left = $left
    $r.Event = 'Started'
    if ($ip) { $r.IP = $ip }
    $client = [PSPeer.Engine.BitTorrent.TrackerClient]::new([PSPeer.Engine.Runtime.Live.LiveRuntime]::Loopback)
    $client.AnnounceAsync($url, $r, [System.Threading.CancellationToken]::None).GetAwaiter().GetResult()
}
";

        [Fact]
        public void A_tracker_node_answers_announces_and_frees_its_port_when_stopped()
        {
            var result = _session.Run(AnnounceFunction + @"
$tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker -Port 0
$tracker
$url = 'http://' + $tracker.EndPoint + '/announce'
$null = Send-Announce $url 'seed' 50001 0
$answer = Send-Announce $url 'leech' 50002 100
$answer.Peers | ForEach-Object { $_.EndPoint.ToString() }
$answer.Complete
$tracker.SwarmCount
");
            result.ShouldSucceed();
            var node = Assert.Single(result.OfType("PSPeer.PeerNode"));
            Assert.Equal("BitTorrent", node.Properties["Protocol"].Value.ToString());
            Assert.Equal("Tracker", node.Properties["Role"].Value.ToString());
            Assert.Equal("Running", node.Properties["State"].Value.ToString());
            string endPoint = (string)node.Properties["EndPoint"].Value;
            Assert.StartsWith("127.0.0.1:", endPoint);
            var rest = result.Output.Skip(1).Select(o => o.BaseObject).ToArray();
            Assert.Equal(new object[] { "127.0.0.1:50001", 1, 1 }, rest);

            var stopped = _session.Run("Get-PeerNode | Stop-PeerNode");
            stopped.ShouldSucceed();
            Assert.True(Ports.IsFree(Ports.Of(endPoint)), "the tracker's port is still held after Stop-PeerNode");
        }

        [Theory]
        [InlineData("", "127.0.0.1:50001")]
        [InlineData("-AllowClientAddress", "8.8.8.8:50001")]
        public void A_tracker_lists_the_announcing_address_unless_AllowClientAddress_lets_ip_replace_it(string parameter, string listed)
        {
            var result = _session.Run(AnnounceFunction + $@"
$tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker -Port 0 {parameter}
$url = 'http://' + $tracker.EndPoint + '/announce'
$null = Send-Announce $url 'seed' 50001 0 '8.8.8.8'
(Send-Announce $url 'leech' 50002 100).Peers | ForEach-Object {{ $_.EndPoint.ToString() }}
");
            result.ShouldSucceed();
            var output = result.Output.Select(o => o.BaseObject).ToArray();
            Assert.Equal(new object[] { listed }, output);
        }

        [Fact]
        public void AllowClientAddress_is_refused_for_roles_other_than_Tracker()
        {
            var result = _session.Run("Start-PeerNode -Protocol Napster -Role IndexServer -Port 0 -AllowClientAddress");
            Assert.StartsWith("ParameterNotApplicable,", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void A_tracker_refuses_SharedPath()
        {
            var result = _session.Run("Start-PeerNode -Protocol BitTorrent -Role Tracker -Port 0 -SharedPath .");
            Assert.StartsWith("ParameterNotApplicable,", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
        }

        public void Dispose() => _session.Dispose();
    }
}
