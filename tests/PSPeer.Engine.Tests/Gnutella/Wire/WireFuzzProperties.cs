using System;
using System.Linq;
using System.Threading;
using FsCheck;
using FsCheck.Fluent;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// Whatever bytes a peer sends, the wire layer answers with a decoded message or a GnutellaProtocolException —
    /// never another exception type that would escape a servent's per-connection handler.
    /// </summary>
    public class WireFuzzProperties
    {
        static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(400);

        static readonly GnutellaPayloadType[] Types =
        {
            GnutellaPayloadType.Ping, GnutellaPayloadType.Pong, GnutellaPayloadType.Bye, GnutellaPayloadType.RouteTableUpdate,
            GnutellaPayloadType.Push, GnutellaPayloadType.Query, GnutellaPayloadType.QueryHit, GnutellaPayloadType.VendorMessage, (GnutellaPayloadType)0x77,
        };

        static bool OnlyProtocolErrors(Action action)
        {
            try { action(); return true; }
            catch (GnutellaProtocolException) { return true; }
        }

        // Valid messages of every kind, so mutations start close to real traffic (random bytes alone rarely get far).
        static readonly byte[][] Seeds =
        {
            GnutellaCodec.EncodePayload(new Pong { Port = 1, Address = "1.2.3.4" }),
            GnutellaCodec.EncodePayload(new Query { Criteria = "hey jude", Urns = new[] { PSPeer.Engine.Core.ContentHash.Compute(new byte[] { 1 }) } }),
            GnutellaCodec.EncodePayload(new QueryHit { Address = "1.2.3.4", Results = new[] {
                new QueryHitResult { Name = "a.mp3", FileSize = 5L << 32, Hash = PSPeer.Engine.Core.ContentHash.Compute(new byte[] { 2 }) },
                new QueryHitResult { Name = "b", FileSize = 3 } } }),
            GnutellaCodec.EncodePayload(new Push { Address = "1.2.3.4" }),
            GnutellaCodec.EncodePayload(new Bye { Code = 200, Reason = "bye" }),
            new Bytes().U16LE(0).Ascii("x").U8(0).U8(0xC3).U8(0x82).Ascii("LF").U8(0x42).Raw(1, 2).U8(0x1C).Ascii("urn:sha1:").ToArray(),
        };

        [Fact]
        public void Decode_payload_of_random_bytes_throws_only_protocol_errors()
        {
            Prop.ForAll<byte[], byte>((bytes, typeIndex) =>
            {
                bytes = bytes ?? new byte[0];
                var type = Types[typeIndex % Types.Length];
                return OnlyProtocolErrors(() => GnutellaCodec.DecodePayload(new DescriptorHeader(default, type, 1, 0, bytes.Length), bytes, 0, bytes.Length));
            }).Check(Quick);
        }

        [Fact]
        public void Decode_payload_of_mutated_valid_payloads_throws_only_protocol_errors()
        {
            Prop.ForAll<int, int, int>((seedIndex, position, valueAndCut) =>
            {
                byte value = (byte)valueAndCut;
                int cut = valueAndCut >> 8;
                var seed = (byte[])Seeds[Math.Abs(seedIndex % Seeds.Length)].Clone();
                if (seed.Length > 0) seed[Math.Abs(position % seed.Length)] = value;
                int length = Math.Abs(cut) % (seed.Length + 1);
                return Types.All(type => OnlyProtocolErrors(() => GnutellaCodec.DecodePayload(new DescriptorHeader(default, type, 1, 0, length), seed, 0, length)));
            }).Check(Quick);
        }

        [Fact]
        public void Frame_reader_over_random_bytes_throws_only_protocol_errors()
        {
            Prop.ForAll<byte[], byte>((bytes, chunk) =>
            {
                bytes = bytes ?? new byte[0];
                var reader = new GnutellaFrameReader(new ChunkedReadStream(bytes, 1 + chunk % 32), 512);
                return OnlyProtocolErrors(() =>
                {
                    while (reader.ReadAsync(CancellationToken.None).GetAwaiter().GetResult() != null) { }
                });
            }).Check(Quick);
        }

        [Fact]
        public void Handshake_reader_over_random_bytes_throws_only_protocol_errors()
        {
            Prop.ForAll<byte[], bool>((bytes, prefix) =>
            {
                bytes = bytes ?? new byte[0];
                if (prefix) bytes = System.Text.Encoding.ASCII.GetBytes("GNUTELLA/0.6 ").Concat(bytes).Concat(new byte[] { 13, 10, 13, 10 }).ToArray();
                return OnlyProtocolErrors(() => GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(bytes, 7), null, 256, CancellationToken.None).GetAwaiter().GetResult());
            }).Check(Quick);
        }

        [Fact]
        public void Qrp_apply_of_random_updates_throws_only_protocol_errors()
        {
            Prop.ForAll<byte[], byte[]>((first, second) =>
            {
                var table = new QueryRouteTable(8);
                return new[] { first ?? new byte[0], second ?? new byte[0] }.All(bytes => OnlyProtocolErrors(() =>
                {
                    var update = (RouteTableUpdate)GnutellaCodec.DecodePayload(new DescriptorHeader(default, GnutellaPayloadType.RouteTableUpdate, 1, 0, bytes.Length), bytes, 0, bytes.Length);
                    if (update is QrpReset reset && reset.TableLength > 1 << 16) return;   // keep the property fast
                    table.Apply(update);
                }));
            }).Check(Quick);
        }

        [Fact]
        public void Query_criteria_round_trip_for_any_text_without_nul()
        {
            Prop.ForAll<string>(text =>
            {
                text = (text ?? "").Replace("\0", "");
                // Lone surrogates do not survive UTF-8 by design; compare against what UTF-8 keeps.
                string expected = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text));
                var bytes = GnutellaCodec.EncodePayload(new Query { Criteria = text });
                var back = (Query)GnutellaCodec.DecodePayload(new DescriptorHeader(default, GnutellaPayloadType.Query, 1, 0, bytes.Length), bytes, 0, bytes.Length);
                return back.Criteria == expected;
            }).Check(Quick);
        }
    }
}
