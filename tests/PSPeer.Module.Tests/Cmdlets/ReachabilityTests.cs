using System;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>Start-PeerNode -Reachability and -ReachabilityTimeoutSec on one machine (the namespaced tests cross real hosts).</summary>
    public class ReachabilityTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        [Fact]
        public void A_node_nobody_reaches_from_outside_stays_firewalled_and_says_so_after_its_timeout()
        {
            var result = _session.Run(@"
                $n = Start-PeerNode -Protocol Gnutella -ExternalAddress 127.0.0.1 -Reachability Detect -ReachabilityTimeoutSec 1
                $said = @(Watch-PeerEvent -Node $n -Type NotReachedFromOutside -Count 1 -Timeout 20)
                [pscustomobject]@{ Said = $said.Count; Firewalled = $n.Firewalled; Advertised = $said[0].Data['Advertised']; EndPoint = $n.EndPoint; Message = $said[0].Message }
                Stop-PeerNode $n");

            result.ShouldSucceed();
            var o = result.Output.Single();
            Assert.Equal(1, o.Properties["Said"].Value);
            Assert.Equal(true, o.Properties["Firewalled"].Value);   // loopback proves nothing: a local process always gets in
            Assert.Equal(o.Properties["EndPoint"].Value, o.Properties["Advertised"].Value);
            Assert.Contains("-ExternalAddress", (string)o.Properties["Message"].Value);
        }

        [Fact]
        public void Reachability_firewalled_and_reachable_are_what_the_node_answers_with()
        {
            var result = _session.Run(@"
                $fw = Start-PeerNode -Protocol Gnutella -Reachability Firewalled
                $open = Start-PeerNode -Protocol Gnutella
                ""$($fw.Firewalled) $($open.Firewalled)""
                Stop-PeerNode $fw, $open");

            result.ShouldSucceed();
            Assert.Equal("True False", result.Output.Single().BaseObject);
        }

        public void Dispose() => _session.Dispose();
    }
}
