using System;
using System.Linq;
using System.Text;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    public class GnutellaCodecTests
    {
        static readonly GnutellaGuid Id = new GnutellaGuid(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray());
        static readonly GnutellaGuid Servent = new GnutellaGuid(Enumerable.Range(0, 16).Select(i => (byte)(0xA0 + i)).ToArray());
        static readonly ContentHash Hash = ContentHash.Compute(Encoding.UTF8.GetBytes("hey jude"));

        static byte[] Frame(GnutellaPayloadType type, byte ttl, byte hops, byte[] payload) =>
            new Bytes().Raw(Id.ToArray()).U8((byte)type).U8(ttl).U8(hops).U32LE(payload.Length).Raw(payload).ToArray();

        static T RoundTrip<T>(T payload) where T : GnutellaPayload
        {
            var frame = GnutellaCodec.Encode(Id, 5, 2, payload);
            var header = DescriptorHeader.Read(frame, 0);
            Assert.Equal(frame.Length - DescriptorHeader.Size, header.PayloadLength);
            return Assert.IsType<T>(GnutellaCodec.DecodePayload(header, frame, DescriptorHeader.Size, header.PayloadLength));
        }

        static GnutellaProtocolException DecodeFails(GnutellaPayloadType type, byte[] payload) =>
            Assert.Throws<GnutellaProtocolException>(() =>
                GnutellaCodec.DecodePayload(new DescriptorHeader(Id, type, 1, 0, payload.Length), payload, 0, payload.Length));

        [Fact]
        public void Header_is_guid_type_ttl_hops_then_little_endian_length()
        {
            var buffer = new byte[DescriptorHeader.Size + 2];
            new DescriptorHeader(Id, GnutellaPayloadType.Query, 7, 1, 0x01020304).Write(buffer, 2);
            var expected = new Bytes().U8(0).U8(0).Raw(Id.ToArray()).U8(0x80).U8(7).U8(1).Raw(0x04, 0x03, 0x02, 0x01).ToArray();
            Assert.Equal(expected, buffer);
            var back = DescriptorHeader.Read(buffer, 2);
            Assert.Equal(Id, back.Id);
            Assert.Equal(GnutellaPayloadType.Query, back.Type);
            Assert.Equal(7, back.Ttl);
            Assert.Equal(1, back.Hops);
            Assert.Equal(0x01020304, back.PayloadLength);
        }

        [Fact]
        public void Header_length_beyond_int_range_is_a_protocol_error()
        {
            var buffer = Frame(GnutellaPayloadType.Ping, 1, 0, new byte[0]);
            buffer[22] = 0x80;
            Assert.Throws<GnutellaProtocolException>(() => DescriptorHeader.Read(buffer, 0));
        }

        [Fact]
        public void Guid_new_marks_a_modern_servent_and_hex_round_trips()
        {
            var g = GnutellaGuid.New(new PSPeer.Engine.Runtime.SeededRandom(1));
            var bytes = g.ToArray();
            Assert.Equal(0xFF, bytes[8]);
            Assert.Equal(0x00, bytes[15]);
            Assert.Equal(32, g.ToString().Length);
            Assert.Equal(g, GnutellaGuid.Parse(g.ToString().ToLowerInvariant()));
            Assert.Equal("000102030405060708090A0B0C0D0E0F", Id.ToString());
            Assert.NotEqual(g, GnutellaGuid.New(new PSPeer.Engine.Runtime.SeededRandom(2)));
            Assert.False(GnutellaGuid.TryParse("xyz", out _));
        }

        [Fact]
        public void Ping_is_an_empty_payload()
        {
            Assert.Equal(Frame(GnutellaPayloadType.Ping, 7, 0, new byte[0]), GnutellaCodec.Encode(Id, 7, 0, new Ping()));
        }

        [Fact]
        public void Pong_layout_port_ip_files_kilobytes()
        {
            var pong = new Pong { Port = 6346, Address = "192.168.1.2", FileCount = 10, KilobytesShared = 2048 };
            var payload = new Bytes().Raw(0xCA, 0x18).Raw(192, 168, 1, 2).U32LE(10).U32LE(2048).ToArray();
            Assert.Equal(Frame(GnutellaPayloadType.Pong, 3, 4, payload), GnutellaCodec.Encode(Id, 3, 4, pong));
            var back = RoundTrip(pong);
            Assert.Equal((6346, "192.168.1.2", 10u, 2048u), (back.Port, back.Address, back.FileCount, back.KilobytesShared));
        }

        [Fact]
        public void Query_with_urn_extension()
        {
            var query = new Query { Criteria = "hey jude", Urns = new[] { Hash } };
            var payload = new Bytes().U16LE(0).Ascii("hey jude").U8(0).Ascii(Hash.ToString()).U8(0).ToArray();
            Assert.Equal(payload, GnutellaCodec.EncodePayload(query));
            var back = RoundTrip(query);
            Assert.Equal("hey jude", back.Criteria);
            Assert.Equal(new[] { Hash }, back.Urns);
        }

        [Fact]
        public void Query_without_extensions_is_flags_and_criteria()
        {
            var payload = new Bytes().U16LE(0).Utf8("beyoncé").U8(0).ToArray();
            Assert.Equal(payload, GnutellaCodec.EncodePayload(new Query { Criteria = "beyoncé" }));
            var back = RoundTrip(new Query { Criteria = "beyoncé", Flags = 0x8000 });
            Assert.Equal("beyoncé", back.Criteria);
            Assert.Equal(0x8000, back.Flags);
            Assert.Empty(back.Urns);
        }

        [Fact]
        public void Query_extension_block_skips_ggep_xml_and_unknown_urns()
        {
            // A GGEP block whose data holds 0x1C (not a separator inside GGEP), XML, an empty "urn:" request, then a sha1.
            var payload = new Bytes().U16LE(0).Ascii("abc").U8(0)
                .U8(0xC3).U8(0x80 | 2).Ascii("XY").U8(0x40 | 3).Raw(0x1C, 0x41, 0x42)
                .U8(0x1C).Ascii("<?xml version='1.0'?><audios/>")
                .U8(0x1C).Ascii("urn:")
                .U8(0x1C).Ascii(Hash.ToString().ToLowerInvariant())
                .ToArray();
            var query = Assert.IsType<Query>(GnutellaCodec.DecodePayload(new DescriptorHeader(Id, GnutellaPayloadType.Query, 1, 0, payload.Length), payload, 0, payload.Length));
            Assert.Equal("abc", query.Criteria);
            Assert.Equal(new[] { Hash }, query.Urns);
        }

        [Fact]
        public void Query_hit_layout_with_trailer_and_servent_id()
        {
            var hit = new QueryHit
            {
                Port = 6346, Address = "10.0.0.5", Speed = 1000, Push = true, Busy = false, ServentId = Servent,
                Results = new[]
                {
                    new QueryHitResult { FileIndex = 3, FileSize = 4000, Name = "Hey Jude.mp3", Hash = Hash },
                    new QueryHitResult { FileIndex = 9, FileSize = 12, Name = "a.txt" },
                },
            };
            var payload = new Bytes().U8(2).U16LE(6346).Raw(10, 0, 0, 5).U32LE(1000)
                .U32LE(3).U32LE(4000).Ascii("Hey Jude.mp3").U8(0).Ascii(Hash.ToString()).U8(0)
                .U32LE(9).U32LE(12).Ascii("a.txt").U8(0).U8(0)
                .Ascii("PSPR").U8(2).U8(0x01 | 0x04).U8(0x01)
                .Raw(Servent.ToArray()).ToArray();
            Assert.Equal(payload, GnutellaCodec.EncodePayload(hit));

            var back = RoundTrip(hit);
            Assert.Equal((6346, "10.0.0.5", 1000u, "PSPR", true, false, Servent), (back.Port, back.Address, back.Speed, back.VendorCode, back.Push, back.Busy, back.ServentId));
            Assert.Equal(2, back.Results.Count);
            Assert.Equal((3u, 4000L, "Hey Jude.mp3", (ContentHash?)Hash), (back.Results[0].FileIndex, back.Results[0].FileSize, back.Results[0].Name, back.Results[0].Hash));
            Assert.Equal((9u, 12L, "a.txt", (ContentHash?)null), (back.Results[1].FileIndex, back.Results[1].FileSize, back.Results[1].Name, back.Results[1].Hash));
        }

        [Fact]
        public void Query_hit_busy_flag_and_no_push()
        {
            var back = RoundTrip(new QueryHit { Address = "1.2.3.4", Busy = true, ServentId = Servent });
            Assert.True(back.Busy);
            Assert.False(back.Push);
            Assert.Empty(back.Results);
        }

        [Fact]
        public void Query_hit_without_trailer_from_an_old_servent()
        {
            var payload = new Bytes().U8(1).U16LE(80).Raw(1, 2, 3, 4).U32LE(56)
                .U32LE(1).U32LE(5).Ascii("x").U8(0).U8(0).Raw(Servent.ToArray()).ToArray();
            var hit = Assert.IsType<QueryHit>(GnutellaCodec.DecodePayload(new DescriptorHeader(Id, GnutellaPayloadType.QueryHit, 1, 0, payload.Length), payload, 0, payload.Length));
            Assert.Null(hit.VendorCode);
            Assert.False(hit.Push);
            Assert.Equal(Servent, hit.ServentId);
            Assert.Equal("x", hit.Results.Single().Name);
        }

        [Fact]
        public void Query_hit_large_file_travels_in_ggep_lf_without_nul_bytes()
        {
            long size = 5L * 1024 * 1024 * 1024;   // 0x1_4000_0000: its little-endian bytes hold NULs, so COBS is needed
            var hit = new QueryHit { Address = "1.2.3.4", ServentId = Servent, Results = new[] { new QueryHitResult { FileIndex = 1, FileSize = size, Name = "big.iso", Hash = Hash } } };
            var payload = GnutellaCodec.EncodePayload(hit);
            int nameEnd = Array.IndexOf(payload, (byte)0, 11 + 8);
            int blockEnd = Array.IndexOf(payload, (byte)0, nameEnd + 1);
            int ggep = Array.IndexOf(payload, Ggep_Magic, nameEnd + 1);
            Assert.True(ggep > nameEnd && ggep < blockEnd, "the GGEP block sits inside the result's extension block");
            var back = RoundTrip(hit).Results.Single();
            Assert.Equal(size, back.FileSize);
            Assert.Equal(Hash, back.Hash);
        }

        const byte Ggep_Magic = 0xC3;

        [Fact]
        public void Push_layout()
        {
            var push = new Push { ServentId = Servent, FileIndex = 7, Address = "127.0.0.1", Port = 6347 };
            var payload = new Bytes().Raw(Servent.ToArray()).U32LE(7).Raw(127, 0, 0, 1).U16LE(6347).ToArray();
            Assert.Equal(payload, GnutellaCodec.EncodePayload(push));
            var back = RoundTrip(push);
            Assert.Equal((Servent, 7u, "127.0.0.1", 6347), (back.ServentId, back.FileIndex, back.Address, back.Port));
        }

        [Fact]
        public void Bye_layout_and_lenient_reason()
        {
            var payload = new Bytes().U16LE(200).Ascii("Shutting down").U8(0).ToArray();
            Assert.Equal(payload, GnutellaCodec.EncodePayload(new Bye { Code = 200, Reason = "Shutting down" }));
            var back = RoundTrip(new Bye { Code = 502, Reason = "Send queue full" });
            Assert.Equal((502, "Send queue full"), (back.Code, back.Reason));

            // No NUL, and headers after CRLF: the first line is the reason.
            var lenient = new Bytes().U16LE(400).Ascii("Bad\r\nServer: X").ToArray();
            var bye = Assert.IsType<Bye>(GnutellaCodec.DecodePayload(new DescriptorHeader(Id, GnutellaPayloadType.Bye, 1, 0, lenient.Length), lenient, 0, lenient.Length));
            Assert.Equal((400, "Bad"), (bye.Code, bye.Reason));
        }

        [Fact]
        public void Qrp_reset_and_patch_layouts()
        {
            Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x01, 0x00, 0x07 }, GnutellaCodec.EncodePayload(new QrpReset { TableLength = 65536, Infinity = 7 }));
            var patch = new QrpPatch { SequenceNumber = 1, SequenceSize = 2, Compressor = 1, EntryBits = 4, Data = new byte[] { 0xAB, 0xCD } };
            Assert.Equal(new byte[] { 0x01, 1, 2, 1, 4, 0xAB, 0xCD }, GnutellaCodec.EncodePayload(patch));
            var reset = RoundTrip(new QrpReset { TableLength = 8192, Infinity = 7 });
            Assert.Equal((8192, (byte)7), (reset.TableLength, reset.Infinity));
            var p = RoundTrip(patch);
            Assert.Equal((1, 2, 1, 4), (p.SequenceNumber, p.SequenceSize, p.Compressor, p.EntryBits));
            Assert.Equal(new byte[] { 0xAB, 0xCD }, p.Data);
        }

        [Fact]
        public void Encoding_refuses_caller_mistakes()
        {
            Assert.Throws<ArgumentException>(() => GnutellaCodec.EncodePayload(new Pong { Address = "not-an-ip" }));
            Assert.Throws<ArgumentException>(() => GnutellaCodec.EncodePayload(new Pong { Address = "1.2.3.4", Port = 70000 }));
            Assert.Throws<ArgumentException>(() => GnutellaCodec.EncodePayload(new Query { Criteria = "a\0b" }));
            Assert.Throws<ArgumentException>(() => GnutellaCodec.EncodePayload(new QueryHit { Address = "1.2.3.4", VendorCode = "TOOLONG" }));
            Assert.Throws<ArgumentException>(() => GnutellaCodec.EncodePayload(new QueryHit
            { Address = "1.2.3.4", Results = Enumerable.Range(0, 256).Select(i => new QueryHitResult { Name = "f" }).ToArray() }));
        }

        [Fact]
        public void Truncated_and_malformed_payloads_are_protocol_errors()
        {
            DecodeFails(GnutellaPayloadType.Pong, new byte[13]);
            DecodeFails(GnutellaPayloadType.Push, new byte[25]);
            DecodeFails(GnutellaPayloadType.Bye, new byte[1]);
            DecodeFails(GnutellaPayloadType.Query, new byte[1]);
            DecodeFails(GnutellaPayloadType.Query, new Bytes().U16LE(0).Ascii("no nul").ToArray());
            DecodeFails(GnutellaPayloadType.RouteTableUpdate, new byte[0]);
            DecodeFails(GnutellaPayloadType.RouteTableUpdate, new byte[] { 0x05, 1, 2 });
            DecodeFails(GnutellaPayloadType.RouteTableUpdate, new byte[] { 0x00, 0, 0, 1 });
            DecodeFails(GnutellaPayloadType.RouteTableUpdate, new byte[] { 0x01, 1, 1 });
            DecodeFails((GnutellaPayloadType)0x31, new byte[4]);
            // QueryHit shorter than the fixed part plus the servent id
            DecodeFails(GnutellaPayloadType.QueryHit, new byte[26]);
            // QueryHit announcing 2 results but holding 1
            DecodeFails(GnutellaPayloadType.QueryHit, new Bytes().U8(2).U16LE(80).Raw(1, 2, 3, 4).U32LE(56)
                .U32LE(1).U32LE(5).Ascii("x").U8(0).U8(0).Raw(Servent.ToArray()).ToArray());
            // QueryHit whose name NUL is missing (the servent id must not be read as a name)
            DecodeFails(GnutellaPayloadType.QueryHit, new Bytes().U8(1).U16LE(80).Raw(1, 2, 3, 4).U32LE(56)
                .U32LE(1).U32LE(5).Ascii("xyz").Raw(Servent.ToArray()).ToArray());
            // QueryHit open data size running past the payload
            DecodeFails(GnutellaPayloadType.QueryHit, new Bytes().U8(0).U16LE(80).Raw(1, 2, 3, 4).U32LE(56)
                .Ascii("LIME").U8(9).U8(1).Raw(Servent.ToArray()).ToArray());
            // Query whose GGEP block is cut short
            DecodeFails(GnutellaPayloadType.Query, new Bytes().U16LE(0).Ascii("a").U8(0).U8(0xC3).U8(0x82).Ascii("XY").U8(0x45).Raw(1, 2).ToArray());
            // GGEP length with neither the more nor the last bit
            DecodeFails(GnutellaPayloadType.Query, new Bytes().U16LE(0).Ascii("a").U8(0).U8(0xC3).U8(0x82).Ascii("XY").U8(0x05).ToArray());
        }
    }
}
