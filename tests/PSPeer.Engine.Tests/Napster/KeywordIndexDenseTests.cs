using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Napster
{
    /// <summary>
    /// Common keywords get bitmaps beside their posting lists: every search must answer exactly what a scan of the
    /// names answers, in share order, whichever mix of bitmaps and lists its keywords have, through removals and
    /// compaction.
    /// </summary>
    public class KeywordIndexDenseTests
    {
        static readonly byte[] HashBytes = new byte[20];

        static ContentHash H(int i)
        {
            BitConverter.GetBytes(i + 1).CopyTo(HashBytes, 0);
            return new ContentHash(HashBytes);
        }

        // "common" is in every other name, "half" in every fourth, "rare{n}" in a few, "x{i}" is unique.
        static string NameOf(int i) =>
            (i % 2 == 0 ? "common " : "") + (i % 4 == 1 ? "half " : "") + (i % 3 == 0 ? "third " : "") + $"rare{i % 500} x{i}.mp3";

        static (KeywordIndex index, Dictionary<int, string> live) Build(int files, int peers)
        {
            var index = new KeywordIndex();
            var live = new Dictionary<int, string>();
            for (int i = 0; i < files; i++)
            {
                index.Add(i % peers, NameOf(i), H(i), i, i);
                live[i] = NameOf(i);
            }
            return (index, live);
        }

        static List<int> Search(KeywordIndex index, string[] words, int max, string[] excluded = null)
        {
            var results = new List<IndexedFile>();
            index.Search(words, max, results, excluded);
            return results.Select(r => (int)r.Size).ToList();
        }

        static List<int> Expected(Dictionary<int, string> live, string[] words, int max, string[] excluded = null) =>
            live.Keys.OrderBy(i => i)
                .Where(i => words.All(w => KeywordTokenizer.Tokenize(live[i]).Contains(w)))
                .Where(i => excluded == null || !excluded.Any(w => KeywordTokenizer.Tokenize(live[i]).Contains(w)))
                .Take(max).ToList();

        static readonly string[][] Queries =
        {
            new[] { "common", "third" },          // two bitmaps
            new[] { "third", "common", "half" },  // three, one of them disjoint from another
            new[] { "rare7", "common" },          // a list drives, a bitmap is probed
            new[] { "common", "rare8", "third" },
            new[] { "rare9", "rare9" },
            new[] { "x4242", "common" },
            new[] { "half", "rare13" },
        };

        [Fact]
        public void Common_keywords_get_bitmaps_and_rare_ones_do_not()
        {
            var (index, _) = Build(20_000, 50);
            Assert.True(index.IsDense("common"));
            Assert.True(index.IsDense("third"));
            Assert.True(index.IsDense("half"));
            Assert.False(index.IsDense("rare7"));
            Assert.False(index.IsDense("x42"));
            Assert.Equal(4, index.DenseKeywordCount);   // mp3 too
        }

        [Fact]
        public void Searches_mixing_bitmaps_and_lists_find_exactly_what_a_scan_finds()
        {
            var (index, live) = Build(20_000, 50);
            foreach (var q in Queries)
                foreach (int max in new[] { 1, 7, 100, 100_000 })
                    Assert.Equal(Expected(live, q, max), Search(index, q, max));
            var excluded = new[] { "half" };
            Assert.Equal(Expected(live, new[] { "third", "rare3" }, 1000, excluded), Search(index, new[] { "third", "rare3" }, 1000, excluded));
            Assert.Equal(Expected(live, new[] { "common", "third" }, 1000, new[] { "rare4" }), Search(index, new[] { "common", "third" }, 1000, new[] { "rare4" }));
        }

        [Fact]
        public void Removed_files_leave_results_before_and_after_compaction()
        {
            var (index, live) = Build(20_000, 50);
            // Peers 0-19 leave (too few tombstones to compact by themselves): their bits linger, and must never be answered.
            for (int p = 0; p < 20; p++) index.RemovePeer(p);
            foreach (int i in live.Keys.Where(i => i % 50 < 20).ToList()) live.Remove(i);
            Assert.True(index.IsDense("half"));
            foreach (var q in Queries)
                Assert.Equal(Expected(live, q, 100_000), Search(index, q, 100_000));
            index.Compact();
            foreach (var q in Queries)
                Assert.Equal(Expected(live, q, 100_000), Search(index, q, 100_000));
            // After compaction 12,000 files remain: "half" (3,000) is now below the 4,096-file floor for a bitmap.
            Assert.True(index.IsDense("common"));
            Assert.False(index.IsDense("half"));
            // New files after compaction land in the bitmaps too.
            for (int i = 20_000; i < 20_100; i++) { index.Add(45, NameOf(i), H(i), i, i); live[i] = NameOf(i); }
            foreach (var q in Queries)
                Assert.Equal(Expected(live, q, 100_000), Search(index, q, 100_000));
        }
    }
}
