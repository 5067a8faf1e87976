using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>The servent's own-file matcher answers the same whether it scans a few files or maps many.</summary>
    public class LocalFileMatcherTests
    {
        static readonly string[] Names =
        {
            "The Beatles - Hey Jude.mp3", "The Beatles - Let It Be.mp3", "Hey_Jude (Live).mp3", "Queen - Bohemian Rhapsody.ogg",
            "jude/hey/again.mp3", "Nothing here.txt", "---", "The Beatles - Yesterday.mp3",
        };

        static List<SharedFile> Files(int count) => Enumerable.Range(0, count).Select(i =>
        {
            string name = Names[i % Names.Length] + (i >= Names.Length ? " " + i : "");
            return new SharedFile(i, name, "/share/" + name, 100 + i, ContentHash.Compute(Encoding.UTF8.GetBytes(name)), DateTime.UnixEpoch);
        }).ToList();

        // What a match must be: every keyword of the criteria among the name's keywords, in index order, at most max.
        static List<SharedFile> Expected(List<SharedFile> files, string criteria, int max)
        {
            var keywords = KeywordTokenizer.Tokenize(criteria);
            if (keywords.Count == 0) return null;
            var found = files.Where(f => keywords.All(k => KeywordTokenizer.Tokenize(f.Name).Contains(k))).Take(max).ToList();
            return found.Count == 0 ? null : found;
        }

        [Theory]
        [InlineData(3)]
        [InlineData(8)]
        [InlineData(16)]   // the most it scans
        [InlineData(17)]   // the fewest it maps
        [InlineData(60)]
        public void Keyword_matches_are_the_files_holding_every_keyword_in_index_order(int count)
        {
            var files = Files(count);
            var matcher = new LocalFileMatcher(files);
            foreach (string criteria in new[] { "hey jude", "JUDE", "beatles", "the beatles yesterday", "mp3", "nothing", "absent", "", "!!", "hey absent" })
                foreach (int max in new[] { 1, 2, 100 })
                {
                    var got = matcher.Match(criteria, null, h => null, max);
                    var want = Expected(files, criteria, max);
                    Assert.Equal(want?.Select(f => f.Index), got?.Select(f => f.Index));
                }
        }

        [Theory]
        [InlineData(4)]
        [InlineData(30)]
        public void Urns_come_first_and_a_file_is_listed_once(int count)
        {
            var files = Files(count);
            var matcher = new LocalFileMatcher(files);
            var got = matcher.Match("hey jude", new[] { files[2].ContentHash, files[0].ContentHash }, h => files.FirstOrDefault(f => f.ContentHash == h), 100);
            Assert.Equal(new[] { 2, 0 }.Concat(Expected(files, "hey jude", 100).Select(f => f.Index).Where(i => i != 0 && i != 2)), got.Select(f => f.Index));
        }
    }
}
