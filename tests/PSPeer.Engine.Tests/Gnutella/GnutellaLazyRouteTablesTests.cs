using System.Linq;
using PSPeer.Engine.Gnutella;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// A servent makes its GUID route tables when it first routes: linked servents that routed nothing hold none, and a
    /// search made through them still finds its hit, drops the duplicate copy and routes the hit back.
    /// </summary>
    public class GnutellaLazyRouteTablesTests
    {
        [Fact]
        public void Linked_servents_hold_no_route_table_until_a_query_and_then_route_it_and_its_hit_as_before()
        {
            var world = new GnutellaWorld();
            var a = world.Add("a");
            var b = world.Add("b");
            var c = world.Add("c", files: "Hey Jude.mp3");
            world.Link(a, b);
            world.Link(b, c);
            world.Link(a, c);   // a triangle: c gets the query twice (from a, and from b)
            foreach (var n in world.Nodes) Assert.All(n.RouteTablesMade, made => Assert.False(made));

            var hits = world.Search(a, "Hey Jude", ttl: 3);

            Assert.Single(hits.Select(h => h.Name).Distinct());
            Assert.Equal("Hey Jude.mp3", hits[0].Name);
            foreach (var n in world.Nodes) Assert.True(n.RouteTablesMade[0], n.Name + " made its query routes");
            // The second copy to arrive was a duplicate: the table made on the first copy remembered it.
            Assert.Equal(1, GnutellaWorld.FirstCopies(c));
            Assert.True(c.Counters.QueriesDroppedDuplicate >= 1);
            world.StopAll();
        }
    }
}
