using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PSPeer.Engine.Core;
using PSPeer.Engine.Napster;
using Xunit;

namespace PSPeer.Engine.Tests.Napster
{
    public class NapsterCodecTests
    {
        static readonly ContentHash Hash = ContentHash.Compute(Encoding.UTF8.GetBytes("hey jude"));

        static List<(NapsterMessageType type, byte[] payload)> Decode(byte[] bytes, int chunk)
        {
            var reader = new NapsterFrameReader();
            var frames = new List<(NapsterMessageType, byte[])>();
            for (int offset = 0; offset < bytes.Length;)
            {
                int n = reader.Feed(bytes, offset, Math.Min(chunk, bytes.Length - offset));
                offset += n;
                while (reader.TryRead(out var f)) frames.Add((f.Type, f.ToPayloadArray()));
            }
            Assert.Equal(0, reader.Buffered);
            return frames;
        }

        [Fact]
        public void Header_is_little_endian_length_then_type()
        {
            var w = new NapsterFrameWriter();
            Assert.True(w.WriteFrame(NapsterMessageType.Search, "ab"));
            Assert.Equal(new byte[] { 2, 0, 200, 0, (byte)'a', (byte)'b' }, w.ToArray());
            w.Clear();
            w.WriteFrame(NapsterMessageType.Logout, null);
            Assert.Equal(new byte[] { 0, 0, 0x30, 0x75 }, w.ToArray());
        }

        [Fact]
        public void Writer_to_reader_split_at_every_byte_boundary()
        {
            var w = new NapsterFrameWriter();
            w.WriteFrame(NapsterMessageType.Login, new NapsterLogin("alice", "pw", 6699, "PSPeer 0.1", 3).Format());
            NapsterShare.Write(w, "Beatles/Hey Jude – Remastered.mp3", Hash, 1234567, 7);
            w.WriteFrame(NapsterMessageType.SearchEnd, null);
            w.WriteFrame(NapsterMessageType.Search, new NapsterSearchRequest("hey jude", 50).Format());
            byte[] bytes = w.ToArray();
            var expected = Decode(bytes, bytes.Length);
            Assert.Equal(new[] { NapsterMessageType.Login, NapsterMessageType.ShareFile, NapsterMessageType.SearchEnd, NapsterMessageType.Search },
                expected.Select(f => f.type));

            for (int split = 1; split < bytes.Length; split++)
            {
                // Two feeds cut at 'split', then also byte-by-byte: the frames must come out identical.
                var reader = new NapsterFrameReader();
                var got = new List<(NapsterMessageType, byte[])>();
                reader.Feed(bytes, 0, split);
                while (reader.TryRead(out var f)) got.Add((f.Type, f.ToPayloadArray()));
                reader.Feed(bytes, split, bytes.Length - split);
                while (reader.TryRead(out var f)) got.Add((f.Type, f.ToPayloadArray()));
                Assert.Equal(expected.Count, got.Count);
                for (int i = 0; i < got.Count; i++)
                {
                    Assert.Equal(expected[i].type, got[i].Item1);
                    Assert.Equal(expected[i].payload, got[i].Item2);
                }
            }
            var oneByOne = Decode(bytes, 1);
            Assert.Equal(expected.Select(f => Convert.ToBase64String(f.payload)), oneByOne.Select(f => Convert.ToBase64String(f.payload)));
        }

        [Fact]
        public void Many_frames_larger_than_the_buffer_decode_through_feeding()
        {
            var w = new NapsterFrameWriter();
            for (int i = 0; i < 2000; i++) w.WriteFrame(NapsterMessageType.SearchResult, new string('x', i % 300));
            var frames = Decode(w.ToArray(), 5000);
            Assert.Equal(2000, frames.Count);
            Assert.Equal(299, frames[299].payload.Length);
        }

        [Fact]
        public void Oversized_length_is_refused_before_buffering()
        {
            var reader = new NapsterFrameReader();
            int tooLong = NapsterFrameReader.MaxPayload + 1;
            reader.Feed(new byte[] { (byte)tooLong, (byte)(tooLong >> 8), 2, 0 }, 0, 4);
            var e = Assert.Throws<NapsterProtocolException>(() => reader.TryRead(out _));
            Assert.Contains("limit", e.Message);
        }

        [Fact]
        public void Writer_refuses_payloads_above_the_limit_and_keeps_earlier_frames()
        {
            var w = new NapsterFrameWriter();
            w.WriteFrame(NapsterMessageType.SearchEnd, null);
            Assert.False(w.WriteFrame(NapsterMessageType.ServerMessage, new string('a', NapsterFrameReader.MaxPayload + 1)));
            Assert.Equal(4, w.Length);
        }

        [Fact]
        public void Truncated_frame_is_left_buffered()
        {
            var w = new NapsterFrameWriter();
            w.WriteFrame(NapsterMessageType.Search, "FILENAME CONTAINS \"a\" MAX_RESULTS 1");
            var bytes = w.ToArray();
            var reader = new NapsterFrameReader();
            reader.Feed(bytes, 0, bytes.Length - 1);
            Assert.False(reader.TryRead(out _));
            Assert.Equal(bytes.Length - 1, reader.Buffered);
        }

        [Fact]
        public void Invalid_utf8_payload_is_a_protocol_error()
        {
            var frame = new NapsterFrame(NapsterMessageType.Search, new byte[] { 0xC3, 0x28 }, 0, 2);
            Assert.Throws<NapsterProtocolException>(() => frame.GetText());
        }

        [Fact]
        public void Login_round_trips()
        {
            var login = NapsterLogin.Parse(new NapsterLogin("bob", "secret", 6699, "PSPeer 0.1", 4).Format());
            Assert.Equal(("bob", "secret", 6699, "PSPeer 0.1", 4), (login.Nick, login.Password, login.DataPort, login.ClientInfo, login.LinkSpeed));
            // An OpenNap client's login with a trailing build field still parses.
            Assert.Equal("nap", NapsterLogin.Parse("nap pw 0 \"nap v1.5.4\" 10 1").Nick);
        }

        [Theory]
        [InlineData("")]
        [InlineData("bob")]
        [InlineData("bob pw notaport \"x\" 3")]
        [InlineData("bob pw 70000 \"x\" 3")]
        [InlineData("bob pw 1 x 3")]
        [InlineData("bob pw 1 \"x 3")]
        [InlineData("bob pw 1 \"x\" 11")]
        public void Bad_logins_are_protocol_errors(string payload) =>
            Assert.Throws<NapsterProtocolException>(() => NapsterLogin.Parse(payload));

        [Fact]
        public void Share_round_trips_with_hash_in_the_md5_field_and_file_index()
        {
            var w = new NapsterFrameWriter();
            NapsterShare.Write(w, "dir/Hey Jude.mp3", Hash, 5000, 12);
            var frame = Decode(w.ToArray(), 100).Single();
            string text = Encoding.UTF8.GetString(frame.payload);
            Assert.Equal($"\"dir/Hey Jude.mp3\" {Hash} 5000 0 0 0 12", text);
            var share = NapsterShare.Parse(text);
            Assert.Equal(("dir/Hey Jude.mp3", Hash, 5000L, 12), (share.Name, share.Hash, share.Size, share.FileIndex));
            Assert.Equal(text, share.Format());
            // Without the PSPeer index field the index is unknown.
            Assert.Equal(-1, NapsterShare.Parse($"\"a.mp3\" {Hash} 1 128 44100 200").FileIndex);
        }

        [Theory]
        [InlineData("\"\" urn:sha1:AAAA 1 0 0 0")]
        [InlineData("\"a\" d41d8cd98f00b204e9800998ecf8427e 1 0 0 0")]
        [InlineData("\"a\" urn:sha1:PLAINTEXTPLAINTEXTPLAINTEXTPLAIN -5 0 0 0")]
        [InlineData("a.mp3 urn:sha1:PLAINTEXTPLAINTEXTPLAINTEXTPLAIN 5 0 0 0")]
        public void Bad_shares_are_protocol_errors(string payload) =>
            Assert.Throws<NapsterProtocolException>(() => NapsterShare.Parse(payload));

        [Fact]
        public void Unshare_accepts_quoted_and_bare_names()
        {
            Assert.Equal("a b.mp3", NapsterUnshare.Parse(NapsterUnshare.Format("a b.mp3")));
            Assert.Equal("a b.mp3", NapsterUnshare.Parse("a b.mp3"));
        }

        [Fact]
        public void Search_uses_the_OpenNap_form_and_round_trips()
        {
            var request = new NapsterSearchRequest("hey jude", 25);
            Assert.Equal("FILENAME CONTAINS \"hey jude\" MAX_RESULTS 25", request.Format());
            var parsed = NapsterSearchRequest.Parse(request.Format());
            Assert.Equal(("hey jude", 25), (parsed.Keywords, parsed.MaxResults));
        }

        [Fact]
        public void Search_from_an_OpenNap_client_with_extra_clauses_parses()
        {
            var r = NapsterSearchRequest.Parse("FILENAME CONTAINS \"beatles\" MAX_RESULTS 100 FILENAME CONTAINS \"jude\" LINESPEED \"AT LEAST\" 5 BITRATE \"EQUAL TO\" \"128\" FILENAME EXCLUDES \"live\"");
            Assert.Equal("beatles jude", r.Keywords);
            Assert.Equal("live", r.Excluded);
            Assert.Equal(100, r.MaxResults);
            Assert.Equal(NapsterSearchRequest.DefaultMaxResults, NapsterSearchRequest.Parse("FILENAME CONTAINS \"x\"").MaxResults);
        }

        [Theory]
        [InlineData("FILENAME CONTAINS hey")]
        [InlineData("FILENAME LIKE \"hey\"")]
        [InlineData("FILENAME CONTAINS \"hey\" MAX_RESULTS many")]
        [InlineData("DROP TABLE")]
        public void Bad_searches_are_protocol_errors(string payload) =>
            Assert.Throws<NapsterProtocolException>(() => NapsterSearchRequest.Parse(payload));

        [Fact]
        public void Search_result_round_trips_with_OpenNap_ip_integer_and_trailing_fields()
        {
            var result = new NapsterSearchResult("Hey Jude.mp3", Hash, 42, "carol", "127.0.0.1", 3, 8080, 5);
            string text = result.Format();
            Assert.Equal($"\"Hey Jude.mp3\" {Hash} 42 0 0 0 carol 16777343 3 8080 5", text);
            var back = NapsterSearchResult.Parse(text);
            Assert.Equal(("Hey Jude.mp3", Hash, 42L, "carol", "127.0.0.1", 3, 8080, 5),
                (back.Name, back.Hash, back.Size, back.Nick, back.Ip, back.LinkSpeed, back.DataPort, back.FileIndex));
            // A simulated host's address is not IPv4 and travels as text.
            Assert.Equal("host-3", NapsterSearchResult.DecodeIp(NapsterSearchResult.EncodeIp("host-3")));
            Assert.Equal("10.0.0.7", NapsterSearchResult.DecodeIp(NapsterSearchResult.EncodeIp("10.0.0.7")));
        }

        [Fact]
        public void Writer_number_and_hash_fields_match_their_text_forms()
        {
            var w = new NapsterFrameWriter();
            w.Begin(NapsterMessageType.ServerMessage).Append(0L).Append(' ').Append(-17L).Append(' ').Append(long.MaxValue).Append(' ')
                .AppendSha1Urn(Hash.ToByteArray(), 0);
            Assert.True(w.End());
            var payload = Encoding.UTF8.GetString(Decode(w.ToArray(), 64).Single().payload);
            Assert.Equal($"0 -17 {long.MaxValue} {Hash}", payload);
        }
    }
}
