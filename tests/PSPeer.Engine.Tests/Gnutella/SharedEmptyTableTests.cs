using System.Linq;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// Leaves that share nothing, and their ultrapeers' copies of their tables, hold the one empty table of their size
    /// instead of one each; a leaf that later shares a file gets a table of its own on its ultrapeer's side, and is
    /// asked for it, while the others keep the shared one.
    /// </summary>
    public class SharedEmptyTableTests
    {
        [Fact]
        public void Leaves_that_share_nothing_hold_one_table_and_one_that_publishes_gets_its_own()
        {
            var world = new GnutellaWorld();
            var searcher = world.Add("searcher");
            var hub = world.Add("hub");
            var quiet = world.Add("l-quiet", GnutellaRole.Leaf);
            var silent = world.Add("l-silent", GnutellaRole.Leaf);
            world.Link(searcher, hub);
            world.Link(quiet, hub);
            world.Link(silent, hub);
            world.Settle(2);   // the leaves' QRP tables arrive

            var tables = hub.Links.Where(l => l.RemoteIsLeaf).Select(l => l.QueryRouteTable).ToList();
            Assert.Equal(2, tables.Count);
            Assert.All(tables, t => Assert.True(t.IsSharedEmpty && t.IsComplete && t.PresentCount == 0));
            Assert.Same(tables[0], tables[1]);

            world.Hosts[quiet].MemoryStorage.WriteFile("/extra/zeppelin kashmir.mp3", GnutellaWorld.Content("z", 1234));
            world.Run(() => quiet.PublishAsync(new[] { "/extra/zeppelin kashmir.mp3" }));
            world.Settle(2);
            var own = hub.Links.Single(l => l.RemoteIsLeaf && l.QueryRouteTable.PresentCount > 0).QueryRouteTable;
            Assert.False(own.IsSharedEmpty);
            Assert.True(own.MayMatch("zeppelin"));
            Assert.True(QueryRouteTable.SharedEmpty(own.Bits).PresentCount == 0);   // the shared one was never written
            Assert.Single(world.Search(searcher, "zeppelin kashmir", 2));
            Assert.Equal(1, hub.Counters.QueriesDeliveredToLeaves);
        }

        [Fact]
        public void A_table_of_no_files_is_the_shared_empty_table_of_its_size()
        {
            var none = QueryRouteTable.OfFiles(13, new PSPeer.Engine.Content.SharedFile[0]);
            Assert.Same(QueryRouteTable.SharedEmpty(13), none);
            Assert.True(none.IsSharedEmpty);
            Assert.NotSame(none, QueryRouteTable.SharedEmpty(14));
            Assert.False(new QueryRouteTable(13).IsSharedEmpty);
        }
    }
}
