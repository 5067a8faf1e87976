using System;
using System.Linq;
using System.Net;
using System.Text;
using PSPeer.Engine.Chord.Sharing;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Chord.Sharing
{
    /// <summary>The keyword pointer's bytes (issue 12): a bencoded {a, h, n, s} dictionary, checked against hand-written bytes.</summary>
    public class ChordFilePointerTests
    {
        static readonly byte[] Sha1 = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        static readonly IPEndPoint Server = new IPEndPoint(IPAddress.Parse("127.0.0.7"), 0x1F90);   // port 8080

        /// <summary>The bytes a pointer to "Hey Jude.mp3" (5 bytes, SHA-1 01..14, 127.0.0.7:8080) must be, written out by hand.</summary>
        static byte[] HandWritten()
        {
            var bytes = new System.Collections.Generic.List<byte>();
            void Ascii(string s) => bytes.AddRange(Encoding.ASCII.GetBytes(s));
            Ascii("d1:a6:"); bytes.AddRange(new byte[] { 127, 0, 0, 7, 0x1F, 0x90 });
            Ascii("1:h20:"); bytes.AddRange(Sha1);
            Ascii("1:n12:Hey Jude.mp3");
            Ascii("1:si5ee");
            return bytes.ToArray();
        }

        [Fact]
        public void Encodes_exactly_the_bencoded_dictionary_of_the_issue()
        {
            var pointer = new ChordFilePointer("Hey Jude.mp3", 5, new ContentHash(Sha1), Server);
            Assert.Equal(HandWritten(), pointer.Encode());
        }

        [Fact]
        public void Decodes_hand_written_bytes()
        {
            Assert.True(ChordFilePointer.TryDecode(HandWritten(), out var p));
            Assert.Equal("Hey Jude.mp3", p.Name);
            Assert.Equal(5, p.Size);
            Assert.Equal(Sha1, p.ContentHash.ToByteArray());
            Assert.Equal(Server, p.HttpServer);
            Assert.Equal("127.0.0.7:8080", p.Source);
        }

        [Fact]
        public void Round_trips_through_its_bytes_with_a_name_and_hash_beyond_ASCII()
        {
            var pointer = new ChordFilePointer("Ça plane pour moi.mp3", 123456789, new ContentHash(Sha1), Server);
            Assert.True(ChordFilePointer.TryDecode(pointer.Encode(), out var back));
            Assert.Equal(pointer, back);
            Assert.Equal("Ça plane pour moi.mp3", back.Name);
        }

        [Theory]
        [InlineData("")]
        [InlineData("http://127.0.0.1:8080/get/0/Hey Jude.mp3")]          // a user's own value at a kw: key
        [InlineData("d1:ai1ee")]                                             // a wrong type
        [InlineData("d1:a6:\u007f\u0000\u0000\u0007\u001f\u00901:h3:abc1:n1:x1:si1ee")]   // a 3-byte hash
        [InlineData("d1:a6:\u007f\u0000\u0000\u0007\u0000\u00001:h20:aaaaaaaaaaaaaaaaaaaa1:n1:x1:si1ee")]   // port 0
        [InlineData("d1:a6:\u007f\u0000\u0000\u0007\u001f\u00901:h20:aaaaaaaaaaaaaaaaaaaa1:n1:x1:si-1ee")]  // negative size
        [InlineData("d1:a6:\u007f\u0000\u0000\u0007\u001f\u00901:h20:aaaaaaaaaaaaaaaaaaaa1:n0:1:si1ee")]    // no name
        [InlineData("d1:a6:\u007f\u0000\u0000\u0007\u001f\u00901:h20:aaaaaaaaaaaaaaaaaaaa1:n3:a\nb1:si1ee")] // a name of two lines
        [InlineData("d1:a6:\u007f\u0000\u0000\u0007\u001f\u00901:h20:aaaaaaaaaaaaaaaaaaaa1:n1:x1:si1e")]   // cut short
        [InlineData("ll")]
        public void Refuses_anything_that_is_not_a_pointer(string value)
        {
            Assert.False(ChordFilePointer.TryDecode(Encoding.GetEncoding("ISO-8859-1").GetBytes(value), out var p));
            Assert.Null(p);
        }

        [Fact]
        public void Ignores_unknown_keys_as_BEP_5_does()
        {
            var bytes = new System.Collections.Generic.List<byte>(HandWritten());
            bytes.RemoveAt(bytes.Count - 1);                                  // reopen the dictionary
            bytes.AddRange(Encoding.ASCII.GetBytes("1:zi1ee"));              // a later version's key
            Assert.True(ChordFilePointer.TryDecode(bytes.ToArray(), out var p));
            Assert.Equal("Hey Jude.mp3", p.Name);
        }

        [Fact]
        public void Refuses_to_build_what_the_wire_cannot_carry()
        {
            var hash = new ContentHash(Sha1);
            Assert.Throws<ArgumentException>(() => new ChordFilePointer("x", 1, hash, new IPEndPoint(IPAddress.IPv6Loopback, 80)));
            Assert.Throws<ArgumentException>(() => new ChordFilePointer(new string('x', ChordFilePointer.MaxNameBytes + 1), 1, hash, Server));
            Assert.Throws<ArgumentException>(() => new ChordFilePointer("x", 1, default, Server));
            Assert.True(new ChordFilePointer(new string('x', ChordFilePointer.MaxNameBytes), 1, hash, Server).Encode().Length <= 1000);
        }
    }
}
