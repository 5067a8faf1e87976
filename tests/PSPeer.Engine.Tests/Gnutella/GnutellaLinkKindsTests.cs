using System.Linq;
using PSPeer.Engine.Gnutella;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>A servent keeps its links by kind too (queries go on to ultrapeers and down to leaves), in the links' order.</summary>
    public class GnutellaLinkKindsTests
    {
        static void AssertKindsFollowLinks(GnutellaServent node)
        {
            Assert.Equal(node.Links.Where(l => l.RemoteIsUltrapeer).ToArray(), node.UltrapeerLinks.ToArray());
            Assert.Equal(node.Links.Where(l => l.RemoteIsLeaf).ToArray(), node.LeafLinks.ToArray());
        }

        [Fact]
        public void Links_by_kind_follow_every_link_that_comes_and_goes_in_order()
        {
            var world = new GnutellaWorld();
            var hub = world.Add("hub");
            var u1 = world.Add("u1");
            var u2 = world.Add("u2");
            var l1 = world.Add("l1", GnutellaRole.Leaf);
            var l2 = world.Add("l2", GnutellaRole.Leaf);
            AssertKindsFollowLinks(hub);
            world.Link(l1, hub);
            AssertKindsFollowLinks(hub);
            world.Link(u1, hub);
            world.Link(l2, hub);
            world.Link(hub, u2);
            Assert.Equal(4, hub.ConnectionCount);
            AssertKindsFollowLinks(hub);
            AssertKindsFollowLinks(l1);
            Assert.Same(l1.Links, l1.UltrapeerLinks);   // a servent with links of one kind keeps one array

            world.Run(() => l1.StopAsync());
            world.Settle(2);
            AssertKindsFollowLinks(hub);
            Assert.Equal(new[] { l2 }.Length, hub.LeafLinks.Count);
            world.Run(() => u1.StopAsync());
            world.Settle(2);
            AssertKindsFollowLinks(hub);
            Assert.Equal(1, hub.UltrapeerLinks.Count);
        }
    }
}
