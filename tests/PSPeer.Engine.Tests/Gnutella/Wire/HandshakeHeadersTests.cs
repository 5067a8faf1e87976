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
    /// <summary>
    /// The handshake parser that reads fields from the head's bytes must give what the dictionary-of-strings parser it
    /// replaced gave: the reference below is that parser, kept here to compare against on awkward heads.
    /// </summary>
    public class HandshakeHeadersTests
    {
        // The parser before heads were read from bytes: lines split on LF (CRLF first made LF), trimmed names and values,
        // repeated names joined with ",", folded lines appended after a space, names compared ignoring case.
        static Dictionary<string, string> Reference(string text)
        {
            var lines = text.Replace("\r\n", "\n").Split('\n');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string last = null;
            for (int i = 1; i < lines.Length; i++)
            {
                string line = lines[i];
                if (line.Length == 0) continue;
                if ((line[0] == ' ' || line[0] == '\t') && last != null) { headers[last] = headers[last] + " " + line.Trim(); continue; }
                int colon = line.IndexOf(':');
                if (colon <= 0) throw new GnutellaProtocolException("no name");
                string name = line.Substring(0, colon).Trim();
                string value = line.Substring(colon + 1).Trim();
                headers[name] = headers.TryGetValue(name, out var previous) ? previous + "," + value : value;
                last = name;
            }
            return headers;
        }

        public static IEnumerable<object[]> AwkwardHeads() => new[]
        {
            "GNUTELLA CONNECT/0.6\r\nUser-Agent: PSPeer/0.1\r\nX-Ultrapeer: True",
            "GNUTELLA/0.6 200 OK\r\nX-Try: a\r\nB: 2\r\nx-try: b\r\n  folded onto x-try\r\nB:3",
            "GNUTELLA/0.6 200 OK\nbare: lf\nline:ends",
            "GNUTELLA/0.6 200 OK\r\n  Spaced-Name  :  \t padded value \t \r\nEmpty:\r\nColon: a:b:c",
            "GNUTELLA/0.6 503 Busy now\r\nLong: one\r\n\ttwo\r\n three\r\nlone\rcr: kept",
            "GNUTELLA CONNECT/0.6\r\nX-Caf\u00e9: cr\u00e8me\r\nX-CAF\u00c9: br\u00fbl\u00e9e",
            "GNUTELLA CONNECT/0.6\r\n : nameless",
            "GNUTELLA/0.6 200 OK",
        }.Select(h => new object[] { h });

        [Theory]
        [MemberData(nameof(AwkwardHeads))]
        public void Fields_read_from_bytes_equal_the_dictionary_parser(string text)
        {
            var expected = Reference(text);
            var headers = GnutellaHandshake.Parse(Latin1(text)).Headers;
            Assert.Equal(expected.Count, headers.Count);
            foreach (var pair in expected)
            {
                Assert.True(headers.TryGetValue(pair.Key, out var value), pair.Key);
                Assert.Equal(pair.Value, value);
                Assert.Equal(pair.Value, headers[pair.Key.ToUpperInvariant()]);
                Assert.Equal(pair.Value, headers[pair.Key.ToLowerInvariant()]);
            }
            // Enumeration names each field once, spelled as it first appeared, in the order of appearance.
            Assert.Equal(expected.Keys.ToArray(), headers.Keys.ToArray());
            Assert.Equal(expected.Values.ToArray(), headers.Values.ToArray());
            Assert.Equal(expected.ToArray(), headers.ToArray());
        }

        [Fact]
        public void Absent_names_are_absent_and_the_indexer_says_which()
        {
            var headers = GnutellaHandshake.Parse(Latin1("GNUTELLA CONNECT/0.6\r\nX-Degree: 32\r\nX: y")).Headers;
            Assert.False(headers.ContainsKey("X-Degre"));
            Assert.False(headers.ContainsKey("X-Degree2"));
            Assert.False(headers.TryGetValue("", out var nothing));
            Assert.Null(nothing);
            Assert.Contains("X-Max-TTL", Assert.Throws<KeyNotFoundException>(() => headers["X-Max-TTL"]).Message);
            Assert.Throws<ArgumentNullException>(() => headers.ContainsKey(null));
        }

        [Fact]
        public void Common_values_are_shared_strings_and_others_are_made_once()
        {
            var headers = GnutellaHandshake.Parse(Latin1("GNUTELLA CONNECT/0.6\r\nX-Ultrapeer: True\r\nListen-IP: 10.0.0.1:6346")).Headers;
            Assert.Same("True", headers["X-Ultrapeer"]);
            Assert.Same(headers["Listen-IP"], headers["listen-ip"]);
        }

        [Fact]
        public void A_header_line_without_a_name_is_an_error_naming_the_line()
        {
            var e = Assert.Throws<GnutellaProtocolException>(() => GnutellaHandshake.Parse(Latin1("GNUTELLA CONNECT/0.6\r\nA: b\r\nno colon here")));
            Assert.Contains("'no colon here' has no name", e.Message);
            Assert.Throws<GnutellaProtocolException>(() => GnutellaHandshake.Parse(Latin1("GNUTELLA CONNECT/0.6\r\n: empty name")));
        }

        [Theory]
        [InlineData("GNUTELLA CONNECT/0.6", true, 0, null)]
        [InlineData("GNUTELLA/0.6 200 OK", false, 200, "OK")]
        [InlineData("  GNUTELLA/0.6 200 OK  ", false, 200, "OK")]
        [InlineData("GNUTELLA/0.6 503 Too many leaves ", false, 503, "Too many leaves")]
        [InlineData("GNUTELLA/0.6 200", false, 200, "")]
        public void Start_lines_give_status_and_reason(string start, bool connect, int status, string reason)
        {
            var head = GnutellaHandshake.Parse(Latin1(start + "\r\nA: b"));
            Assert.Equal(connect, head.IsConnect);
            Assert.Equal(status, head.Status);
            Assert.Equal(reason, head.Reason);
            Assert.Equal("0.6", head.Version);
            Assert.Equal(start.Trim(), head.StartLine);
            Assert.Equal("b", head.Headers["a"]);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(17)]
        public async Task A_head_split_across_reads_anywhere_parses_the_same(int chunk)
        {
            string text = "GNUTELLA/0.6 200 OK\r\nX-Try: a\r\nLong: one\r\n two\r\nx-TRY: b\r\n\r\n";
            var whole = await GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(Encoding.ASCII.GetBytes(text)), null, 4096, CancellationToken.None);
            var split = await GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(Encoding.ASCII.GetBytes(text), chunk), null, 4096, CancellationToken.None);
            Assert.Equal(whole.Headers.ToArray(), split.Headers.ToArray());
            Assert.Equal(new[] { new KeyValuePair<string, string>("X-Try", "a,b"), new KeyValuePair<string, string>("Long", "one two") }, split.Headers.ToArray());
        }

        [Fact]
        public async Task Heads_read_one_after_another_on_one_thread_do_not_share_bytes()
        {
            // Head buffers are pooled: a head read later must not change the fields of one read before.
            var first = await GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(Encoding.ASCII.GetBytes("GNUTELLA/0.6 200 OK\r\nA: first\r\n\r\n")), null, 4096, CancellationToken.None);
            var second = await GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(Encoding.ASCII.GetBytes("GNUTELLA/0.6 200 OK\r\nA: other\r\n\r\n")), null, 4096, CancellationToken.None);
            Assert.Equal("first", first.Headers["A"]);
            Assert.Equal("other", second.Headers["A"]);
        }

        [Fact]
        public async Task A_head_exactly_at_the_bound_is_read_and_one_byte_more_is_refused()
        {
            string prefix = "GNUTELLA/0.6 200 OK\r\nX: ";
            int max = 1024;
            string fits = prefix + new string('a', max - prefix.Length - 4) + "\r\n\r\n";
            Assert.Equal(max, fits.Length);
            var head = await GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(Encoding.ASCII.GetBytes(fits), 100), null, max, CancellationToken.None);
            Assert.Equal(max - prefix.Length - 4, head.Headers["X"].Length);
            string over = prefix + new string('a', max - prefix.Length - 3) + "\r\n\r\n";
            var e = await Assert.ThrowsAsync<GnutellaProtocolException>(() =>
                GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(Encoding.ASCII.GetBytes(over), 100), null, max, CancellationToken.None));
            Assert.Contains("larger than 1024", e.Message);
        }

        [Fact]
        public void Heads_are_written_as_before_utf8_values_and_checked_fields()
        {
            var headers = new Dictionary<string, string> { ["User-Agent"] = "PSPeer/0.1", ["X-Note"] = "caf\u00e9", ["Empty"] = null };
            Assert.Equal("GNUTELLA/0.6 503 trop occup\u00e9\r\nUser-Agent: PSPeer/0.1\r\nX-Note: caf\u00e9\r\nEmpty: \r\n\r\n",
                Encoding.UTF8.GetString(GnutellaHandshake.Response(503, "trop occup\u00e9", headers)));
            Assert.Throws<ArgumentException>(() => GnutellaHandshake.Response(200, "OK\r\nX-Injected: 1", null));
            Assert.Throws<ArgumentException>(() => GnutellaHandshake.Connect(new Dictionary<string, string> { ["Bad:Name"] = "v" }));
            Assert.Throws<ArgumentException>(() => GnutellaHandshake.Connect(new Dictionary<string, string> { [""] = "v" }));
            Assert.Throws<ArgumentOutOfRangeException>(() => GnutellaHandshake.Response(99, "x", null));
            // A long head grows the writer's buffer and still comes out whole.
            string big = new string('z', 5000);
            Assert.EndsWith("X-Big: " + big + "\r\n\r\n", Encoding.ASCII.GetString(GnutellaHandshake.Connect(new Dictionary<string, string> { ["X-Big"] = big })));
        }

        [Fact]
        public async Task Handed_over_bytes_become_the_head_or_grow_into_a_new_buffer()
        {
            // The whole head and the start of a descriptor, handed over: the head reads from them, the rest comes back.
            var whole = Encoding.ASCII.GetBytes("GNUTELLA CONNECT/0.6\r\nA: b\r\n\r\nXY");
            var head = await GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(new byte[0]), whole, whole.Length, 16, 4096, CancellationToken.None);
            Assert.Equal("b", head.Headers["A"]);
            Assert.Equal("XY", Encoding.ASCII.GetString(head.Remainder));
            // Part of a head handed over, the rest from the stream one byte at a time past a tiny first buffer.
            var part = Encoding.ASCII.GetBytes("GNUTELLA CON");
            head = await GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(Encoding.ASCII.GetBytes("NECT/0.6\r\nLong: " + new string('v', 700) + "\r\n\r\n"), 1), part, part.Length, 4, 4096, CancellationToken.None);
            Assert.True(head.IsConnect);
            Assert.Equal(700, head.Headers["long"].Length);
            Assert.Equal("GNUTELLA CON", Encoding.ASCII.GetString(part));   // never written into
            // More handed over than a head may hold: the same error as reading it.
            var e = await Assert.ThrowsAsync<GnutellaProtocolException>(() =>
                GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(new byte[0]), new byte[100], 100, 16, 64, CancellationToken.None));
            Assert.Contains("larger than 64", e.Message);
            // A sniffer's buffer with room left: the rest of the head is read into it, and no further than the bound.
            var sniffed = new byte[512];
            int n = Encoding.ASCII.GetBytes("GNUTELLA CONNECT/0.6\r\n", 0, 22, sniffed, 0);
            head = await GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(Encoding.ASCII.GetBytes("A: b\r\n\r\nZ"), 3), sniffed, n, 16, 4096, CancellationToken.None);
            Assert.Equal("b", head.Headers["A"]);
            Assert.Equal("Z", Encoding.ASCII.GetString(head.Remainder));
            e = await Assert.ThrowsAsync<GnutellaProtocolException>(() => GnutellaHandshake.ReadHeadAsync(
                new ChunkedReadStream(Encoding.ASCII.GetBytes("A: " + new string('b', 100) + "\r\n\r\n")), new byte[512], 22, 16, 64, CancellationToken.None));
            Assert.Contains("larger than 64", e.Message);
        }

        [Fact]
        public async Task The_public_reader_copies_what_it_is_given()
        {
            var given = Encoding.ASCII.GetBytes("GNUTELLA CONNECT/0.6\r\nA: b\r\n\r\n");
            var head = await GnutellaHandshake.ReadHeadAsync(new ChunkedReadStream(new byte[0]), given, 4096, CancellationToken.None);
            given[given.Length - 5] = (byte)'z';   // the caller reuses its array
            Assert.Equal("b", head.Headers["A"]);
        }

        [Fact]
        public void A_head_written_while_another_is_half_written_leaves_both_whole()
        {
            var outer = HandshakeHeadWriter.Start("GNUTELLA/0.6 200 OK").Header("A", "1");
            var inner = GnutellaHandshake.Response(503, "Busy", new Dictionary<string, string> { ["B"] = "2" });   // same thread, meanwhile
            Assert.Equal("GNUTELLA/0.6 503 Busy\r\nB: 2\r\n\r\n", Encoding.ASCII.GetString(inner));
            Assert.Equal("GNUTELLA/0.6 200 OK\r\nA: 1\r\nC: 3\r\n\r\n", Encoding.ASCII.GetString(outer.Header("C", "3").Finish()));
            // A refused field abandons its head; the next head starts clean.
            Assert.Throws<ArgumentException>(() => HandshakeHeadWriter.Start("GNUTELLA CONNECT/0.6").Header("X", "a\nb"));
            Assert.Equal("GNUTELLA CONNECT/0.6\r\nD: 4\r\n\r\n", Encoding.ASCII.GetString(HandshakeHeadWriter.Start("GNUTELLA CONNECT/0.6").Header("D", "4").Finish()));
        }

        [Fact]
        public void Endpoints_and_numbers_are_written_as_their_strings_would_be()
        {
            var v4 = new PSPeer.Engine.Core.HostPort("10.0.0.1", 6346);
            var v6 = new PSPeer.Engine.Core.HostPort("::1", 0);
            var head = HandshakeHeadWriter.Start("GNUTELLA CONNECT/0.6").Header("A", v4).Header("B", v6).Header("C", 0).Header("D", 65535).Header("E", -7).Finish();
            Assert.Equal($"GNUTELLA CONNECT/0.6\r\nA: {v4}\r\nB: {v6}\r\nC: 0\r\nD: 65535\r\nE: -7\r\n\r\n", Encoding.ASCII.GetString(head));
        }

        static byte[] Latin1(string text) => text.Select(c => (byte)c).ToArray();
    }
}
