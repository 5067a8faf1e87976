using System.Linq;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Core
{
    public class CompactSetTests
    {
        sealed class Item { public readonly int N; public Item(int n) { N = n; } }

        [Fact]
        public void Adds_each_item_once_removes_by_reference_and_enumerates_what_is_left()
        {
            var set = new CompactSet<Item>();
            var items = Enumerable.Range(0, 20).Select(i => new Item(i)).ToArray();
            Assert.Empty(set);
            foreach (var item in items) Assert.True(set.Add(item));
            Assert.False(set.Add(items[3]));
            Assert.Equal(20, set.Count);
            Assert.False(set.Remove(new Item(3)));   // an equal-looking other object is not in the set
            for (int i = 0; i < 20; i += 2) Assert.True(set.Remove(items[i]));
            Assert.False(set.Remove(items[0]));
            Assert.Equal(items.Where(x => x.N % 2 == 1).OrderBy(x => x.N), set.OrderBy(x => x.N));
            Assert.Equal(10, set.ToArray().Length);
            Assert.True(set.Contains(items[1]));
            Assert.False(set.Contains(items[2]));
        }

        [Fact]
        public void Enumerating_walks_a_snapshot_so_the_loop_may_change_the_set()
        {
            var set = new CompactSet<Item>();
            var items = Enumerable.Range(0, 5).Select(i => new Item(i)).ToArray();
            foreach (var item in items) set.Add(item);
            int seen = 0;
            foreach (var item in set) { set.Remove(item); seen++; }   // as closing a connection removes it
            Assert.Equal(5, seen);
            Assert.Equal(0, set.Count);
            Assert.Empty(set.ToArray());
            Assert.True(set.Add(items[0]));   // and it fills again from empty
            Assert.Single(set);
        }
    }
}
