using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// Link compression as gtk-gnutella negotiates it, byte by byte: its CONNECT with "Accept-Encoding: deflate", our
    /// 200 with Accept-Encoding and Content-Encoding, its confirmation with (or without) "Content-Encoding: deflate",
    /// then its zlib stream. That stream is written by hand here: the zlib header, a stored (uncompressed) deflate block
    /// holding a Ping, then a Query compressed by the runtime's raw deflate and sync-flushed — so PSPeer's inflater is
    /// checked against the format, not against PSPeer's own compressor. What PSPeer sends back is read with ZLibStream.
    /// </summary>
    public class CompressedLinkTranscriptTests
    {
        static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
        static byte[] Cat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
        static byte[] Hex(string hex) => Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(2 * i, 2), 16)).ToArray();

        static readonly byte[] PingGuid = Hex("60112233445566778899AABBCCDDEE00");
        static readonly byte[] QueryGuid = Hex("7A1B2C3D4E5F6071FF8293A4B5C6D700");

        /// <summary>gtk-gnutella 1.2's CONNECT as an ultrapeer, headers in its order.</summary>
        static byte[] GtkgConnect(string node) => Ascii(
            "GNUTELLA CONNECT/0.6\r\n" +
            "User-Agent: gtk-gnutella/1.2.3 (2024-06-30; GTK2; Linux x86_64)\r\n" +
            "Pong-Caching: 0.1\r\n" +
            "Bye-Packet: 0.1\r\n" +
            "GGEP: 0.5\r\n" +
            "Vendor-Message: 0.2\r\n" +
            "Node: " + node + "\r\n" +
            "Accept-Encoding: deflate\r\n" +
            "X-Token: GTKG 9tdBEhc6mQ== XNmP5+0RzXUFZwT5FVEYlsiFBaM=\r\n" +
            "X-Live-Since: 2026-12-01 12:00:00 +0000\r\n" +
            "X-Ultrapeer: True\r\n" +
            "X-Query-Routing: 0.2\r\n" +
            "X-Ultrapeer-Query-Routing: 0.1\r\n" +
            "X-Degree: 32\r\n" +
            "X-Max-TTL: 4\r\n" +
            "X-Dynamic-Querying: 0.1\r\n" +
            "X-Requeries: False\r\n" +
            "X-Features: browse/0.1, fwalt/0.1, ipv6/1.0, tls/1.0\r\n" +
            "\r\n");

        static byte[] Descriptor(byte[] guid, byte type, byte ttl, byte hops, byte[] payload) =>
            Cat(guid, new[] { type, ttl, hops, (byte)payload.Length, (byte)(payload.Length >> 8), (byte)(payload.Length >> 16), (byte)(payload.Length >> 24) }, payload);

        /// <summary>A deflate stored block that is not the last one: 0x00 (BFINAL 0, BTYPE 00), LEN, ~LEN, the bytes.</summary>
        static byte[] StoredBlock(byte[] data) =>
            Cat(new byte[] { 0x00, (byte)data.Length, (byte)(data.Length >> 8), (byte)~data.Length, (byte)(~data.Length >> 8) }, data);

        /// <summary>The stream gtk-gnutella would send: zlib header, a Ping in a stored block, then a compressed, sync-flushed Query.</summary>
        static byte[] GtkgCompressedStream()
        {
            var ping = Descriptor(PingGuid, 0x00, 1, 0, new byte[0]);
            var query = Descriptor(QueryGuid, 0x80, 3, 0, Cat(new byte[] { 0xA0, 0x00 }, Ascii("jude"), new byte[] { 0 }, Ascii("urn:"), new byte[] { 0 }));
            var compressed = new MemoryStream();
            using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                deflate.Write(query, 0, query.Length);
                deflate.Flush();
                // What Dispose would add (the final block) is not sent: a link's stream never ends.
                return Cat(new byte[] { 0x78, 0x9C }, StoredBlock(ping), compressed.ToArray());
            }
        }

        static byte[] PlainStream() => Cat(
            Descriptor(PingGuid, 0x00, 1, 0, new byte[0]),
            Descriptor(QueryGuid, 0x80, 3, 0, Cat(new byte[] { 0xA0, 0x00 }, Ascii("jude"), new byte[] { 0 }, Ascii("urn:"), new byte[] { 0 })));

        [Theory]
        [InlineData(true)]     // both ways compressed
        [InlineData(false)]    // gtk-gnutella short of memory: it inflates what we send, but sends plain
        public void A_gtk_gnutella_deflate_handshake_and_stream_are_decoded_and_answered_compressed(bool gtkgCompresses)
        {
            var world = new GnutellaWorld();
            var n0 = world.Add("n0", configure: o => o.CompressLinks = true, files: "hey jude.mp3");
            var host = world.Sim.AddHost("gtkg");
            HandshakeHead answer = null;
            var replies = new List<GnutellaMessage>();
            var received = new List<byte>();
            world.Run(async () =>
            {
                var connection = await host.Transport.ConnectAsync(world.Address(n0).Host, world.Address(n0).Port, CancellationToken.None);
                var stream = connection.Stream;
                var hello = GtkgConnect(host.HostAddress + ":6346");
                await stream.WriteAsync(hello, 0, hello.Length);
                answer = await GnutellaHandshake.ReadHeadAsync(stream, null, 8192, CancellationToken.None);
                Assert.Empty(answer.Remainder);   // nothing is sent before our confirmation
                // The confirmation and the stream in one write, as an eager servent does it.
                var confirm = gtkgCompresses
                    ? Cat(Ascii("GNUTELLA/0.6 200 OK\r\nContent-Encoding: deflate\r\n\r\n"), GtkgCompressedStream())
                    : Cat(Ascii("GNUTELLA/0.6 200 OK\r\n\r\n"), PlainStream());
                await stream.WriteAsync(confirm, 0, confirm.Length);

                // Whatever n0 sends, kept as it came off the wire (the link stays open, so this reader never ends).
                _ = world.Sim.Spawn(async () =>
                {
                    var buffer = new byte[4096];
                    int n;
                    while ((n = await stream.ReadAsync(buffer, 0, buffer.Length)) > 0) received.AddRange(buffer.Take(n));
                });
            });
            world.Settle();
            // n0 compresses toward us whatever we send: inflate it as zlib does, and frame the result.
            replies.AddRange(DecodeZlibDescriptors(received.ToArray()));

            Assert.Equal(200, answer.Status);
            Assert.Equal("deflate", answer.Headers["Accept-Encoding"]);    // we inflate too
            Assert.Equal("deflate", answer.Headers["Content-Encoding"]);   // and we will compress toward it
            Assert.DoesNotContain(world.Events, e => e.Type == PeerEventTypes.MalformedMessage);
            var connected = Assert.Single(world.Events, e => e.Type == PeerEventTypes.Connected && e.Node == "n0");
            Assert.Equal(true, connected["SendsCompressed"]);
            Assert.Equal(gtkgCompresses, connected["ReceivesCompressed"]);
            Assert.Equal(1, n0.CompressedLinkCount);

            var pong = replies.Single(m => m.Header.Type == GnutellaPayloadType.Pong);
            Assert.Equal(new GnutellaGuid(PingGuid), pong.Header.Id);
            var hit = replies.Single(m => m.Header.Type == GnutellaPayloadType.QueryHit);
            Assert.Equal(new GnutellaGuid(QueryGuid), hit.Header.Id);
            Assert.Contains("hey jude.mp3\0urn:sha1:", Encoding.ASCII.GetString(hit.PayloadBytes));
        }

        /// <summary>An unfinished zlib stream, inflated by the runtime's ZLibStream, split into descriptors.</summary>
        static List<GnutellaMessage> DecodeZlibDescriptors(byte[] wire)
        {
            var plain = new MemoryStream();
            using (var z = new ZLibStream(new MemoryStream(wire), CompressionMode.Decompress))
            {
                var buffer = new byte[4096];
                int n;
                // The stream has no final block (a link's never does): reading stops when the bytes do.
                while ((n = z.Read(buffer, 0, buffer.Length)) > 0) plain.Write(buffer, 0, n);
            }
            var reader = new GnutellaFrameReader(new MemoryStream(plain.ToArray()), 64 * 1024, null);
            var messages = new List<GnutellaMessage>();
            GnutellaMessage m;
            while ((m = reader.ReadAsync(CancellationToken.None).GetAwaiter().GetResult()) != null) messages.Add(m);
            return messages;
        }

        [Fact]
        public void A_simulated_servent_offers_no_compression_unless_told_to()
        {
            var world = new GnutellaWorld();
            var n0 = world.Add("n0");
            var host = world.Sim.AddHost("gtkg");
            HandshakeHead answer = null;
            world.Run(async () =>
            {
                var connection = await host.Transport.ConnectAsync(world.Address(n0).Host, world.Address(n0).Port, CancellationToken.None);
                var hello = GtkgConnect(host.HostAddress + ":6346");
                await connection.Stream.WriteAsync(hello, 0, hello.Length);
                answer = await GnutellaHandshake.ReadHeadAsync(connection.Stream, null, 8192, CancellationToken.None);
            });
            Assert.False(n0.CompressionEnabled);
            Assert.False(answer.Headers.ContainsKey("Accept-Encoding"));
            Assert.False(answer.Headers.ContainsKey("Content-Encoding"));
        }

        [Fact]
        public void A_compression_bomb_closes_that_link_only()
        {
            var world = new GnutellaWorld();
            var n0 = world.Add("n0", configure: o => o.CompressLinks = true);
            var n1 = world.Add("n1", files: "hey jude.mp3");
            world.Link(n1, n0);
            var host = world.Sim.AddHost("bomber");
            world.Run(async () =>
            {
                var connection = await host.Transport.ConnectAsync(world.Address(n0).Host, world.Address(n0).Port, CancellationToken.None);
                var hello = GtkgConnect(host.HostAddress + ":6346");
                await connection.Stream.WriteAsync(hello, 0, hello.Length);
                await GnutellaHandshake.ReadHeadAsync(connection.Stream, null, 8192, CancellationToken.None);
                // 64 MiB of zeros, about 64 KiB on the wire: TTL-0 Pings as far as the framing goes.
                var bomb = new MemoryStream();
                bomb.Write(Ascii("GNUTELLA/0.6 200 OK\r\nContent-Encoding: deflate\r\n\r\n"));
                bomb.Write(new byte[] { 0x78, 0x9C });
                using (var d = new DeflateStream(bomb, CompressionLevel.Optimal, leaveOpen: true))
                {
                    var zeros = new byte[1024 * 1024];
                    for (int i = 0; i < 64; i++) d.Write(zeros, 0, zeros.Length);
                    d.Flush();
                }
                var bytes = bomb.ToArray();
                try { await connection.Stream.WriteAsync(bytes, 0, bytes.Length); } catch (Exception) { /* closed on us: fine */ }
                await RawGnutellaClient.ReadToEndAsync(connection);
            });
            world.Settle();

            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.MalformedMessage && e.Node == "n0" && e.Message.Contains("compression bomb"));
            Assert.Equal(1, n0.ConnectionCount);   // n1's link stays
            var hits = world.Search(n0, "jude", ttl: 2);
            Assert.Single(hits);
        }
    }
}
