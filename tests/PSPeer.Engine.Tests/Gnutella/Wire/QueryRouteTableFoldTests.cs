using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>A table folded into one word may match whatever the table may match; an empty table folds to 0 and matches nothing.</summary>
    public class QueryRouteTableFoldTests
    {
        static readonly ContentHash Hash = ContentHash.Parse("urn:sha1:PLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB");

        static Query Q(string criteria, params ContentHash[] urns) => new Query { Criteria = criteria, Urns = urns };

        [Theory]
        [InlineData(13)]
        [InlineData(16)]
        [InlineData(6)]
        public void A_fold_may_match_every_query_its_table_may_match(int bits)
        {
            var table = new QueryRouteTable(bits);
            table.AddFileName("beatles hey jude.mp3");
            table.Add(Hash);
            ulong fold = table.Fold();
            foreach (var q in new[] { Q("hey jude"), Q("Beatles"), Q("  JUDE hey "), Q("", Hash), Q("nothing", Hash), Q(Hash.ToString()) })
            {
                Assert.True(table.MayMatch(q));
                Assert.True(QueryRouteTable.FoldedQuery.Of(q).MayMatch(fold));
            }
        }

        [Fact]
        public void An_empty_table_folds_to_nothing_and_nothing_matches_it()
        {
            ulong fold = new QueryRouteTable(13).Fold();
            Assert.Equal(0UL, fold);
            Assert.False(QueryRouteTable.FoldedQuery.Of(Q("hey jude")).MayMatch(fold));
            Assert.False(QueryRouteTable.FoldedQuery.Of(Q("", Hash)).MayMatch(fold));
            // A query without keywords or urns matches no table, folded or not.
            Assert.False(QueryRouteTable.FoldedQuery.Of(Q("   ")).MayMatch(ulong.MaxValue));
        }

        [Fact]
        public void A_fold_rules_out_a_query_whose_keywords_it_lacks()
        {
            var table = new QueryRouteTable(13);
            table.AddFileName("beatles hey jude.mp3");
            var fold = table.Fold();
            var other = QueryRouteTable.FoldedQuery.Of(Q("zeppelin"));
            Assert.False(table.MayMatch(Q("zeppelin")));
            Assert.False(other.MayMatch(fold));   // "zeppelin" lands on none of the 64 slots the file's keywords fold to
        }
    }
}
