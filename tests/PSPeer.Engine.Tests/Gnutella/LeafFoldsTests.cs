using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// An ultrapeer keeps each leaf's QRP table folded into a word beside its link and asks it before the table: a leaf
    /// whose fold cannot match is counted filtered, exactly as its table would have had it; the folds follow the leaves'
    /// tables as they arrive and change, and the leaves as they come and go.
    /// </summary>
    public class LeafFoldsTests
    {
        sealed class Star
        {
            public readonly GnutellaWorld World = new GnutellaWorld();
            public readonly GnutellaServent Searcher, Hub, Beatles, Quiet, Stones;

            public Star()
            {
                Searcher = World.Add("searcher");
                Hub = World.Add("hub");
                Beatles = World.Add("l-beatles", GnutellaRole.Leaf, null, "beatles hey jude.mp3");
                Quiet = World.Add("l-quiet", GnutellaRole.Leaf);
                Stones = World.Add("l-stones", GnutellaRole.Leaf, null, "stones paint it black.mp3");
                World.Link(Searcher, Hub);
                World.Link(Beatles, Hub);
                World.Link(Quiet, Hub);
                World.Link(Stones, Hub);
                World.Settle(2);   // the leaves' QRP tables arrive
            }
        }

        static Query Q(string criteria) => new Query { Criteria = criteria, Urns = new ContentHash[0] };

        [Fact]
        public void The_folds_match_what_some_leaf_table_matches_and_nothing_no_leaf_shares()
        {
            var t = new Star();
            Assert.True(t.Hub.LeavesMayMatch(Q("beatles")));
            Assert.True(t.Hub.LeavesMayMatch(Q("paint black")));
            Assert.False(t.Hub.LeavesMayMatch(Q("zeppelin")));
            // Every keyword must be in the same leaf's table: one leaf has "beatles", another "black", none both.
            Assert.False(t.Hub.LeavesMayMatch(Q("beatles black")));
            // A servent without leaves, and a leaf, have no folds: nothing matches.
            Assert.False(t.Searcher.LeavesMayMatch(Q("beatles")));
            Assert.False(t.Beatles.LeavesMayMatch(Q("beatles")));
        }

        [Fact]
        public void A_query_no_leaf_can_match_is_filtered_for_every_leaf_and_reaches_none()
        {
            var t = new Star();
            var hits = t.World.Search(t.Searcher, "zeppelin", 2);
            Assert.Empty(hits);
            Assert.Equal(3, t.Hub.Counters.QueriesFilteredByQrp);
            Assert.Equal(0, t.Hub.Counters.QueriesDeliveredToLeaves);
            foreach (var leaf in new[] { t.Beatles, t.Quiet, t.Stones }) Assert.Equal(0, leaf.Counters.QueriesReceived);

            hits = t.World.Search(t.Searcher, "beatles", 2);
            Assert.Equal(new[] { "beatles hey jude.mp3" }, hits.Select(h => h.Name).ToArray());
            Assert.Equal(3 + 2, t.Hub.Counters.QueriesFilteredByQrp);
            Assert.Equal(1, t.Hub.Counters.QueriesDeliveredToLeaves);
        }

        [Fact]
        public void A_leaf_query_the_summary_cannot_match_counts_every_other_leaf_filtered()
        {
            var t = new Star();
            // The quiet leaf searches through the hub: the hub passes it to its other leaves only (two); neither matches.
            var hits = t.World.Search(t.Quiet, "zeppelin", 2);
            Assert.Empty(hits);
            Assert.Equal(2, t.Hub.Counters.QueriesFilteredByQrp);
            Assert.Equal(0, t.Hub.Counters.QueriesDeliveredToLeaves);
        }

        [Fact]
        public void A_leaf_that_leaves_takes_its_keywords_with_it()
        {
            var t = new Star();
            Assert.True(t.Hub.LeavesMayMatch(Q("beatles")));
            t.World.Run(() => t.Beatles.StopAsync());
            t.World.Settle(2);
            Assert.Equal(2, t.Hub.LeafLinkCount);
            Assert.False(t.Hub.LeavesMayMatch(Q("beatles")));
            Assert.True(t.Hub.LeavesMayMatch(Q("stones")));
        }

        [Fact]
        public void A_leaf_that_publishes_a_file_is_asked_for_it_with_its_new_table()
        {
            var t = new Star();
            Assert.False(t.Hub.LeavesMayMatch(Q("zeppelin")));
            t.World.Hosts[t.Stones].MemoryStorage.WriteFile("/extra/zeppelin kashmir.mp3", GnutellaWorld.Content("z", 1234));
            t.World.Run(() => t.Stones.PublishAsync(new[] { "/extra/zeppelin kashmir.mp3" }));
            t.World.Settle(2);
            Assert.True(t.Hub.LeavesMayMatch(Q("zeppelin")));
            Assert.Single(t.World.Search(t.Searcher, "zeppelin kashmir", 2));
        }
    }
}
