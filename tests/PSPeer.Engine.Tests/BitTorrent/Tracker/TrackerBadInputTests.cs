using System;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>Bad requests get a failure reason; bad HTTP closes that connection only; the tracker goes on.</summary>
    public class TrackerBadInputTests
    {
        const string Hash = "%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14";
        const string Id = "-PS0100-abcdefghijkl";

        static string Get(string query) => $"GET /announce?{query} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

        [Theory]
        [InlineData("peer_id=" + Id + "&port=1&left=0", "missing info_hash")]
        [InlineData("info_hash=abc&peer_id=" + Id + "&port=1&left=0", "info_hash must be 20 bytes (got 3)")]
        [InlineData("info_hash=" + Hash + "&info_hash=" + Hash + "&peer_id=" + Id + "&port=1&left=0", "info_hash given more than once")]
        [InlineData("info_hash=" + Hash + "&port=1&left=0", "missing peer_id")]
        [InlineData("info_hash=" + Hash + "&peer_id=short&port=1&left=0", "peer_id must be 20 bytes (got 5)")]
        [InlineData("info_hash=" + Hash + "&peer_id=" + Id + "&left=0", "missing port")]
        [InlineData("info_hash=" + Hash + "&peer_id=" + Id + "&port=70000&left=0", "port must be a number from 1 to 65535")]
        [InlineData("info_hash=" + Hash + "&peer_id=" + Id + "&port=1", "missing left")]
        [InlineData("info_hash=" + Hash + "&peer_id=" + Id + "&port=1&left=-5", "left must be a non-negative number")]
        [InlineData("info_hash=" + Hash + "&peer_id=" + Id + "&port=1&left=0&uploaded=x", "uploaded must be a non-negative number")]
        [InlineData("info_hash=" + Hash + "&peer_id=" + Id + "&port=1&left=0&event=paused2", "event must be started, completed, stopped or empty")]
        [InlineData("info_hash=" + Hash + "&peer_id=" + Id + "&port=1&left=0&numwant=lots", "numwant must be a number")]
        [InlineData("info_hash=%G1&peer_id=" + Id + "&port=1&left=0", "bad percent-encoding in parameter 'info_hash'")]
        [InlineData("info_hash=" + Hash + "&peer_id=" + Id + "&port=1&left=0&ip=not-an-ip", "ip must be an IPv4 or IPv6 address", true)]
        public void A_bad_parameter_gets_http_200_with_its_failure_reason(string query, string reason, bool allowClientAddress = false)
        {
            var w = new TrackerWorld(options: new TrackerOptions { AllowClientAddress = allowClientAddress });
            var c = w.AddHost("c");
            string answer = w.Raw(c, Get(query));
            Assert.StartsWith("HTTP/1.1 200 OK", answer);
            Assert.EndsWith($"d14:failure reason{reason.Length}:{reason}e", answer);
            Assert.Equal(0, w.Tracker.SwarmCount);
        }

        [Fact]
        public void The_client_turns_a_failure_reason_into_TrackerFailure_with_the_reason()
        {
            var w = new TrackerWorld(options: new TrackerOptions { AllowClientAddress = true });
            var c = w.AddHost("c");
            var request = TrackerWorld.Request(TrackerWorld.Hash(1), "c", 1);
            request.IP = "999.1.1.1";   // the client passes it on; a tracker that reads "ip" refuses it
            var e = w.Fails<PeerException>(() => new TrackerClient(c).AnnounceAsync(w.AnnounceUrl, request));
            Assert.Equal(PeerErrorIds.TrackerFailure, e.ErrorId);
            Assert.Contains("ip must be an IPv4 or IPv6 address", e.Message);
            Assert.Contains(w.AnnounceUrl, e.Message);
        }

        [Fact]
        public void A_malformed_request_line_gets_400_and_only_that_connection_closes()
        {
            var w = new TrackerWorld();
            var c = w.AddHost("c");
            string answer = w.Raw(c, "HELLO THERE\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 400", answer);
            Assert.Contains(w.Events, e => e.Type == PeerEventTypes.MalformedMessage);
            // The tracker still serves everybody else.
            Assert.Empty(w.Announce(c, TrackerWorld.Request(TrackerWorld.Hash(1), "c", 1)).Peers);
            Assert.Equal(NodeState.Running, w.Tracker.State);
        }

        [Fact]
        public void An_oversized_request_gets_431_and_the_tracker_goes_on()
        {
            var w = new TrackerWorld();
            var c = w.AddHost("c");
            string huge = "GET /announce?x=" + new string('a', BitTorrentTracker.MaxHeadBytes + 100) + " HTTP/1.1\r\n\r\n";
            string answer = w.Raw(c, huge);
            Assert.StartsWith("HTTP/1.1 431", answer);
            Assert.Contains(w.Events, e => e.Type == PeerEventTypes.MalformedMessage);
            Assert.Empty(w.Announce(c, TrackerWorld.Request(TrackerWorld.Hash(1), "c", 1)).Peers);
        }

        [Fact]
        public void Unknown_paths_get_404_and_other_methods_405()
        {
            var w = new TrackerWorld();
            var c = w.AddHost("c");
            Assert.StartsWith("HTTP/1.1 404", w.Raw(c, "GET /index.html HTTP/1.1\r\nConnection: close\r\n\r\n"));
            Assert.StartsWith("HTTP/1.1 405", w.Raw(c, "POST /announce HTTP/1.1\r\nContent-Length: 0\r\n\r\n"));
        }

        [Fact]
        public void Keep_alive_serves_several_requests_on_one_connection()
        {
            var w = new TrackerWorld();
            var c = w.AddHost("c");
            string one = $"GET /announce?info_hash={Hash}&peer_id={Id}&port=1&left=0 HTTP/1.1\r\nHost: t\r\n\r\n";
            string two = $"GET /scrape?info_hash={Hash} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
            string answer = w.Raw(c, one + two);
            Assert.Equal(2, answer.Split("HTTP/1.1 200 OK").Length - 1);
            Assert.Contains("d5:filesd20:", answer);
            Assert.Contains("8:completei1e", answer);
        }

        [Fact]
        public void A_silent_connection_is_closed_after_the_idle_timeout()
        {
            var w = new TrackerWorld(options: new TrackerOptions { IdleTimeout = TimeSpan.FromSeconds(5) });
            var c = w.AddHost("c");
            var start = w.Sim.Elapsed;
            Assert.Equal("", w.Raw(c, ""));   // sends nothing; the tracker hangs up
            Assert.InRange(w.Sim.Elapsed - start, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6));
            Assert.Equal(0, w.Tracker.ConnectionCount);
        }

        [Fact]
        public void An_unreachable_tracker_is_TrackerUnreachable_naming_the_url()
        {
            var w = new TrackerWorld();
            var c = w.AddHost("c");
            string url = $"http://{w.TrackerHost.HostAddress}:1234/announce";
            var e = w.Fails<PeerException>(() => new TrackerClient(c).AnnounceAsync(url, TrackerWorld.Request(TrackerWorld.Hash(1), "c", 1)));
            Assert.Equal(PeerErrorIds.TrackerUnreachable, e.ErrorId);
            Assert.Contains(url, e.Message);
        }

        [Fact]
        public void A_tracker_that_never_answers_times_out_as_unreachable()
        {
            var w = new TrackerWorld();
            var c = w.AddHost("c");
            var silent = w.AddHost("silent");
            w.Run(async () => { var l = await silent.Transport.ListenAsync(80); });   // accepts (backlog), never answers
            var client = new TrackerClient(c) { Timeout = TimeSpan.FromSeconds(3) };
            string url = $"http://{silent.HostAddress}/announce";
            var e = w.Fails<PeerException>(() => client.AnnounceAsync(url, TrackerWorld.Request(TrackerWorld.Hash(1), "c", 1)));
            Assert.Equal(PeerErrorIds.TrackerUnreachable, e.ErrorId);
            Assert.Contains("did not answer within 3 s", e.Message);
        }

        [Theory]
        [InlineData("https://tracker.example/announce", "plain HTTP only")]
        [InlineData("udp://tracker.example/announce", "names its port")]
        [InlineData("tracker.example/announce", "starts with http:// or udp://")]
        public void Urls_PSPeer_cannot_announce_to_say_why(string url, string why)
        {
            var w = new TrackerWorld();
            var c = w.AddHost("c");
            var e = w.Fails<PeerException>(() => new TrackerClient(c).AnnounceAsync(url, TrackerWorld.Request(TrackerWorld.Hash(1), "c", 1)));
            Assert.Equal(PeerErrorIds.TrackerUnreachable, e.ErrorId);
            Assert.Contains(why, e.Message);
        }
    }
}
