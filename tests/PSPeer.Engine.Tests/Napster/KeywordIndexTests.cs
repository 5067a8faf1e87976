using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Napster
{
    public class KeywordIndexTests
    {
        static ContentHash H(string s) => ContentHash.Compute(Encoding.UTF8.GetBytes(s));

        static List<string> Names(KeywordIndex index, string query, int max = 100)
        {
            var results = new List<IndexedFile>();
            index.Search(query, max, results);
            return results.Select(r => r.Name).ToList();
        }

        static KeywordIndex Sample()
        {
            var index = new KeywordIndex();
            index.Add(1, "The Beatles - Hey Jude.mp3", H("a"), 100, 0);
            index.Add(1, "The Beatles - Let It Be.mp3", H("b"), 200, 1);
            index.Add(2, "hey_jude (Live, 1968).MP3", H("c"), 300, 0);
            index.Add(3, "Jude the Obscure.txt", H("d"), 400, 5);
            index.Add(3, "Hey There Delilah.mp3", H("e"), 500, 6);
            return index;
        }

        [Fact]
        public void Every_keyword_must_match()
        {
            var index = Sample();
            Assert.Equal(new[] { "The Beatles - Hey Jude.mp3", "hey_jude (Live, 1968).MP3" }, Names(index, "hey jude"));
            Assert.Equal(new[] { "The Beatles - Hey Jude.mp3" }, Names(index, "jude beatles"));
            Assert.Empty(Names(index, "hey jude obscure"));
            Assert.Empty(Names(index, "nothingmatches"));
            Assert.Empty(Names(index, ""));
            Assert.Empty(Names(index, " ,;!"));
        }

        [Fact]
        public void Matching_ignores_case_and_punctuation()
        {
            var index = Sample();
            Assert.Equal(Names(index, "hey jude"), Names(index, "HEY, Jude!"));
            Assert.Equal(new[] { "hey_jude (Live, 1968).MP3" }, Names(index, "(live) 1968"));
            Assert.Equal(4, Names(index, "mp3").Count);
        }

        [Fact]
        public void Results_stop_at_max_and_keep_their_fields()
        {
            var index = Sample();
            Assert.Single(Names(index, "mp3", 1));
            Assert.Empty(Names(index, "mp3", 0));
            var results = new List<IndexedFile>();
            index.Search("obscure", 10, results);
            var f = results.Single();
            Assert.Equal((3, 5, 400L, H("d")), (f.PeerId, f.FileIndex, f.Size, f.ContentHash));
        }

        [Fact]
        public void Excluded_words_remove_matches()
        {
            var index = Sample();
            var results = new List<IndexedFile>();
            index.Search(new[] { "hey", "jude" }, 10, results, new[] { "live" });
            Assert.Equal(new[] { "The Beatles - Hey Jude.mp3" }, results.Select(r => r.Name));
        }

        [Fact]
        public void A_peer_leaving_removes_all_its_files()
        {
            var index = Sample();
            Assert.Equal(2, index.RemovePeer(1));
            Assert.Equal(0, index.RemovePeer(1));
            Assert.Equal(3, index.Count);
            Assert.Equal(new[] { "hey_jude (Live, 1968).MP3" }, Names(index, "hey jude"));
            Assert.Empty(Names(index, "beatles"));
        }

        [Fact]
        public void Unshare_removes_one_file_of_that_peer_only()
        {
            var index = Sample();
            index.Add(2, "Hey There Delilah.mp3", H("e"), 500, 1);
            Assert.False(index.Remove(1, "Hey There Delilah.mp3"));
            Assert.True(index.Remove(3, "Hey There Delilah.mp3"));
            var results = new List<IndexedFile>();
            index.Search("delilah", 10, results);
            Assert.Equal(2, results.Single().PeerId);
            Assert.False(index.Remove(3, "Hey There Delilah.mp3"));
        }

        [Fact]
        public void Compaction_after_heavy_churn_keeps_answers_exact()
        {
            // Many peers join and leave; the survivors' files must be found exactly, in share order.
            var index = new KeywordIndex();
            var rng = new Random(7);
            var expected = new Dictionary<int, List<string>>();
            for (int round = 0; round < 30; round++)
            {
                for (int p = 0; p < 50; p++)
                {
                    int peer = round * 50 + p;
                    var names = new List<string>();
                    for (int f = 0; f < 20; f++)
                    {
                        string name = $"song{rng.Next(40)} artist{rng.Next(10)} peer{peer} file{f}.mp3";
                        index.Add(peer, name, H(name), f, f);
                        names.Add(name);
                    }
                    expected[peer] = names;
                }
                // Everyone but a few of this round leaves, forcing tombstones and compactions.
                foreach (int peer in expected.Keys.Where(k => k % 7 != 0).ToList())
                {
                    Assert.Equal(20, index.RemovePeer(peer));
                    expected.Remove(peer);
                }
            }
            Assert.Equal(expected.Values.Sum(v => v.Count), index.Count);
            for (int s = 0; s < 40; s++)
                for (int a = 0; a < 10; a++)
                {
                    var want = expected.OrderBy(kv => kv.Key).SelectMany(kv => kv.Value)
                        .Where(n => n.Contains($"song{s} ") && n.Contains($"artist{a} ")).ToList();
                    Assert.Equal(want, Names(index, $"song{s} artist{a}", 10_000));
                }
            // Departed peers' own keywords ("peerN") go once the tombstones are compacted away.
            index.Compact();
            Assert.Equal(40 + 10 + expected.Count + 20 + 1, index.KeywordCount);
            Assert.Equal(Names(index, "song3 artist4", 10_000).Count, expected.Values.SelectMany(v => v).Count(n => n.StartsWith("song3 artist4 ")));
        }
    }
}
