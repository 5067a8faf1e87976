using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    public class GnutellaHandshakeTests
    {
        static Task<HandshakeHead> Read(string text, int chunk = int.MaxValue, int max = 4096, byte[] already = null) =>
            GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(Encoding.ASCII.GetBytes(text), chunk), already, max, CancellationToken.None);

        [Fact]
        public void Connect_and_response_heads_are_crlf_lines_ending_in_an_empty_line()
        {
            var headers = new Dictionary<string, string> { ["User-Agent"] = "PSPeer/0.1", ["X-Ultrapeer"] = "True" };
            Assert.Equal("GNUTELLA CONNECT/0.6\r\nUser-Agent: PSPeer/0.1\r\nX-Ultrapeer: True\r\n\r\n", Encoding.ASCII.GetString(GnutellaHandshake.Connect(headers)));
            Assert.Equal("GNUTELLA/0.6 200 OK\r\n\r\n", Encoding.ASCII.GetString(GnutellaHandshake.Response(200, "OK", null)));
            Assert.Throws<ArgumentException>(() => GnutellaHandshake.Connect(new Dictionary<string, string> { ["X"] = "a\r\nInjected: 1" }));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(5)]
        [InlineData(1000)]
        public async Task Reads_a_0_6_connect_with_case_insensitive_headers(int chunk)
        {
            var head = await Read("GNUTELLA CONNECT/0.6\r\nUser-Agent: LimeWire/4.0\r\nX-Ultrapeer: False\r\nlisten-ip: 10.0.0.1:6346\r\n\r\n", chunk);
            Assert.True(head.IsConnect);
            Assert.Equal("0.6", head.Version);
            Assert.Equal("LimeWire/4.0", head.Headers["user-agent"]);
            Assert.Equal("False", head.Headers["X-ULTRAPEER"]);
            Assert.Equal("10.0.0.1:6346", head.Headers["Listen-IP"]);
            Assert.Empty(head.Remainder);
        }

        [Fact]
        public async Task Reads_responses_with_status_and_reason()
        {
            var ok = await Read("GNUTELLA/0.6 200 OK\r\nX-Ultrapeer: True\r\n\r\n");
            Assert.False(ok.IsConnect);
            Assert.Equal((200, "OK"), (ok.Status, ok.Reason));
            var busy = await Read("GNUTELLA/0.6 503 Service unavailable\r\nX-Try-Ultrapeers: 1.2.3.4:6346,5.6.7.8:6346\r\n\r\n");
            Assert.Equal((503, "Service unavailable"), (busy.Status, busy.Reason));
            Assert.Equal("1.2.3.4:6346,5.6.7.8:6346", busy.Headers["X-Try-Ultrapeers"]);
        }

        [Fact]
        public async Task Repeated_headers_are_joined_and_folded_lines_continue()
        {
            var head = await Read("GNUTELLA/0.6 200 OK\r\nX-Try: a\r\nx-try: b\r\nLong: one\r\n two\r\n\r\n");
            Assert.Equal("a,b", head.Headers["X-Try"]);
            Assert.Equal("one two", head.Headers["Long"]);
        }

        [Fact]
        public async Task Bytes_after_the_head_come_back_as_remainder()
        {
            var ping = GnutellaCodec.Encode(GnutellaGuid.Parse("0102030405060708FF0A0B0C0D0E0F00"), 1, 0, new Ping());
            var bytes = Encoding.ASCII.GetBytes("GNUTELLA/0.6 200 OK\r\n\r\n").Concat(ping).ToArray();
            var head = await GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(bytes), null, 4096, CancellationToken.None);
            Assert.Equal(ping, head.Remainder);
            var m = await new GnutellaFrameReader(new ChunkedReadStream(new byte[0]), 1024, head.Remainder).ReadAsync(CancellationToken.None);
            Assert.Equal(GnutellaPayloadType.Ping, m.Header.Type);
        }

        [Fact]
        public async Task Sniffed_first_bytes_are_used_before_the_stream()
        {
            var head = await Read("NECT/0.6\r\nA: b\r\n\r\n", already: Encoding.ASCII.GetBytes("GNUTELLA CON"));
            Assert.True(head.IsConnect);
            Assert.Equal("b", head.Headers["A"]);
        }

        [Theory]
        [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
        [InlineData("GNUTELLA CONNECT/0.4\n\n")]
        [InlineData("GNUTELLA/0.6 OK\r\n\r\n")]
        [InlineData("GNUTELLA/0.6\r\n\r\n")]
        [InlineData("GNUTELLA CONNECT/0.6\r\nno colon here\r\n\r\n")]
        public async Task Anything_but_gnutella_0_6_is_a_protocol_error(string text)
        {
            await Assert.ThrowsAsync<GnutellaProtocolException>(() => Read(text));
        }

        [Fact]
        public async Task Later_versions_are_accepted_as_0_6()
        {
            Assert.Equal("0.7", (await Read("GNUTELLA CONNECT/0.7\r\n\r\n")).Version);
        }

        [Fact]
        public async Task Oversized_or_cut_off_heads_are_protocol_errors()
        {
            string big = "GNUTELLA CONNECT/0.6\r\nX: " + new string('a', 5000) + "\r\n\r\n";
            var ex = await Assert.ThrowsAsync<GnutellaProtocolException>(() => Read(big, chunk: 100, max: 1024));
            Assert.Contains("larger than 1024", ex.Message);
            await Assert.ThrowsAsync<GnutellaProtocolException>(() => Read("GNUTELLA CONNECT/0.6\r\nX: y\r\n"));
            await Assert.ThrowsAsync<GnutellaProtocolException>(() => Read(""));
        }

        [Fact]
        public async Task A_head_longer_than_the_first_buffer_is_read_whole_with_its_remainder()
        {
            // The reader starts with a small buffer and grows toward the bound; a 3 KB head must cross that growth intact.
            string value = new string('v', 3000);
            var bytes = Encoding.ASCII.GetBytes("GNUTELLA/0.6 200 OK\r\nX-Long: " + value + "\r\n\r\nTAIL");
            var head = await GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(bytes, 100), null, 4096, CancellationToken.None);
            Assert.Equal(value, head.Headers["X-Long"]);
            Assert.Equal("TAIL", Encoding.ASCII.GetString(head.Remainder));
        }
    }
}
