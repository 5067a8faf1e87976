using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// What few servents need (an HTTP server, the wait for read loops at stop, the last-hop QRP table's state) is made
    /// when first needed: servents that link, route and search hold none of it; one that speaks ultrapeer QRP has it and
    /// still sends its table; stopping makes it and ends.
    /// </summary>
    public class ServentRareStateTests
    {
        [Fact]
        public void Servents_that_link_route_and_search_hold_no_rare_state()
        {
            var world = new GnutellaWorld();
            var a = world.Add("a");
            var b = world.Add("b", GnutellaRole.Ultrapeer, null, "hey jude.mp3");
            var leaf = world.Add("leaf", GnutellaRole.Leaf, null, "let it be.mp3");
            world.Link(a, b);
            world.Link(leaf, b);
            world.Settle(2);
            Assert.Single(world.Search(a, "hey jude", 2));
            Assert.Single(world.Search(a, "let it be", 2));
            foreach (var node in new[] { a, b, leaf }) Assert.False(node.HoldsRareState, node.Name);
            world.Run(() => b.StopAsync());
            Assert.True(b.HoldsRareState);   // its stop waited for the read loops, and made the HTTP server to stop it
            Assert.True(b.HoldsHttpServer);
        }

        [Fact]
        public void An_ultrapeer_that_speaks_ultrapeer_qrp_keeps_its_table_state_and_sends_it()
        {
            var world = new GnutellaWorld();
            var a = world.Add("a", configure: o => o.UltrapeerQueryRouting = true);
            var b = world.Add("b", GnutellaRole.Ultrapeer, o => o.UltrapeerQueryRouting = true, "hey jude.mp3");
            world.Link(a, b);
            world.Settle(3);
            Assert.True(b.HoldsRareState);
            // b's last-hop table reached a: a reset and at least one patch.
            Assert.True(a.Counters.ReceivedByType[GnutellaPayloadType.RouteTableUpdate] >= 2);
            Assert.False(b.HoldsHttpServer);
        }
    }
}
