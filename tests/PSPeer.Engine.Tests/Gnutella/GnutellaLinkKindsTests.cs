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
            Assert.True(l1.UltrapeerLinksShareArray);   // a servent with links of one kind keeps one array
            Assert.False(hub.UltrapeerLinksShareArray);

            world.Run(() => l1.StopAsync());
            world.Settle(2);
            AssertKindsFollowLinks(hub);
            Assert.Single(hub.LeafLinks);
            world.Run(() => u1.StopAsync());
            world.Settle(2);
            AssertKindsFollowLinks(hub);
            Assert.Equal(1, hub.UltrapeerLinks.Count);
        }

        [Fact]
        public void Links_are_added_in_place_and_the_kinds_share_one_array_again_when_the_last_leaf_goes()
        {
            var world = new GnutellaWorld();
            var hub = world.Add("hub");
            var u1 = world.Add("u1");
            var u2 = world.Add("u2");
            var u3 = world.Add("u3");
            var leaf = world.Add("leaf", GnutellaRole.Leaf);
            world.Link(u1, hub);
            var array = hub.LinkArray;
            world.Link(hub, u2);
            Assert.Same(array, hub.LinkArray);   // room for more: the second link went into the same array
            Assert.True(hub.UltrapeerLinksShareArray);
            world.Link(leaf, hub);
            AssertKindsFollowLinks(hub);
            Assert.False(hub.UltrapeerLinksShareArray);
            world.Link(u3, hub);
            AssertKindsFollowLinks(hub);
            Assert.Equal(4, hub.ConnectionCount);
            var snapshot = hub.LinkArray;
            world.Run(() => leaf.StopAsync());
            world.Settle(2);
            AssertKindsFollowLinks(hub);
            Assert.True(hub.UltrapeerLinksShareArray);
            Assert.Equal(3, hub.ConnectionCount);
            Assert.Equal(4, snapshot.Count(l => l != null));   // a removal leaves what a reader holds as it was
            // A query still floods to every ultrapeer and none twice.
            world.Search(u1, "anything", 2);
            Assert.Equal(1, u2.Counters.QueriesReceived);
            Assert.Equal(1, u3.Counters.QueriesReceived);
        }
    }
}
