using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// The sans-IO decoder a link's read loop drives: bytes in wherever the reads cut them, the same descriptors out,
    /// the same refusals, and a read buffer a quiet link can give back.
    /// </summary>
    public class GnutellaFrameDecoderTests
    {
        static readonly GnutellaGuid A = GnutellaGuid.Parse("0102030405060708FF0A0B0C0D0E0F00");
        static readonly GnutellaGuid B = GnutellaGuid.Parse("1112131415161718FF1A1B1C1D1E1F00");

        // A ping (no payload), a vendor message to skip, a query, a QRP patch longer than the 128-byte buffer, a pong.
        static byte[] Mixed()
        {
            var vendor = new byte[23 + 300];
            new DescriptorHeader(B, GnutellaPayloadType.VendorMessage, 1, 0, 300).Write(vendor, 0);
            for (int i = 23; i < vendor.Length; i++) vendor[i] = (byte)i;
            var patch = new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = 0, EntryBits = 4, Data = Enumerable.Range(0, 700).Select(i => (byte)(i % 7)).ToArray() };
            return new[]
            {
                GnutellaCodec.Encode(A, 7, 0, new Ping()),
                vendor,
                GnutellaCodec.Encode(B, 6, 1, new Query { Criteria = "hey jude" }),
                GnutellaCodec.Encode(A, 1, 0, patch),
                GnutellaCodec.Encode(A, 1, 6, new Pong { Port = 6346, Address = "127.0.0.1", FileCount = 3, KilobytesShared = 9 }),
            }.SelectMany(b => b).ToArray();
        }

        /// <summary>Feeds <paramref name="bytes"/> cut at <paramref name="cuts"/> (each read also capped by the room offered).</summary>
        static List<GnutellaMessage> Decode(byte[] bytes, IEnumerable<int> cuts, byte[] alreadyRead = null, bool releaseWhenQuiet = false)
        {
            var decoder = new GnutellaFrameDecoder(GnutellaFrameReader.DefaultMaxPayloadLength, alreadyRead, GnutellaFrameReader.ReadBufferSize);
            var messages = new List<GnutellaMessage>();
            int at = 0;
            using (var sizes = cuts.GetEnumerator())
            {
                while (true)
                {
                    while (decoder.TryDecode(out var m)) messages.Add(m);
                    if (at == bytes.Length) break;
                    if (releaseWhenQuiet) decoder.TryReleaseBuffer();
                    var target = decoder.PrepareRead();
                    Assert.True(target.Count > 0);
                    int want = sizes.MoveNext() ? sizes.Current : 1;
                    int n = Math.Min(Math.Min(want, target.Count), bytes.Length - at);
                    Buffer.BlockCopy(bytes, at, target.Array, target.Offset, n);
                    at += n;
                    decoder.Advance(n);
                }
            }
            decoder.EndOfStream();
            Assert.True(decoder.IsBetweenDescriptors);
            return messages;
        }

        static void AssertMixed(List<GnutellaMessage> messages)
        {
            Assert.Equal(new[] { GnutellaPayloadType.Ping, GnutellaPayloadType.VendorMessage, GnutellaPayloadType.Query, GnutellaPayloadType.RouteTableUpdate, GnutellaPayloadType.Pong },
                messages.Select(m => m.Header.Type));
            Assert.IsType<IgnoredExtension>(messages[1].Payload);
            Assert.Empty(messages[1].PayloadBytes);
            Assert.Equal("hey jude", ((Query)messages[2].Payload).Criteria);
            Assert.Equal((byte)6, messages[2].Header.Ttl);
            Assert.Equal(700, ((QrpPatch)messages[3].Payload).Data.Length);
            Assert.Equal(6346, ((Pong)messages[4].Payload).Port);
        }

        [Fact]
        public void Every_single_cut_point_gives_the_same_descriptors()
        {
            var bytes = Mixed();
            var whole = Decode(bytes, Enumerable.Repeat(int.MaxValue, 100));
            AssertMixed(whole);
            for (int cut = 1; cut < bytes.Length; cut++)
            {
                var messages = Decode(bytes, new[] { cut }.Concat(Enumerable.Repeat(int.MaxValue, 100)));
                Assert.Equal(whole.Select(m => Convert.ToBase64String(GnutellaCodec.Encode(m.Header, m.PayloadBytes))),
                    messages.Select(m => Convert.ToBase64String(GnutellaCodec.Encode(m.Header, m.PayloadBytes))));
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(11)]
        [InlineData(23)]
        [InlineData(24)]
        [InlineData(127)]
        public void Fixed_read_sizes_give_the_same_descriptors(int size)
        {
            AssertMixed(Decode(Mixed(), Enumerable.Repeat(size, 10000)));
        }

        [Fact]
        public void Random_read_sizes_with_the_buffer_given_back_whenever_quiet_give_the_same_descriptors()
        {
            var random = new Random(13);
            for (int run = 0; run < 200; run++)
            {
                var sizes = Enumerable.Range(0, 10000).Select(_ => random.Next(1, 200)).ToArray();
                AssertMixed(Decode(Mixed(), sizes, releaseWhenQuiet: run % 2 == 0));
            }
        }

        [Fact]
        public void Bytes_left_over_from_the_handshake_are_decoded_first_even_past_the_buffer_size()
        {
            var bytes = Mixed();
            foreach (int already in new[] { 1, 22, 23, 200, bytes.Length - 1, bytes.Length })
                AssertMixed(Decode(bytes.Skip(already).ToArray(), Enumerable.Repeat(50, 10000), bytes.Take(already).ToArray()));
        }

        [Fact]
        public void An_oversized_length_is_refused_as_soon_as_the_header_is_whole()
        {
            var decoder = new GnutellaFrameDecoder(1024, null, GnutellaFrameReader.ReadBufferSize);
            var header = new byte[23];
            new DescriptorHeader(A, GnutellaPayloadType.Query, 1, 0, 1025).Write(header, 0);
            var target = decoder.PrepareRead();
            Buffer.BlockCopy(header, 0, target.Array, target.Offset, 22);
            decoder.Advance(22);
            Assert.False(decoder.TryDecode(out _));
            target = decoder.PrepareRead();
            target.Array[target.Offset] = header[22];
            decoder.Advance(1);
            var e = Assert.Throws<GnutellaProtocolException>(() => decoder.TryDecode(out _));
            Assert.Contains("1025", e.Message);
        }

        [Fact]
        public void An_unknown_type_is_refused()
        {
            var bytes = new byte[23];
            new DescriptorHeader(A, (GnutellaPayloadType)0x77, 1, 0, 0).Write(bytes, 0);
            var decoder = new GnutellaFrameDecoder(1024, bytes, GnutellaFrameReader.ReadBufferSize);
            Assert.Throws<GnutellaProtocolException>(() => decoder.TryDecode(out _));
        }

        [Fact]
        public void The_end_of_the_stream_inside_a_descriptor_says_where()
        {
            var bytes = Mixed();
            int ping = 23, vendorEnd = 23 + 23 + 300;
            var cases = new (int length, string expected)[]
            {
                (10, "descriptor header"),
                (ping + 23 + 100, "VendorMessage payload (100 of 300 bytes)"),
                (vendorEnd + 23 + 2, "Query payload (2 of"),
            };
            foreach (var (length, expected) in cases)
            {
                var decoder = new GnutellaFrameDecoder(GnutellaFrameReader.DefaultMaxPayloadLength, bytes.Take(length).ToArray(), GnutellaFrameReader.ReadBufferSize);
                while (decoder.TryDecode(out _)) { }
                Assert.False(decoder.IsBetweenDescriptors);
                var e = Assert.Throws<GnutellaProtocolException>(() => decoder.EndOfStream());
                Assert.Contains(expected, e.Message);
            }
        }

        [Fact]
        public void The_buffer_is_given_back_only_between_descriptors()
        {
            var bytes = GnutellaCodec.Encode(B, 6, 1, new Query { Criteria = "hey jude" });
            var decoder = new GnutellaFrameDecoder(GnutellaFrameReader.DefaultMaxPayloadLength, bytes.Take(10).ToArray(), GnutellaFrameReader.ReadBufferSize);
            Assert.False(decoder.TryDecode(out _));
            Assert.False(decoder.TryReleaseBuffer());   // a header is half read
            var target = decoder.PrepareRead();
            Buffer.BlockCopy(bytes, 10, target.Array, target.Offset, bytes.Length - 10);
            decoder.Advance(bytes.Length - 10);
            Assert.True(decoder.TryDecode(out var m));
            Assert.Equal("hey jude", ((Query)m.Payload).Criteria);
            Assert.True(decoder.TryReleaseBuffer());
            Assert.True(decoder.TryReleaseBuffer());   // already given back
            Assert.Empty(decoder.TakeBufferedBytes());
            Assert.Equal(GnutellaFrameReader.ReadBufferSize, decoder.PrepareRead().Count);   // taken again, empty
        }

        [Fact]
        public void A_query_copy_whose_payload_is_whole_in_the_buffer_and_the_same_as_the_last_shares_its_array()
        {
            var jude = new Query { Criteria = "hey jude" };
            var bytes = new[]
            {
                GnutellaCodec.Encode(A, 6, 1, jude),
                GnutellaCodec.Encode(B, 5, 2, jude),                                  // another copy: same payload bytes
                GnutellaCodec.Encode(A, 4, 3, new Query { Criteria = "let it be" }),  // another query
            }.SelectMany(b => b).ToArray();
            Assert.True(bytes.Length <= GnutellaFrameReader.ReadBufferSize);
            var messages = Decode(bytes, new[] { bytes.Length });   // one read: every payload whole in the buffer
            Assert.Equal(3, messages.Count);
            Assert.Same(messages[0].PayloadBytes, messages[1].PayloadBytes);
            Assert.NotSame(messages[1].PayloadBytes, messages[2].PayloadBytes);
            Assert.Equal(GnutellaCodec.EncodePayload(jude), messages[1].PayloadBytes);
            Assert.Equal(new[] { A, B, A }, messages.Select(m => m.Header.Id));
            Assert.Equal(new[] { "hey jude", "hey jude", "let it be" }, messages.Select(m => ((Query)m.Payload).Criteria));

            // Read a byte at a time, each payload still arrives whole and right (the shared array only when it was whole).
            var dribbled = Decode(bytes, Enumerable.Repeat(1, bytes.Length));
            Assert.Equal(messages.Select(m => m.PayloadBytes), dribbled.Select(m => m.PayloadBytes));
        }

        [Fact]
        public void Every_leaf_s_same_qrp_reset_and_patch_share_their_arrays_and_still_decode_to_their_own_updates()
        {
            var reset = new QrpReset { TableLength = 8192, Infinity = 7 };
            var patch = new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = 1, EntryBits = 4, Data = Enumerable.Range(0, 10).Select(i => (byte)i).ToArray() };
            var bytes = new[] { GnutellaCodec.Encode(A, 1, 0, reset), GnutellaCodec.Encode(A, 1, 0, patch), GnutellaCodec.Encode(B, 1, 0, reset) }.SelectMany(b => b).ToArray();
            var first = Decode(bytes, new[] { bytes.Length });
            Assert.Same(first[0].PayloadBytes, first[2].PayloadBytes);                 // the resets, with a patch between them
            Assert.NotSame(first[0].Payload, first[2].Payload);                         // each its own update
            Assert.Equal(8192, ((QrpReset)first[2].Payload).TableLength);
            var again = Decode(GnutellaCodec.Encode(B, 1, 0, patch), new[] { 64 });    // the next leaf's patch
            Assert.Same(first[1].PayloadBytes, again[0].PayloadBytes);
            Assert.Equal(patch.Data, ((QrpPatch)again[0].Payload).Data);
            var other = new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = 1, EntryBits = 4, Data = new byte[10] };
            var different = Decode(GnutellaCodec.Encode(B, 1, 0, other), new[] { 64 });
            Assert.NotSame(first[1].PayloadBytes, different[0].PayloadBytes);
            Assert.Equal(new byte[10], ((QrpPatch)different[0].Payload).Data);
        }
    }
}
