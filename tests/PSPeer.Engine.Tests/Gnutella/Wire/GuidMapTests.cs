using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    public class GuidMapTests
    {
        sealed class Link { public readonly int Id; public Link(int id) { Id = id; } }

        static GnutellaGuid Random(Random random)
        {
            var b = new byte[16];
            random.NextBytes(b);
            return new GnutellaGuid(b);
        }

        // GUIDs that share their home slot in a small map (equal low bits of the hash), so probe runs form and wrap.
        static List<GnutellaGuid> Colliding(int count, int mask, int home)
        {
            var found = new List<GnutellaGuid>();
            var random = new Random(5);
            while (found.Count < count)
            {
                var g = Random(random);
                if ((g.GetHashCode() & mask) == home) found.Add(g);
            }
            return found;
        }

        [Fact]
        public void Adds_finds_and_refuses_duplicates_like_a_dictionary_through_growth_and_removals()
        {
            var random = new Random(11);
            var map = new GuidMap<Link>();
            var model = new Dictionary<GnutellaGuid, Link>();
            var links = Enumerable.Range(0, 7).Select(i => new Link(i)).ToArray();
            var keys = new List<GnutellaGuid>();
            for (int step = 0; step < 20_000; step++)
            {
                int action = random.Next(10);
                if (action < 6 || keys.Count == 0)
                {
                    // Now and then an existing key again: TryAdd must refuse it and keep the first value.
                    var key = keys.Count > 0 && random.Next(4) == 0 ? keys[random.Next(keys.Count)] : Random(random);
                    var link = links[random.Next(links.Length)];
                    bool added = !model.ContainsKey(key);
                    Assert.Equal(added, map.TryAdd(key, link));
                    if (added) { model[key] = link; keys.Add(key); }
                }
                else if (action < 9)
                {
                    var key = random.Next(3) == 0 ? Random(random) : keys[random.Next(keys.Count)];
                    Assert.Equal(model.TryGetValue(key, out var expected), map.TryGetValue(key, out var actual));
                    Assert.Same(expected, actual);
                }
                else
                {
                    var link = links[random.Next(links.Length)];
                    map.RemoveValue(link);
                    foreach (var key in model.Where(p => p.Value == link).Select(p => p.Key).ToList()) model.Remove(key);
                    keys = model.Keys.ToList();
                }
                Assert.Equal(model.Count, map.Count);
            }
            foreach (var pair in model)
            {
                Assert.True(map.TryGetValue(pair.Key, out var value));
                Assert.Same(pair.Value, value);
            }
        }

        [Fact]
        public void Removing_from_a_run_that_wraps_around_the_end_keeps_every_other_entry_reachable()
        {
            // 8 slots hold 6 entries: six GUIDs homed in the last slot fill it and wrap to slots 0..4.
            var map = new GuidMap<Link>();
            var keys = Colliding(6, 7, 7);
            var a = new Link(1);
            var b = new Link(2);
            for (int i = 0; i < keys.Count; i++) Assert.True(map.TryAdd(keys[i], i % 2 == 0 ? a : b));
            map.RemoveValue(a);
            Assert.Equal(3, map.Count);
            for (int i = 0; i < keys.Count; i++)
            {
                Assert.Equal(i % 2 == 1, map.TryGetValue(keys[i], out var value));
                if (i % 2 == 1) Assert.Same(b, value);
            }
            map.RemoveValue(b);
            Assert.Equal(0, map.Count);
            Assert.All(keys, k => Assert.False(map.ContainsKey(k)));
        }

        [Fact]
        public void Clear_empties_the_map_and_it_fills_again()
        {
            var map = new GuidMap<Link>();
            var random = new Random(3);
            var link = new Link(0);
            var keys = Enumerable.Range(0, 100).Select(_ => Random(random)).ToList();
            foreach (var k in keys) Assert.True(map.TryAdd(k, link));
            map.Clear();
            Assert.Equal(0, map.Count);
            Assert.All(keys, k => Assert.False(map.ContainsKey(k)));
            foreach (var k in keys) Assert.True(map.TryAdd(k, link));
            Assert.Equal(100, map.Count);
        }

        [Fact]
        public void A_null_value_is_refused_since_null_marks_a_free_slot()
        {
            var map = new GuidMap<Link>();
            Assert.Throws<ArgumentNullException>(() => map.TryAdd(default, null));
        }
    }
}
