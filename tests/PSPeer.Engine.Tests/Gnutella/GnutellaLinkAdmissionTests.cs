using System.Linq;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// A simulated link accepted through the servent's admission gate keeps the simulated end itself (which holds the
    /// link's place in the gate), not the gate's wrapper, and the place is still given back when the link closes.
    /// </summary>
    public class GnutellaLinkAdmissionTests
    {
        [Fact]
        public void An_accepted_link_holds_its_place_in_the_gate_without_the_wrapper_and_frees_it_when_it_closes()
        {
            var world = new GnutellaWorld();
            var up = world.Add("up");
            var a = world.Add("a");
            var b = world.Add("b");
            world.Link(a, up);
            world.Link(b, up);

            Assert.Equal(2, up.ConnectionCount);
            Assert.Equal(2, up.Admission.OpenCount);
            Assert.Equal(0, up.Admission.PendingCount);
            foreach (var link in up.Links)
            {
                Assert.IsType<SimulatedStream>(link.Connection);
                // The address the gate counts by, and the link's, is the dialling host's own string.
                Assert.Same(world.Hosts[link.Remote.StartsWith(world.Hosts[a].HostAddress + ":") ? a : b].HostAddress, link.RemoteAddress);
            }

            world.Run(() => a.StopAsync());
            world.Settle();
            Assert.Equal(1, up.ConnectionCount);
            Assert.Equal(1, up.Admission.OpenCount);

            // The link closed from this side (a Bye, as when the servent evicts it) gives its place back too.
            world.Run(() => up.Links.Single().SayByeAndCloseAsync(200, "test"));
            world.Settle();
            Assert.Equal(0, up.ConnectionCount);
            Assert.Equal(0, up.Admission.OpenCount);
        }
    }
}
