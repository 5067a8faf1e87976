using System;
using System.Linq;
using System.Text;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>The sans-IO parts: query strings with binary values, tracker URLs, answers as bytes.</summary>
    public class TrackerCodecTests
    {
        [Fact]
        public void Query_values_decode_to_raw_bytes_and_plus_stays_plus()
        {
            var q = TrackerQuery.Parse("info_hash=%00%FF%7f+a&flag&empty=&x=%41", out var error);
            Assert.Null(error);
            Assert.Equal(new byte[] { 0x00, 0xFF, 0x7F, (byte)'+', (byte)'a' }, q.First("info_hash", out int count));
            Assert.Equal(1, count);
            Assert.Empty(q.First("flag", out _));
            Assert.Empty(q.First("empty", out _));
            Assert.Equal("A", q.Text("x"));
            Assert.Null(q.First("missing", out int none));
            Assert.Equal(0, none);
        }

        [Theory]
        [InlineData("a=%4")]
        [InlineData("a=%zz")]
        [InlineData("a=\u00e9")]
        public void Bad_escapes_are_refused(string query)
        {
            Assert.Null(TrackerQuery.Parse(query, out var error));
            Assert.Contains("percent-encoding", error);
        }

        [Fact]
        public void Encoding_then_parsing_gives_back_every_byte_value()
        {
            var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
            var q = TrackerQuery.Parse("v=" + PSPeer.Engine.Content.UrlPath.EncodeBytes(all), out _);
            Assert.Equal(all, q.First("v", out _));
        }

        [Fact]
        public void Too_many_parameters_are_refused()
        {
            string query = string.Join("&", Enumerable.Range(0, TrackerQuery.MaxParameters + 1).Select(i => "p=" + i));
            Assert.Null(TrackerQuery.Parse(query, out var error));
            Assert.Contains("parameters", error);
        }

        [Theory]
        [InlineData("http://t.example/announce", "http://t.example/scrape")]
        [InlineData("http://t.example:6969/x/announce.php?passkey=abc", "http://t.example:6969/x/scrape.php?passkey=abc")]
        [InlineData("http://[::1]:6969/announce", "http://[::1]:6969/scrape")]
        [InlineData("http://t.example/a", null)]
        [InlineData("http://t.example/announce/x", null)]
        public void Scrape_url_follows_the_announce_convention(string announce, string scrape)
        {
            Assert.Equal(scrape, TrackerClient.GetScrapeUrl(announce));
        }

        [Fact]
        public void A_url_with_its_own_query_gets_parameters_appended_with_ampersand()
        {
            var url = TrackerUrl.Parse("http://t.example:1234/announce?passkey=abc");
            Assert.Equal("t.example", url.Host);
            Assert.Equal(1234, url.Port);
            Assert.Equal("/announce?passkey=abc&info_hash=x", url.Target("info_hash=x"));
            Assert.Equal("/announce?info_hash=x", TrackerUrl.Parse("http://t.example/announce").Target("info_hash=x"));
            Assert.Equal("/?a=1", TrackerUrl.Parse("http://t.example?a=1").Target(null));
        }

        [Fact]
        public void Compact_ipv4_and_ipv6_peers_are_read()
        {
            var d = new BDictionary();
            d["interval"] = new BInteger(900);
            d["min interval"] = new BInteger(60);
            d["complete"] = new BInteger(3);
            d["incomplete"] = new BInteger(4);
            d["peers"] = new BString(new byte[] { 127, 0, 0, 1, 0x1A, 0xE1, 10, 0, 0, 2, 0, 0 /* port 0: skipped */ });
            var v6 = new byte[18];
            v6[15] = 1; v6[16] = 0x1A; v6[17] = 0xE2;
            d["peers6"] = new BString(v6);
            var r = TrackerResponseParser.ParseAnnounce("u", d);
            Assert.Equal(TimeSpan.FromSeconds(900), r.Interval);
            Assert.Equal(TimeSpan.FromSeconds(60), r.MinInterval);
            Assert.Equal((3, 4), (r.Complete, r.Incomplete));
            Assert.Equal(new[] { "127.0.0.1:6881", "[::1]:6882" }, r.Peers.Select(p => p.EndPoint.ToString()));
        }

        [Fact]
        public void A_compact_list_of_the_wrong_length_is_a_TrackerFailure()
        {
            var d = new BDictionary();
            d["peers"] = new BString(new byte[7]);
            var e = Assert.Throws<PeerException>(() => TrackerResponseParser.ParseAnnounce("http://t/announce", d));
            Assert.Equal(PeerErrorIds.TrackerFailure, e.ErrorId);
            Assert.Contains("not a multiple of 6", e.Message);
        }

        [Fact]
        public void Dictionary_peers_with_bad_entries_are_skipped()
        {
            var peers = new BList();
            peers.Add(Peer("10.0.0.1", 6881, "-AB0000-000000000000"));
            peers.Add(Peer("10.0.0.2", 0, null));          // no port
            peers.Add(Peer("bad host!", 6881, null));      // not a host name
            peers.Add(Peer("seed.example", 51413, "short"));
            peers.Add(new BInteger(5));                    // not a dictionary
            var d = new BDictionary();
            d["peers"] = peers;
            var r = TrackerResponseParser.ParseAnnounce("u", d);
            Assert.Equal(new[] { "10.0.0.1:6881", "seed.example:51413" }, r.Peers.Select(p => p.EndPoint.ToString()));
            Assert.Equal("-AB0000-000000000000", Encoding.ASCII.GetString(r.Peers[0].PeerId));
            Assert.Null(r.Peers[1].PeerId);
            Assert.Equal(TimeSpan.FromMinutes(30), r.Interval);   // none given: the classic default
            Assert.Equal(-1, r.Complete);
        }

        static BDictionary Peer(string ip, int port, string id)
        {
            var p = new BDictionary();
            p["ip"] = new BString(ip);
            p["port"] = new BInteger(port);
            if (id != null) p["peer id"] = new BString(id);
            return p;
        }

        [Fact]
        public void Scrape_answers_encode_raw_hash_keys_and_read_back()
        {
            var h = TrackerWorld.Hash(5);
            var bytes = TrackerResponses.Scrape(new[] { new ScrapeEntry(h, 2, 3, 4) });
            var parsed = TrackerResponseParser.ParseScrape("u", (BDictionary)Bencode.Decode(bytes));
            var e = Assert.Single(parsed);
            Assert.Equal((h, 2, 3, 4), (e.InfoHash, e.Complete, e.Incomplete, e.Downloaded));
        }

        [Fact]
        public void Failure_answers_read_back_as_TrackerFailure()
        {
            var d = (BDictionary)Bencode.Decode(TrackerResponses.Failure("go away"));
            var e = Assert.Throws<PeerException>(() => TrackerResponseParser.ParseAnnounce("http://t/announce", d));
            Assert.Equal(PeerErrorIds.TrackerFailure, e.ErrorId);
            Assert.Equal("Tracker http://t/announce refused the request: go away", e.Message);
        }
    }
}
