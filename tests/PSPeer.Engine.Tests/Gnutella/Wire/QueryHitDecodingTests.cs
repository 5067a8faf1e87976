using System;
using System.Linq;
using System.Text;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// A QueryHit from a link is checked whole when it arrives, but its results are made only when read (a servent
    /// routing it back only counts them); one decoded from a caller's buffer is made at once.
    /// </summary>
    public class QueryHitDecodingTests
    {
        static readonly GnutellaGuid Id = GnutellaGuid.Parse("0102030405060708FF0A0B0C0D0E0F00");
        static readonly GnutellaGuid Servent = GnutellaGuid.Parse("A1A2A3A4A5A6A7A8FFAAABACADAEAF00");
        static readonly ContentHash Hash = ContentHash.Compute(Encoding.UTF8.GetBytes("hey jude"));

        static QueryHit Hit() => new QueryHit
        {
            Address = "10.1.2.3", Port = 6346, Speed = 100, ServentId = Servent, Push = true, VendorCode = "PSPR",
            Results = new[]
            {
                new QueryHitResult { FileIndex = 3, FileSize = 4000, Name = "Hey Jude.mp3", Hash = Hash },
                new QueryHitResult { FileIndex = 9, FileSize = 5L << 32, Name = "big ü.iso" },
                new QueryHitResult { FileIndex = 12, FileSize = 7, Name = "" },
            },
        };

        static GnutellaMessage FromLink(byte[] frame)
        {
            var decoder = new GnutellaFrameDecoder(GnutellaFrameReader.DefaultMaxPayloadLength, frame, GnutellaFrameReader.ReadBufferSize);
            Assert.True(decoder.TryDecode(out var message));
            return message;
        }

        static void SameResults(QueryHit expected, QueryHit actual)
        {
            Assert.Equal(expected.Results.Count, actual.ResultCount);
            Assert.Equal(expected.Results.Count, actual.Results.Count);
            for (int i = 0; i < expected.Results.Count; i++)
            {
                Assert.Equal(expected.Results[i].FileIndex, actual.Results[i].FileIndex);
                Assert.Equal(expected.Results[i].FileSize, actual.Results[i].FileSize);
                Assert.Equal(expected.Results[i].Name, actual.Results[i].Name);
                Assert.Equal(expected.Results[i].Hash, actual.Results[i].Hash);
            }
        }

        [Fact]
        public void A_hit_from_a_link_counts_its_results_and_reads_them_as_an_eager_decode_does()
        {
            var frame = GnutellaCodec.Encode(Id, 3, 1, Hit());
            var message = FromLink(frame);
            var hit = Assert.IsType<QueryHit>(message.Payload);
            Assert.Equal(3, hit.ResultCount);
            Assert.Equal("10.1.2.3", hit.Address);
            Assert.Equal("PSPR", hit.VendorCode);
            Assert.True(hit.Push);
            Assert.Equal(Servent, hit.ServentId);
            SameResults(Hit(), hit);
            Assert.Same(hit.Results, hit.Results);   // made once
            // Forwarding re-sends the payload as received: byte for byte the same frame.
            Assert.Equal(frame, GnutellaCodec.Encode(message.Header, message.PayloadBytes));
        }

        [Fact]
        public void Results_set_afterwards_replace_the_undecoded_ones()
        {
            var hit = Assert.IsType<QueryHit>(FromLink(GnutellaCodec.Encode(Id, 3, 1, Hit())).Payload);
            hit.Results = new[] { new QueryHitResult { Name = "mine" } };
            Assert.Equal(1, hit.ResultCount);
            Assert.Equal("mine", Assert.Single(hit.Results).Name);
        }

        [Fact]
        public void A_malformed_result_set_is_refused_on_arrival_with_the_same_words_as_a_full_decode()
        {
            // One result announced, its extension block never ends before the trailer and the servent id.
            var payload = new Bytes().U8(1).U16LE(80).Raw(1, 2, 3, 4).U32LE(56).U32LE(1).U32LE(10)
                .Raw(Encoding.ASCII.GetBytes("a.txt")).U8(0).Raw(Encoding.ASCII.GetBytes("urn:sha1:XXXX")).Raw(Servent.ToArray()).ToArray();
            var frame = new Bytes().Raw(Id.ToArray()).U8((byte)GnutellaPayloadType.QueryHit).U8(1).U8(0).U32LE(payload.Length).Raw(payload).ToArray();
            var onArrival = Assert.Throws<GnutellaProtocolException>(() => FromLink(frame));
            var eager = Assert.Throws<GnutellaProtocolException>(() =>
                GnutellaCodec.DecodePayload(new DescriptorHeader(Id, GnutellaPayloadType.QueryHit, 1, 0, payload.Length), payload, 0, payload.Length));
            Assert.Equal(eager.Message, onArrival.Message);
            Assert.Equal("QueryHit result extension block has no terminating NUL", onArrival.Message);
        }

        [Fact]
        public void A_hit_decoded_from_a_callers_buffer_does_not_read_the_buffer_later()
        {
            var frame = GnutellaCodec.Encode(Id, 3, 1, Hit());
            var hit = Assert.IsType<QueryHit>(GnutellaCodec.DecodePayload(DescriptorHeader.Read(frame, 0), frame, DescriptorHeader.Size, frame.Length - DescriptorHeader.Size));
            Array.Clear(frame, 0, frame.Length);   // the caller reuses its buffer
            SameResults(Hit(), hit);
        }

        [Fact]
        public void Vendor_codes_read_in_turn_are_each_their_own()
        {
            foreach (var vendor in new[] { "PSPR", "LIME", "LIME", "GTKG", "PSPR" })
            {
                var hit = Hit();
                hit.VendorCode = vendor;
                Assert.Equal(vendor, Assert.IsType<QueryHit>(FromLink(GnutellaCodec.Encode(Id, 3, 1, hit)).Payload).VendorCode);
            }
            // A byte above 0x7F reads as '?', as ASCII decoding has it.
            var odd = GnutellaCodec.Encode(Id, 3, 1, Hit());
            int at = odd.Length - GnutellaGuid.Size - 3 - 4;   // vendor code, open data size 2, two open data bytes, servent id
            odd[at] = 0xC9;
            Assert.Equal("?SPR", Assert.IsType<QueryHit>(FromLink(odd).Payload).VendorCode);
        }
    }
}
