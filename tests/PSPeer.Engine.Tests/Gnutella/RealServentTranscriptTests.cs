using System;
using System.Collections.Generic;
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
    /// A session as a LimeWire/gtk-gnutella-era ultrapeer plays it, byte by byte: the 0.6 handshake with the headers
    /// those servents send, then — in the same write as the final "200 OK" — vendor messages (0x31, 0x32) and HSEP
    /// (0xCD), a keepalive Ping, a Query, and finally a Bye. Every descriptor is written out by hand here (not with
    /// PSPeer's encoder), so the test checks PSPeer against the wire layout, not against itself.
    /// </summary>
    public class RealServentTranscriptTests
    {
        static readonly byte[] QueryGuid = Hex("5A1B2C3D4E5F6071FF8293A4B5C6D700");

        static byte[] Hex(string hex) => Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(2 * i, 2), 16)).ToArray();

        /// <summary>23-byte header (GUID, type, TTL, hops, little-endian length) and the payload.</summary>
        static byte[] Descriptor(byte[] guid, byte type, byte ttl, byte hops, byte[] payload)
        {
            var b = new List<byte>(guid) { type, ttl, hops, (byte)payload.Length, (byte)(payload.Length >> 8), (byte)(payload.Length >> 16), (byte)(payload.Length >> 24) };
            b.AddRange(payload);
            return b.ToArray();
        }

        static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
        static byte[] Cat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

        static byte[] ServentSession() => Cat(
            Ascii("GNUTELLA/0.6 200 OK\r\n\r\n"),
            // "Messages Supported" vendor message (BEAR 4 v1): two entries, LIME 21 v1 and BEAR 7 v1.
            Descriptor(Hex("00112233445566778899AABBCCDDEE00"), 0x31, 1, 0, Cat(
                Ascii("BEAR"), new byte[] { 4, 0, 1, 0, 2, 0 },
                Ascii("LIME"), new byte[] { 21, 0, 1, 0 },
                Ascii("BEAR"), new byte[] { 7, 0, 1, 0 })),
            // A standard vendor message (0x32): "Capabilities" style, vendor LIME selector 10 version 1.
            Descriptor(Hex("10112233445566778899AABBCCDDEE00"), 0x32, 1, 0, Cat(Ascii("LIME"), new byte[] { 10, 0, 1, 0, 0x00 })),
            // HSEP (0xCD): one triple of 64-bit counts (hosts 1, files 42, KiB 4096) for one hop.
            Descriptor(Hex("20112233445566778899AABBCCDDEE00"), 0xCD, 1, 0, new byte[]
            {
                1, 0, 0, 0, 0, 0, 0, 0,
                42, 0, 0, 0, 0, 0, 0, 0,
                0, 16, 0, 0, 0, 0, 0, 0,
            }),
            // Keepalive Ping: TTL 1, hops 0, no payload.
            Descriptor(Hex("30112233445566778899AABBCCDDEE00"), 0x00, 1, 0, new byte[0]),
            // Query, TTL 3: min-speed/flags bytes as modern servents set them (bit 15: new semantics, bit 13: XML),
            // the criteria, and the "urn:" extension asking for hashes in the results.
            Descriptor(QueryGuid, 0x80, 3, 0, Cat(new byte[] { 0xA0, 0x00 }, Ascii("jude"), new byte[] { 0 }, Ascii("urn:"), new byte[] { 0 })));

        static byte[] Hello(string listenHeader, string listenAt) => Ascii(
            "GNUTELLA CONNECT/0.6\r\n" +
            "User-Agent: LimeWire/4.18.8\r\n" +
            "X-Ultrapeer: True\r\n" +
            "X-Query-Routing: 0.1\r\n" +
            "X-Ultrapeer-Query-Routing: 0.1\r\n" +
            listenHeader + ": " + listenAt + "\r\n" +
            "X-Try-Ultrapeers: 10.1.2.3:6346,10.1.2.4:6347\r\n" +
            "GGEP: 0.5\r\n" +
            "Vendor-Message: 0.2\r\n" +
            "Pong-Caching: 0.1\r\n" +
            "Bye-Packet: 0.1\r\n" +
            "X-Dynamic-Querying: 0.1\r\n" +
            "X-Degree: 32\r\n" +
            "X-Max-TTL: 3\r\n" +
            "Accept-Encoding: deflate\r\n" +
            "\r\n");

        static readonly byte[] Bye = Descriptor(Hex("40112233445566778899AABBCCDDEE00"), 0x02, 1, 0,
            Cat(new byte[] { 200, 0 }, Ascii("Shutting down\r\nServer: LimeWire/4.18.8"), new byte[] { 0 }));

        [Theory]
        [InlineData("Listen-IP")]
        [InlineData("X-Node")]
        public void A_real_style_servent_session_is_answered_and_its_extensions_are_ignored(string listenHeader)
        {
            var world = new GnutellaWorld();
            var n0 = world.Add("n0", files: "hey jude.mp3");
            var n1 = world.Add("n1");
            world.Link(n1, n0);
            var host = world.Sim.AddHost("limewire");
            string listenAt = host.HostAddress + ":6346";

            HandshakeHead answer = null;
            var replies = new List<GnutellaMessage>();
            IConnection connection = null;
            world.Run(async () =>
            {
                connection = await host.Transport.ConnectAsync(world.Address(n0).Host, world.Address(n0).Port, CancellationToken.None);
                var stream = connection.Stream;
                var hello = Hello(listenHeader, listenAt);
                await stream.WriteAsync(hello, 0, hello.Length);
                answer = await GnutellaHandshake.ReadHeadAsync(stream, null, 8192, CancellationToken.None);
                var session = ServentSession();
                await stream.WriteAsync(session, 0, session.Length);
                var reader = new GnutellaFrameReader(stream, 64 * 1024, answer.Remainder);
                // Until the QueryHit for our query (the Pong and maybe a Ping come first).
                while (!replies.Any(m => m.Header.Type == GnutellaPayloadType.QueryHit))
                {
                    var m = await reader.ReadAsync(CancellationToken.None);
                    Assert.True(m != null, "the servent closed the link before answering the query");
                    replies.Add(m);
                }
            });
            world.Settle();

            // Step 2 is what a 0.6 ultrapeer expects of another ultrapeer.
            Assert.Equal(200, answer.Status);
            Assert.Equal("True", answer.Headers["X-Ultrapeer"]);
            Assert.Equal("0.1", answer.Headers["X-Query-Routing"]);
            Assert.True(HostPort.TryParse(answer.Headers["Listen-IP"], out var listen) && listen.Equals(world.Address(n0)));
            Assert.Equal(host.HostAddress, answer.Headers["Remote-IP"]);
            Assert.False(answer.Headers.ContainsKey("Content-Encoding"));   // we did not take up deflate: plain descriptors follow
            Assert.Equal("0.1", answer.Headers["Pong-Caching"]);
            Assert.Equal("0.1", answer.Headers["Bye-Packet"]);

            // The link stayed up through the vendor messages and HSEP; they were counted, not routed, not "malformed".
            Assert.DoesNotContain(world.Events, e => e.Type == PeerEventTypes.MalformedMessage);
            Assert.Equal(2, n0.ConnectionCount);
            Assert.Contains(listenAt, n0.Neighbors);
            Assert.Equal(3, n0.Counters.ExtensionMessagesIgnored);
            Assert.Equal(0, n1.Counters.ExtensionMessagesIgnored);
            Assert.Equal(3, new[] { 0x31, 0x32, 0xCD }.Count(t => n0.Counters.ReceivedByType.ContainsKey((GnutellaPayloadType)t)));
            Assert.DoesNotContain(n1.Counters.ReceivedByType.Keys, t => t == (GnutellaPayloadType)0x31 || t == (GnutellaPayloadType)0x32 || t == (GnutellaPayloadType)0xCD);

            // The keepalive Ping got our Pong, with its GUID and a TTL that reaches back.
            var pong = replies.Single(m => m.Header.Type == GnutellaPayloadType.Pong && m.Header.Id.ToString() == "30112233445566778899AABBCCDDEE00");
            Assert.Equal(world.Address(n0).Port, ((Pong)pong.Payload).Port);

            // The query was answered: same GUID, hops 0, TTL enough to come back, and the result with its urn.
            var hit = replies.Single(m => m.Header.Type == GnutellaPayloadType.QueryHit);
            Assert.Equal(new GnutellaGuid(QueryGuid), hit.Header.Id);
            Assert.Equal(0, hit.Header.Hops);
            Assert.True(hit.Header.Ttl >= 1);
            var bytes = hit.PayloadBytes;
            Assert.Equal(1, bytes[0]);                                          // one result
            Assert.Equal(world.Address(n0).Port, bytes[1] | bytes[2] << 8);     // port, little-endian
            string body = Encoding.ASCII.GetString(bytes);
            Assert.Contains("hey jude.mp3\0urn:sha1:", body);
            // Trailer before the 16-byte servent id: "PSPR", open data size 2, then the flag bytes (not firewalled:
            // push value 0 in the first byte; busy meaningful there; push meaningful in the second).
            int trailer = bytes.Length - 16 - 7;
            Assert.Equal("PSPR", Encoding.ASCII.GetString(bytes, trailer, 4));
            Assert.Equal(2, bytes[trailer + 4]);
            Assert.Equal(0, bytes[trailer + 5] & 0x01);
            Assert.Equal(0x01, bytes[trailer + 6] & 0x01);
            Assert.Equal(n0.ServentId, GnutellaGuid.Read(bytes, bytes.Length - 16));

            // Bye: the servent closes that link and says why.
            world.Run(async () =>
            {
                await connection.Stream.WriteAsync(Bye, 0, Bye.Length);
                await RawGnutellaClient.ReadToEndAsync(connection);
            });
            world.Settle();
            Assert.Equal(1, n0.ConnectionCount);
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.ConnectionClosed && e.Node == "n0" && e.Message.Contains("Bye 200 Shutting down"));
        }

        [Theory]
        [InlineData(30)]
        [InlineData(0)]
        public void A_servent_that_takes_leaf_guidance_in_the_third_step_is_linked_as_a_leaf(int maxLeaves)
        {
            // An ultrapeer with no need of more ultrapeers says X-Ultrapeer-Needed: False; a real ultrapeer-capable
            // servent may then answer the third step with X-Ultrapeer: False and stay on as its leaf — if a leaf slot is free.
            var world = new GnutellaWorld();
            var n0 = world.Add("n0", configure: o => { o.UltrapeerLinkTarget = 0; o.MaxLeaves = maxLeaves; });
            var host = world.Sim.AddHost("limewire");
            HandshakeHead answer = null;
            world.Run(async () =>
            {
                var connection = await host.Transport.ConnectAsync(world.Address(n0).Host, world.Address(n0).Port, CancellationToken.None);
                var hello = Hello("Listen-IP", host.HostAddress + ":6346");
                await connection.Stream.WriteAsync(hello, 0, hello.Length);
                answer = await GnutellaHandshake.ReadHeadAsync(connection.Stream, null, 8192, CancellationToken.None);
                var ok = Ascii("GNUTELLA/0.6 200 OK\r\nX-Ultrapeer: False\r\n\r\n");
                await connection.Stream.WriteAsync(ok, 0, ok.Length);
            });
            world.Settle();
            Assert.Equal("False", answer.Headers["X-Ultrapeer-Needed"]);
            Assert.Equal(maxLeaves > 0 ? 1 : 0, n0.LeafLinkCount);
            Assert.Equal(0, n0.UltrapeerLinkCount);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_bye_goes_only_to_servents_that_said_bye_packet(bool saysByePacket)
        {
            var world = new GnutellaWorld();
            var n0 = world.Add("n0");
            var host = world.Sim.AddHost("old-servent");
            byte[] after = null;
            world.Run(async () =>
            {
                var connection = await host.Transport.ConnectAsync(world.Address(n0).Host, world.Address(n0).Port, CancellationToken.None);
                var hello = Ascii("GNUTELLA CONNECT/0.6\r\nUser-Agent: Gnucleus 1.8.6.0\r\n" + (saysByePacket ? "Bye-Packet: 0.1\r\n" : "") + "\r\n");
                await connection.Stream.WriteAsync(hello, 0, hello.Length);
                var answer = await GnutellaHandshake.ReadHeadAsync(connection.Stream, null, 8192, CancellationToken.None);
                Assert.Equal(200, answer.Status);
                // The final 200, then a type no servent uses: n0 closes the link.
                var bad = Cat(Ascii("GNUTELLA/0.6 200 OK\r\n\r\n"), Descriptor(Hex("50112233445566778899AABBCCDDEE00"), 0x77, 1, 0, new byte[4]));
                await connection.Stream.WriteAsync(bad, 0, bad.Length);
                after = Cat(answer.Remainder, await RawGnutellaClient.ReadToEndAsync(connection));
            });
            world.Settle();
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.MalformedMessage && e.Node == "n0");
            Assert.Equal(0, n0.ConnectionCount);
            // What n0 sent before closing: a Bye 400 (type 0x02, code 400 little-endian) only when it was understood.
            bool bye = Enumerable.Range(0, Math.Max(0, after.Length - 24)).Any(i => after[i + 16] == 0x02 && after[i + 23] == 0x90 && after[i + 24] == 0x01);
            Assert.Equal(saysByePacket, bye);
        }

        /// <summary>
        /// What gtk-gnutella 1.2 sends as a leaf dialling an ultrapeer, header for header (node_init_outgoing in its
        /// nodes.c): "Node" for its address, QRP 0.2, deflate offered, and — as a leaf! — X-Dynamic-Querying, X-Degree 32
        /// and X-Max-TTL 4, which it adds only to please LimeWire ultrapeers.
        /// </summary>
        static byte[] GtkGnutellaLeafHello(string nodeAt, string remoteIp) => Ascii(
            "GNUTELLA CONNECT/0.6\r\n" +
            "Node: " + nodeAt + "\r\n" +
            "Remote-IP: " + remoteIp + "\r\n" +
            "User-Agent: gtk-gnutella/1.2.3 (2024-06-24; GTK2; Linux x86_64)\r\n" +
            "Pong-Caching: 0.1\r\n" +
            "Bye-Packet: 0.1\r\n" +
            "GGEP: 0.5\r\n" +
            "GUID: 7A2F0D6E9C1B4E5AA0B3C4D5E6F70812\r\n" +
            "Vendor-Message: 0.2\r\n" +
            "X-Query-Routing: 0.2\r\n" +
            "X-Requeries: False\r\n" +
            "Accept-Encoding: deflate\r\n" +
            "X-Token: GTKG 1.2.3 Qm9ndXMgdG9rZW4gZm9yIGEgdGVzdA==\r\n" +
            "X-Live-Since: Mon, 01 Dec 2025 10:00:00 +0000\r\n" +
            "X-Ultrapeer: False\r\n" +
            "X-Dynamic-Querying: 0.1\r\n" +
            "X-Ultrapeer-Query-Routing: 0.1\r\n" +
            "X-Degree: 32\r\n" +
            "X-Max-TTL: 4\r\n" +
            "X-Features: tls/1.0, sflag/0.1, IP/6.4\r\n" +
            "\r\n");

        /// <summary>
        /// gtk-gnutella's check, as a leaf, of an ultrapeer's answer (node_process_handshake_header): a leaf keeps only
        /// "modern" ultrapeers — X-Degree of at least twice the legacy 8 (8 when absent) and X-Dynamic-Querying (which
        /// counts only from a servent that says X-Ultrapeer: True) — or answers 403 High Outdegree and Dynamic Querying Required.
        /// </summary>
        static bool GtkGnutellaLeafAccepts(HandshakeHead answer)
        {
            string Get(string name) => answer.Headers != null && answer.Headers.TryGetValue(name, out var v) ? v.Trim() : null;
            bool ultrapeer = string.Equals(Get("X-Ultrapeer"), "true", StringComparison.OrdinalIgnoreCase);
            int degree = int.TryParse(Get("X-Degree"), out int d) && d >= 1 && d <= 1000 ? d : (ultrapeer ? 8 : 0);
            bool dynamic = ultrapeer && Get("X-Dynamic-Querying") != null;
            return answer.Status == 200 && ultrapeer && degree >= 2 * 8 && dynamic;
        }

        [Fact]
        public void A_gtk_gnutella_leaf_is_accepted_and_accepts_us_as_its_ultrapeer()
        {
            var world = new GnutellaWorld();
            // A live ultrapeer's defaults (the test world turns dynamic querying and ultrapeer QRP off for flood tests).
            var defaults = new GnutellaOptions();
            var up = world.Add("up", configure: o => { o.DynamicQuerying = defaults.DynamicQuerying; o.UltrapeerQueryRouting = defaults.UltrapeerQueryRouting; });
            var host = world.Sim.AddHost("gtkg");
            HandshakeHead answer = null;
            world.Run(async () =>
            {
                var connection = await host.Transport.ConnectAsync(world.Address(up).Host, world.Address(up).Port, CancellationToken.None);
                var hello = GtkGnutellaLeafHello(host.HostAddress + ":6346", world.Address(up).Host);
                await connection.Stream.WriteAsync(hello, 0, hello.Length);
                answer = await GnutellaHandshake.ReadHeadAsync(connection.Stream, null, 8192, CancellationToken.None);
                if (!GtkGnutellaLeafAccepts(answer)) return;
                // gtk-gnutella's final acknowledgment of an uncompressed link to a QRP 0.1 ultrapeer.
                var ok = Ascii("GNUTELLA/0.6 200 OK\r\n\r\n");
                await connection.Stream.WriteAsync(ok, 0, ok.Length);
            });
            world.Settle();
            Assert.True(GtkGnutellaLeafAccepts(answer), "gtk-gnutella would answer 403 High Outdegree and Dynamic Querying Required to: " +
                string.Join(", ", (answer.Headers ?? new Dictionary<string, string>()).Select(kv => kv.Key + ": " + kv.Value)));
            Assert.Equal("32", answer.Headers["X-Degree"]);
            Assert.Equal("7", answer.Headers["X-Max-TTL"]);
            Assert.Equal("0.1", answer.Headers["X-Ultrapeer-Query-Routing"]);
            // Its bogus X-Degree and X-Dynamic-Querying do not make it an ultrapeer: X-Ultrapeer: False is what counts.
            Assert.Equal(1, up.LeafLinkCount);
            Assert.Equal(0, up.UltrapeerLinkCount);
            Assert.Contains(host.HostAddress + ":6346", up.Neighbors);
        }
    }
}
