using System.IO;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>A servent's links: added in place while there is room, a new list per removal, readers see a whole prefix.</summary>
    public class LinkListTests
    {
        sealed class NoConnection : IConnection
        {
            public Stream Stream { get; } = new MemoryStream();
            public string LocalEndPoint => "127.0.0.2:1000";
            public string RemoteEndPoint => "127.0.0.3:2000";
            public void Dispose() { }
        }

        static GnutellaLink[] MakeLinks(int n) =>
            Enumerable.Range(0, n).Select(i => new GnutellaLink(new NoConnection(), new HostPort("127.0.0.3", 2000 + i), true, true, null,
                GnutellaFrameReader.DefaultMaxPayloadLength, new QueryRateLimiter(LiveRuntime.Loopback.Clock, 1000), new GnutellaCounters())).ToArray();

        [Fact]
        public void Adds_go_into_the_same_list_until_it_is_full_then_into_one_twice_as_large()
        {
            var links = MakeLinks(5);
            var list = LinkList.Empty.With(links[0], firstCapacity: 2);
            Assert.NotSame(LinkList.Empty, list);
            Assert.Empty(LinkList.Empty);   // the shared empty list is never added to
            Assert.Same(list, list.With(links[1], 2));
            var grown = list.With(links[2], 2);
            Assert.NotSame(list, grown);
            Assert.Equal(4, grown.Items.Length);
            Assert.Equal(links.Take(3), grown);
            Assert.Equal(2, list.Count);   // the full list is left as it was
            Assert.Same(grown, grown.With(links[3], 2));
            Assert.Equal(links.Take(4), grown.ToArray());
            Assert.Null(grown.With(links[4], 2).Items.Skip(5).FirstOrDefault());
        }

        [Fact]
        public void A_removal_makes_a_new_list_and_leaves_the_old_one_whole_for_its_readers()
        {
            var links = MakeLinks(3);
            var list = LinkList.Empty.With(links[0], 4).With(links[1], 4).With(links[2], 4);
            var walking = list.GetEnumerator();
            Assert.True(walking.MoveNext());
            var without = list.Without(links[1]);
            Assert.NotSame(list, without);
            Assert.Equal(new[] { links[0], links[2] }, without);
            Assert.Equal(4, without.Items.Length);   // the same room, for the links to come
            Assert.Null(without.Items[2]);
            Assert.Equal(links, list);               // what a reader holds does not change
            Assert.True(walking.MoveNext());
            Assert.Same(links[1], walking.Current);
            Assert.Same(without, without.Without(links[1]));   // not there: nothing to do
            Assert.Same(LinkList.Empty, LinkList.Empty.With(links[0], 1).Without(links[0]));
        }

        [Fact]
        public void An_enumerator_walks_the_links_there_were_when_it_began()
        {
            var links = MakeLinks(3);
            var list = LinkList.Empty.With(links[0], 4).With(links[1], 4);
            var walking = list.GetEnumerator();
            Assert.Same(list, list.With(links[2], 4));
            int seen = 0;
            while (walking.MoveNext()) seen++;
            Assert.Equal(2, seen);
            Assert.Equal(3, list.Count);
            Assert.Same(links[2], list[2]);
            Assert.Throws<System.ArgumentOutOfRangeException>(() => list[3]);
        }
    }
}
