using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    public class GnutellaFrameReaderTests
    {
        static readonly GnutellaGuid A = GnutellaGuid.Parse("0102030405060708FF0A0B0C0D0E0F00");
        static readonly GnutellaGuid B = GnutellaGuid.Parse("1112131415161718FF1A1B1C1D1E1F00");

        static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

        static byte[] ThreeMessages() => Concat(
            GnutellaCodec.Encode(A, 7, 0, new Ping()),
            GnutellaCodec.Encode(B, 6, 1, new Query { Criteria = "hey jude" }),
            GnutellaCodec.Encode(A, 1, 6, new Pong { Port = 6346, Address = "127.0.0.1", FileCount = 3, KilobytesShared = 9 }));

        static async Task<List<GnutellaMessage>> ReadAll(GnutellaFrameReader reader)
        {
            var list = new List<GnutellaMessage>();
            GnutellaMessage m;
            while ((m = await reader.ReadAsync(CancellationToken.None)) != null) list.Add(m);
            return list;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(23)]
        [InlineData(4096)]
        public async Task Reads_every_descriptor_whatever_the_read_sizes(int chunk)
        {
            var messages = await ReadAll(new GnutellaFrameReader(new ChunkedReadStream(ThreeMessages(), chunk)));
            Assert.Equal(new[] { GnutellaPayloadType.Ping, GnutellaPayloadType.Query, GnutellaPayloadType.Pong }, messages.Select(m => m.Header.Type));
            Assert.Equal(new[] { A, B, A }, messages.Select(m => m.Header.Id));
            Assert.Equal("hey jude", ((Query)messages[1].Payload).Criteria);
            Assert.Equal((byte)6, messages[1].Header.Ttl);
            Assert.Equal((byte)1, messages[1].Header.Hops);
            Assert.Equal(GnutellaCodec.EncodePayload(new Query { Criteria = "hey jude" }), messages[1].PayloadBytes);
            Assert.Equal(6346, ((Pong)messages[2].Payload).Port);
        }

        [Fact]
        public async Task Bytes_left_over_from_the_handshake_are_decoded_first()
        {
            var bytes = ThreeMessages();
            var reader = new GnutellaFrameReader(new ChunkedReadStream(bytes.Skip(30).ToArray(), 5), GnutellaFrameReader.DefaultMaxPayloadLength, bytes.Take(30).ToArray());
            Assert.Equal(3, (await ReadAll(reader)).Count);
        }

        [Fact]
        public async Task Forwarding_re_encodes_the_received_payload_byte_for_byte()
        {
            var original = GnutellaCodec.Encode(B, 6, 1, new Query { Criteria = "x", Urns = new[] { PSPeer.Engine.Core.ContentHash.Compute(new byte[] { 1 }) } });
            var m = await new GnutellaFrameReader(new ChunkedReadStream(original)).ReadAsync(CancellationToken.None);
            m.Header.Ttl--;
            m.Header.Hops++;
            var forwarded = GnutellaCodec.Encode(m.Header, m.PayloadBytes);
            var expected = (byte[])original.Clone();
            expected[17] = 5;
            expected[18] = 2;
            Assert.Equal(expected, forwarded);
        }

        [Fact]
        public async Task Clean_end_of_stream_between_descriptors_is_null()
        {
            Assert.Null(await new GnutellaFrameReader(new ChunkedReadStream(new byte[0])).ReadAsync(CancellationToken.None));
        }

        [Fact]
        public async Task Stream_ending_inside_a_header_or_payload_is_a_protocol_error()
        {
            var bytes = ThreeMessages();
            int firstTwo = 23 + 23 + 11;
            await Assert.ThrowsAsync<GnutellaProtocolException>(() => ReadAll(new GnutellaFrameReader(new ChunkedReadStream(bytes.Take(10).ToArray(), 3))));
            await Assert.ThrowsAsync<GnutellaProtocolException>(() => ReadAll(new GnutellaFrameReader(new ChunkedReadStream(bytes.Take(firstTwo - 1).ToArray(), 3))));
        }

        [Fact]
        public async Task Payload_length_over_the_limit_is_refused_before_reading_it()
        {
            var header = new byte[DescriptorHeader.Size];
            new DescriptorHeader(A, GnutellaPayloadType.Query, 7, 0, int.MaxValue).Write(header, 0);
            var stream = new ChunkedReadStream(header);
            var ex = await Assert.ThrowsAsync<GnutellaProtocolException>(() => new GnutellaFrameReader(stream, 1024).ReadAsync(CancellationToken.None));
            Assert.Contains("limit", ex.Message);

            // Exactly at the limit is fine.
            var atLimit = GnutellaCodec.Encode(A, 1, 0, new QrpPatch { SequenceNumber = 1, SequenceSize = 1, EntryBits = 4, Data = new byte[1024 - 5] });
            Assert.NotNull(await new GnutellaFrameReader(new ChunkedReadStream(atLimit), 1024).ReadAsync(CancellationToken.None));
            Assert.Throws<GnutellaProtocolException>(() => { new GnutellaFrameReader(new ChunkedReadStream(atLimit), 1023).ReadAsync(CancellationToken.None).GetAwaiter().GetResult(); });
        }

        [Fact]
        public async Task Unknown_payload_type_is_a_protocol_error()
        {
            var frame = GnutellaCodec.Encode(A, 1, 0, new Ping());
            frame[16] = 0x77;   // no servent sends this: not Gnutella
            await Assert.ThrowsAsync<GnutellaProtocolException>(() => new GnutellaFrameReader(new ChunkedReadStream(frame)).ReadAsync(CancellationToken.None));
        }

        [Theory]
        [InlineData(0x31, 1)]
        [InlineData(0x32, 7)]
        [InlineData(0xCD, 4096)]
        public async Task Vendor_messages_and_hsep_are_skipped_and_the_next_descriptor_reads(byte type, int chunk)
        {
            // 1500 bytes: longer than the reader's own buffer, so skipping takes several reads.
            var extension = Concat(new byte[23], Enumerable.Range(0, 1500).Select(i => (byte)i).ToArray());
            new DescriptorHeader(B, (GnutellaPayloadType)type, 1, 0, 1500).Write(extension, 0);
            var reader = new GnutellaFrameReader(new ChunkedReadStream(Concat(extension, GnutellaCodec.Encode(A, 7, 0, new Ping())), chunk));
            var skipped = await reader.ReadAsync(CancellationToken.None);
            Assert.Equal((GnutellaPayloadType)type, skipped.Header.Type);
            Assert.Equal(1500, Assert.IsType<IgnoredExtension>(skipped.Payload).Length);
            Assert.Empty(skipped.PayloadBytes);
            var next = await reader.ReadAsync(CancellationToken.None);
            Assert.Equal(GnutellaPayloadType.Ping, next.Header.Type);
            Assert.Equal(A, next.Header.Id);
        }

        [Fact]
        public async Task An_ignored_extension_still_obeys_the_length_limit_and_must_be_complete()
        {
            var big = new byte[23];
            new DescriptorHeader(B, GnutellaPayloadType.VendorMessage, 1, 0, 2000).Write(big, 0);
            await Assert.ThrowsAsync<GnutellaProtocolException>(() => new GnutellaFrameReader(new ChunkedReadStream(big), 1024).ReadAsync(CancellationToken.None));
            var cut = Concat(big, new byte[100]);
            await Assert.ThrowsAsync<GnutellaProtocolException>(() => new GnutellaFrameReader(new ChunkedReadStream(cut)).ReadAsync(CancellationToken.None));
        }

        [Fact]
        public async Task Malformed_payload_is_a_protocol_error()
        {
            var frame = Concat(new byte[23], new byte[5]);
            new DescriptorHeader(A, GnutellaPayloadType.Pong, 1, 0, 5).Write(frame, 0);
            await Assert.ThrowsAsync<GnutellaProtocolException>(() => new GnutellaFrameReader(new ChunkedReadStream(frame)).ReadAsync(CancellationToken.None));
        }

        [Fact]
        public async Task Take_buffered_bytes_hands_out_what_was_not_decoded()
        {
            var bytes = ThreeMessages();
            var reader = new GnutellaFrameReader(new ChunkedReadStream(bytes));
            await reader.ReadAsync(CancellationToken.None);
            var rest = reader.TakeBufferedBytes();
            Assert.Equal(bytes.Skip(23).ToArray(), rest);
            Assert.Empty(reader.TakeBufferedBytes());
        }
    }
}
