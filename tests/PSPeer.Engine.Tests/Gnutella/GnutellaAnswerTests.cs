using System.Linq;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// A servent answers a query with QueryHits of at most about 16 KiB each, built from parts its thread reuses: every
    /// result arrives, each hit carries its own, and the parts of one answer are not those of the next.
    /// </summary>
    public class GnutellaAnswerTests
    {
        [Fact]
        public void Many_long_names_go_out_in_several_hits_and_every_result_arrives()
        {
            var world = new GnutellaWorld();
            var names = Enumerable.Range(0, 64).Select(i => $"jude {i:D2} " + new string('x', 200) + ".mp3").ToArray();
            var holder = world.Add("holder", GnutellaRole.Ultrapeer, null, names);
            var searcher = world.Add("searcher");
            world.Link(searcher, holder);
            var hits = world.Search(searcher, "jude", 1);
            Assert.Equal(names.OrderBy(n => n), hits.Select(h => h.Name).OrderBy(n => n));
            Assert.Equal(2, holder.Counters.HitsSent);   // 64 results of ~250 bytes: more than one 16 KiB hit holds
            // Asked again, the answer is the same (the reused parts carry nothing of the last one).
            var again = world.Search(searcher, "jude", 1);
            Assert.Equal(names.OrderBy(n => n), again.Select(h => h.Name).OrderBy(n => n));
            Assert.Equal(4, holder.Counters.HitsSent);
        }

        [Fact]
        public void The_parts_of_an_answer_are_reused_by_the_next_and_hold_nothing_of_it()
        {
            var file = new SharedFile(3, "hey jude.mp3", "/share/hey jude.mp3", 1234, ContentHash.Compute(new byte[] { 1 }), System.DateTime.UtcNow);
            var other = new SharedFile(4, "let it be.mp3", "/share/let it be.mp3", 99, ContentHash.Compute(new byte[] { 2 }), System.DateTime.UtcNow);
            var parts = GnutellaServent.HitParts.Rent();
            var first = parts.Result(file);
            parts.Results.Add(first);
            Assert.NotSame(parts, GnutellaServent.HitParts.Rent());   // one answer inside another gets its own
            parts.Return();
            var next = GnutellaServent.HitParts.Rent();
            Assert.Same(parts, next);
            Assert.Empty(next.Results);
            var reused = next.Result(other);
            Assert.Same(first, reused);
            Assert.Equal(("let it be.mp3", 4u, 99L), (reused.Name, reused.FileIndex, reused.FileSize));
            Assert.Equal(other.ContentHash, reused.Hash);
            next.Return();
        }
    }
}
