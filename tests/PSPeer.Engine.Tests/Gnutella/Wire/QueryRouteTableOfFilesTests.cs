using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// A leaf's own table built straight into its compact form (QueryRouteTable.OfFiles) holds exactly what adding each
    /// file's tokenised name and content hash and then compacting held, sparse or dense alike; file names hashed as the
    /// characters go by mark what their tokens marked.
    /// </summary>
    public class QueryRouteTableOfFilesTests
    {
        static SharedFile File(int i, string name) =>
            new SharedFile(i, name, "/share/" + name, 1000 + i, ContentHash.Compute(BitConverter.GetBytes(i * 7919)), DateTime.UtcNow);

        // What a leaf's table was: each token of each name, each hash, then compacted.
        static QueryRouteTable Tokenised(int bits, IEnumerable<SharedFile> files)
        {
            var table = new QueryRouteTable(bits);
            foreach (var f in files)
            {
                foreach (var token in KeywordTokenizer.Tokenize(f.Name)) table.Add(token);
                table.Add(f.ContentHash);
            }
            table.Compact();
            return table;
        }

        static List<SharedFile> Files(int count, int seed)
        {
            var random = new Random(seed);
            string[] words = { "hey", "Jude", "LET", "it", "be", "yesterday", "Ünïcödé", "x", "42", "mp3", "flac", "ogg", "the", "beatles" };
            return Enumerable.Range(0, count).Select(i => File(i,
                string.Join(random.Next(2) == 0 ? " " : "_-.", Enumerable.Range(0, 1 + random.Next(5)).Select(_ => words[random.Next(words.Length)])) + ".mp3")).ToList();
        }

        [Theory]
        [InlineData(0, 13)]
        [InlineData(1, 13)]
        [InlineData(5, 13)]
        [InlineData(40, 6)]     // many slots of a small table: a bit set
        [InlineData(300, 13)]   // a bit set
        [InlineData(5, 16)]
        public void A_table_of_files_holds_what_their_tokens_and_hashes_did(int count, int bits)
        {
            var files = Files(count, seed: count * 31 + bits);
            var built = QueryRouteTable.OfFiles(bits, files);
            var tokenised = Tokenised(bits, files);
            Assert.True(built.SameSlots(tokenised));
            Assert.Equal(tokenised.PresentCount, built.PresentCount);
            // The same form too: the same updates on the wire.
            Assert.Equal(tokenised.SharedUpdatePayloads(4096), built.SharedUpdatePayloads(4096));
            foreach (var f in files) Assert.True(built.MayMatch(f.Name) && built.MayMatch(f.ContentHash));
        }

        [Fact]
        public void A_file_name_marks_what_its_tokens_marked()
        {
            foreach (var name in new[] { "Hey Jude.mp3", "  __let--it BE__ ", "Ünïcödé x 42", "", "...", "a" })
            {
                var table = new QueryRouteTable(13);
                table.AddFileName(name);
                var tokens = new QueryRouteTable(13);
                foreach (var token in KeywordTokenizer.Tokenize(name)) tokens.Add(token);
                Assert.True(table.SameSlots(tokens), name);
            }
        }
    }
}
