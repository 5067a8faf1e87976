using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    public class QueryRouteTableTests
    {
        // Published QRP test vectors (the QRP 1.0 specification's reference values, also asserted by other servents).
        [Theory]
        [InlineData("", 13, 0)]
        [InlineData("eb", 13, 6791)]
        [InlineData("ebc", 13, 7082)]
        [InlineData("ebck", 13, 6698)]
        [InlineData("ebckl", 13, 3179)]
        [InlineData("ebcklm", 13, 3235)]
        [InlineData("ebcklme", 13, 6438)]
        [InlineData("ebcklmen", 13, 1062)]
        [InlineData("ebcklmenq", 13, 3527)]
        [InlineData("", 16, 0)]
        [InlineData("n", 16, 65003)]
        [InlineData("nd", 16, 54193)]
        [InlineData("ndf", 16, 4953)]
        [InlineData("ndfl", 16, 58201)]
        [InlineData("ndfla", 16, 34830)]
        [InlineData("ndflal", 16, 36910)]
        [InlineData("ndflale", 16, 34586)]
        [InlineData("ndflalem", 16, 37658)]
        [InlineData("NDFLalem", 16, 37658)]
        [InlineData("ndflaleme", 16, 45559)]
        [InlineData("ol2j34lj", 10, 318)]
        [InlineData("asdfas23", 10, 503)]
        [InlineData("9um3o34fd", 10, 758)]
        [InlineData("a234d", 10, 281)]
        [InlineData("a3f", 10, 767)]
        [InlineData("3nja9", 10, 581)]
        [InlineData("2459345938032343", 10, 146)]
        [InlineData("7777a88a8a8a8", 10, 342)]
        [InlineData("asdfjklkj3k", 10, 861)]
        [InlineData("adfk32l", 10, 1011)]
        [InlineData("zzzzzzzzzzz", 10, 944)]
        public void Hash_matches_the_published_vectors(string keyword, int bits, int expected)
        {
            Assert.Equal(expected, QueryRouteTable.Hash(keyword, bits));
        }

        [Fact]
        public void Hash_by_hand_for_one_character()
        {
            // "n" = 0x6E; 0x6E * 0x4F1BBCDC mod 2^32 = 0xFDEB2688 (computed by hand); its top 16 bits are 0xFDEB = 65003.
            Assert.Equal(unchecked((uint)(0x6E * 0x4F1BBCDCL)), 0xFDEB2688u);
            Assert.Equal(0xFDEB, QueryRouteTable.Hash("n", 16));
        }

        static QueryRouteTable Leaf(params string[] files)
        {
            var t = new QueryRouteTable(16);
            foreach (var f in files) t.AddFileName(f);
            return t;
        }

        [Fact]
        public void May_match_when_every_query_keyword_is_present()
        {
            var t = Leaf("The Beatles - Hey Jude.mp3", "Yesterday (Remastered).ogg");
            Assert.True(t.MayMatch("hey jude"));
            Assert.True(t.MayMatch("HEY, Jude!"));
            Assert.True(t.MayMatch("beatles mp3"));
            Assert.True(t.MayMatch("yesterday"));
            Assert.False(t.MayMatch("hey jude stones"));
            Assert.False(t.MayMatch("stones"));
            Assert.False(t.MayMatch(""));
            Assert.False(t.MayMatch("  ...  "));
        }

        [Fact]
        public void May_match_answers_as_looking_up_each_tokenized_keyword_does_for_any_text()
        {
            // MayMatch hashes keywords as it scans the criteria; the definition is the tokenizer's keywords, each hashed.
            const string alphabet = "aBcdEjuhy019 _-.,!'ÉéßİıΣσ中\u00A0\t";
            var random = new Random(17);
            var names = new[] { "The Beatles - Hey Jude.mp3", "Straße ÉTÉ 1969.ogg", "İstanbul ıı Σσ.flac", "中文 song.mp3", "a.b.c" };
            foreach (int bits in new[] { 8, 12 })
            {
                var t = new QueryRouteTable(bits);
                foreach (var n in names) t.AddFileName(n);
                for (int i = 0; i < 2000; i++)
                {
                    int length = random.Next(0, 14);
                    var chars = new char[length];
                    for (int c = 0; c < length; c++) chars[c] = alphabet[random.Next(alphabet.Length)];
                    var criteria = random.Next(5) == 0 ? names[random.Next(names.Length)] : new string(chars);
                    var tokens = KeywordTokenizer.Tokenize(criteria);
                    bool expected = tokens.Count > 0 && tokens.TrueForAll(k => Present(t, k));
                    Assert.True(expected == t.MayMatch(criteria), $"'{criteria}' with {bits} bits");
                }
            }
        }

        // One keyword alone, through the public surface: a table holding only that keyword's slot agrees with t on it.
        static bool Present(QueryRouteTable t, string keyword)
        {
            var one = new QueryRouteTable(t.Bits);
            one.Add(keyword);
            var both = new QueryRouteTable(t.Bits);
            both.Merge(t);
            both.Merge(one);
            return both.SameSlots(t);   // adding the keyword's slot changed nothing: it was present
        }

        [Fact]
        public void Urn_queries_match_on_the_hash_string()
        {
            var hash = ContentHash.Compute(Encoding.UTF8.GetBytes("hey jude"));
            var other = ContentHash.Compute(Encoding.UTF8.GetBytes("other"));
            var t = Leaf("a.mp3");
            t.Add(hash);
            Assert.True(t.MayMatch(hash));
            Assert.True(t.MayMatch(hash.ToString()));
            Assert.False(t.MayMatch(other));
            Assert.True(t.MayMatch(new Query { Criteria = "", Urns = new[] { other, hash } }));
            Assert.True(t.MayMatch(new Query { Criteria = "a mp3" }));
            Assert.False(t.MayMatch(new Query { Criteria = "zzz", Urns = new[] { other } }));
        }

        static QueryRouteTable Transfer(QueryRouteTable from, int maxPatchBytes, out List<RouteTableUpdate> updates)
        {
            updates = from.ToUpdates(maxPatchBytes).ToList();
            var to = new QueryRouteTable();
            foreach (var u in updates)
            {
                // Through the codec too, as they travel.
                var bytes = GnutellaCodec.EncodePayload(u);
                var decoded = (RouteTableUpdate)GnutellaCodec.DecodePayload(new DescriptorHeader(default, GnutellaPayloadType.RouteTableUpdate, 1, 0, bytes.Length), bytes, 0, bytes.Length);
                to.Apply(decoded);
            }
            return to;
        }

        [Theory]
        [InlineData(100000)]
        [InlineData(64)]
        public void Reset_and_zlib_patches_rebuild_the_same_table(int maxPatchBytes)
        {
            var names = Enumerable.Range(0, 300).Select(i => $"track{i} artist{i % 17} album{i % 5}.mp3").ToArray();
            var leaf = Leaf(names);
            var up = Transfer(leaf, maxPatchBytes, out var updates);

            var reset = Assert.IsType<QrpReset>(updates[0]);
            Assert.Equal((65536, (byte)7), (reset.TableLength, reset.Infinity));
            var patches = updates.Skip(1).Cast<QrpPatch>().ToList();
            Assert.All(patches, p => Assert.Equal((QrpPatch.ZlibCompressor, (byte)4, (byte)patches.Count), (p.Compressor, p.EntryBits, p.SequenceSize)));
            Assert.Equal(Enumerable.Range(1, patches.Count).Select(i => (byte)i), patches.Select(p => p.SequenceNumber));
            Assert.All(patches, p => Assert.True(p.Data.Length <= maxPatchBytes));
            if (maxPatchBytes == 64) Assert.True(patches.Count > 1);

            Assert.True(up.IsComplete);
            Assert.Equal(leaf.PresentCount, up.PresentCount);
            Assert.Equal(16, up.Bits);
            Assert.True(up.MayMatch("track42 artist8"));
            Assert.False(up.MayMatch("nothing-like-this-xyzzy"));
            foreach (var word in new[] { "track1", "artist3", "album4", "mp3" }) Assert.Equal(leaf.MayMatch(word), up.MayMatch(word));
        }

        [Fact]
        public void Updates_follow_words_added_after_an_earlier_send()
        {
            var leaf = Leaf("hey jude.mp3");
            Assert.False(Transfer(leaf, 200, out _).MayMatch("stones"));
            leaf.AddFileName("stones.mp3");
            Assert.True(Transfer(leaf, 200, out _).MayMatch("stones"));
            Assert.False(Transfer(leaf, 100, out _).MayMatch("zeppelin"));
        }

        [Fact]
        public void Zlib_patch_bytes_are_a_real_zlib_stream()
        {
            var leaf = Leaf("hey jude.mp3");
            var patch = leaf.ToUpdates(1 << 20).OfType<QrpPatch>().Single();
            Assert.Equal(0x78, patch.Data[0]);
            Assert.Equal(0, ((patch.Data[0] << 8) | patch.Data[1]) % 31);
            // Inflate with the framework's own zlib reader where available: 32768 bytes of nibbles, two present slots 0xA.
            var raw = InflateZlib(patch.Data);
            Assert.Equal(32768, raw.Length);
            int present = 0;
            for (int i = 0; i < 65536; i++)
            {
                int nibble = (i & 1) == 0 ? raw[i >> 1] >> 4 : raw[i >> 1] & 0xF;
                if (nibble != 0) { Assert.Equal(0xA, nibble); present++; }
            }
            Assert.Equal(leaf.PresentCount, present);
            Assert.True(leaf.PresentCount >= 2 && leaf.PresentCount <= 3);   // hey, jude, mp3 (a collision could merge two)
        }

        static byte[] InflateZlib(byte[] data)
        {
            using (var z = new System.IO.Compression.ZLibStream(new System.IO.MemoryStream(data), System.IO.Compression.CompressionMode.Decompress))
            using (var ms = new System.IO.MemoryStream())
            {
                z.CopyTo(ms);
                return ms.ToArray();
            }
        }

        [Fact]
        public void Patches_compressed_by_another_zlib_writer_apply()
        {
            // 4-bit entries for a 64-slot table: slots 0 and 5 present (delta -6 = 0xA), the rest unchanged.
            var raw = new byte[32];
            raw[0] = 0xA0;
            raw[2] = 0x0A;
            var data = Zlib_Of(raw);
            var t = new QueryRouteTable();
            t.Apply(new QrpReset { TableLength = 64, Infinity = 7 });
            t.Apply(new QrpPatch { SequenceNumber = 1, SequenceSize = 2, Compressor = 1, EntryBits = 4, Data = data.Take(3).ToArray() });
            t.Apply(new QrpPatch { SequenceNumber = 2, SequenceSize = 2, Compressor = 1, EntryBits = 4, Data = data.Skip(3).ToArray() });
            Assert.True(t.IsComplete);
            Assert.Equal(2, t.PresentCount);
        }

        [Fact]
        public void Uncompressed_8_bit_patches_apply_signed_deltas()
        {
            var t = new QueryRouteTable();
            t.Apply(new QrpReset { TableLength = 64, Infinity = 7 });
            var data = new byte[64];
            data[3] = unchecked((byte)(sbyte)-6);   // 7 -> 1: present
            data[9] = unchecked((byte)(sbyte)-1);   // 7 -> 6: still below infinity, present
            data[10] = 1;                          // 7 -> 8: absent
            t.Apply(new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = 0, EntryBits = 8, Data = data });
            Assert.True(t.IsComplete);
            Assert.Equal(6, t.Bits);
            Assert.Equal(2, t.PresentCount);

            // A later patch sequence without a reset changes the current table: slot 3 goes back to infinity.
            var again = new byte[64];
            again[3] = 6;
            t.Apply(new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = 0, EntryBits = 8, Data = again });
            Assert.Equal(1, t.PresentCount);
        }

        [Fact]
        public void The_previous_table_answers_until_the_new_sequence_completes()
        {
            var up = Transfer(Leaf("hey jude.mp3"), 1000, out _);
            var updates = Leaf("stones.mp3").ToUpdates(8).ToList();
            Assert.True(updates.Count > 2);
            up.Apply(updates[0]);
            up.Apply(updates[1]);
            Assert.False(up.IsComplete);
            Assert.True(up.MayMatch("hey jude"));
            foreach (var u in updates.Skip(2)) up.Apply(u);
            Assert.True(up.IsComplete);
            Assert.False(up.MayMatch("hey jude"));
            Assert.True(up.MayMatch("stones"));
        }

        public static IEnumerable<object[]> BadSequences()
        {
            var good = new QrpPatch { SequenceNumber = 1, SequenceSize = 2, Compressor = 0, EntryBits = 4, Data = new byte[16] };
            yield return new object[] { "bad table length", new RouteTableUpdate[] { new QrpReset { TableLength = 1000, Infinity = 7 } } };
            yield return new object[] { "huge table", new RouteTableUpdate[] { new QrpReset { TableLength = 1 << 30, Infinity = 7 } } };
            yield return new object[] { "infinity 0", new RouteTableUpdate[] { new QrpReset { TableLength = 64, Infinity = 0 } } };
            yield return new object[] { "patch 2 first", new RouteTableUpdate[] { new QrpReset { TableLength = 64, Infinity = 7 }, new QrpPatch { SequenceNumber = 2, SequenceSize = 2, EntryBits = 4, Data = new byte[16] } } };
            yield return new object[] { "patch repeated", new RouteTableUpdate[] { new QrpReset { TableLength = 64, Infinity = 7 }, good, good } };
            yield return new object[] { "size changes", new RouteTableUpdate[] { new QrpReset { TableLength = 64, Infinity = 7 }, good, new QrpPatch { SequenceNumber = 2, SequenceSize = 3, EntryBits = 4, Data = new byte[16] } } };
            yield return new object[] { "unknown compressor", new RouteTableUpdate[] { new QrpReset { TableLength = 64, Infinity = 7 }, new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = 2, EntryBits = 4, Data = new byte[32] } } };
            yield return new object[] { "3-bit entries", new RouteTableUpdate[] { new QrpReset { TableLength = 64, Infinity = 7 }, new QrpPatch { SequenceNumber = 1, SequenceSize = 1, EntryBits = 3, Data = new byte[24] } } };
            yield return new object[] { "too few entries", new RouteTableUpdate[] { new QrpReset { TableLength = 64, Infinity = 7 }, new QrpPatch { SequenceNumber = 1, SequenceSize = 1, EntryBits = 4, Data = new byte[31] } } };
            yield return new object[] { "too many bytes", new RouteTableUpdate[] { new QrpReset { TableLength = 64, Infinity = 7 }, new QrpPatch { SequenceNumber = 1, SequenceSize = 1, EntryBits = 4, Data = new byte[33] } } };
            yield return new object[] { "corrupt zlib", new RouteTableUpdate[] { new QrpReset { TableLength = 64, Infinity = 7 }, new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = 1, EntryBits = 4, Data = new byte[] { 0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 } } } };
            var bomb = Zlib_Of(new byte[1 << 16]);
            yield return new object[] { "zlib inflating past the table", new RouteTableUpdate[] { new QrpReset { TableLength = 64, Infinity = 7 }, new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = 1, EntryBits = 4, Data = bomb } } };
        }

        static byte[] Zlib_Of(byte[] raw)
        {
            using (var ms = new System.IO.MemoryStream())
            {
                using (var z = new System.IO.Compression.ZLibStream(ms, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw, 0, raw.Length);
                return ms.ToArray();
            }
        }

        [Theory]
        [MemberData(nameof(BadSequences))]
        public void Bad_sequences_are_protocol_errors_and_keep_the_current_table(string why, RouteTableUpdate[] updates)
        {
            var up = Transfer(Leaf("hey jude.mp3"), 1000, out _);
            var ex = Record.Exception(() => { foreach (var u in updates) up.Apply(u); });
            Assert.True(ex is GnutellaProtocolException, $"{why}: {ex?.GetType().Name ?? "no exception"}");
            Assert.True(up.IsComplete, why);
            Assert.True(up.MayMatch("hey jude"), why);
            // And a good sequence still works afterwards.
            foreach (var u in Leaf("stones.mp3").ToUpdates(100)) up.Apply(u);
            Assert.True(up.MayMatch("stones"), why);
        }

        [Fact]
        public void A_compacted_table_answers_sends_and_grows_as_a_bit_set_does()
        {
            var dense = Leaf("beatles - hey jude.mp3", "stones.mp3");
            var compact = Leaf("beatles - hey jude.mp3", "stones.mp3");
            compact.Compact();
            Assert.Equal(dense.PresentCount, compact.PresentCount);
            foreach (var q in new[] { "hey jude", "stones", "beatles", "zeppelin", "hey zeppelin" })
                Assert.Equal(dense.MayMatch(q), compact.MayMatch(q));
            // What it sends is the same bytes, and the receiving side (which compacts) matches the same queries.
            var sentDense = dense.ToUpdates(100).OfType<QrpPatch>().SelectMany(p => p.Data).ToArray();
            var sentCompact = compact.ToUpdates(100).OfType<QrpPatch>().SelectMany(p => p.Data).ToArray();
            Assert.Equal(sentDense, sentCompact);
            var up = new QueryRouteTable();
            foreach (var u in compact.ToUpdates(100)) up.Apply(u);
            Assert.True(up.MayMatch("hey jude"));
            Assert.False(up.MayMatch("zeppelin"));
            // Adding after compaction turns it back into a bit set with the old slots kept.
            compact.Add("zeppelin");
            Assert.True(compact.MayMatch("zeppelin"));
            Assert.True(compact.MayMatch("stones"));
            Assert.Equal(dense.PresentCount + 1, compact.PresentCount);
        }
}
}
