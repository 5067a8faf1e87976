using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>
    /// BEP 15 both sides in the simulation: the PSPeer tracker answers connect, announce, scrape and error over UDP
    /// on its HTTP port number, shares its swarms with HTTP, checks connection ids statelessly, and the client
    /// retransmits on BEP 15's schedule.
    /// </summary>
    public class UdpTrackerTests
    {
        static string UdpUrl(TrackerWorld w) => w.Tracker.UdpAnnounceUrl;

        [Fact]
        public void The_tracker_serves_udp_on_its_port_and_udp_and_http_announcers_see_each_other()
        {
            var w = new TrackerWorld();
            var a = w.AddHost("a");
            var b = w.AddHost("b");
            Assert.Equal($"udp://{w.TrackerHost.HostAddress}:{TrackerWorld.TrackerPort}/announce", UdpUrl(w));
            var hash = TrackerWorld.Hash(1);
            var first = w.Announce(a, TrackerWorld.Request(hash, "a", 5001, left: 0), UdpUrl(w));
            Assert.Equal(TimeSpan.FromMinutes(10), first.Interval);
            Assert.Equal(1, first.Complete);
            Assert.Empty(first.Peers);
            var second = w.Announce(b, TrackerWorld.Request(hash, "b", 5002), w.AnnounceUrl);   // over HTTP
            Assert.Equal(a.HostAddress + ":5001", Assert.Single(second.Peers).EndPoint.ToString());
            var third = w.Announce(a, TrackerWorld.Request(hash, "a", 5001, left: 0, ev: AnnounceEvent.None), UdpUrl(w));
            Assert.Equal(b.HostAddress + ":5002", Assert.Single(third.Peers).EndPoint.ToString());
            Assert.Equal((1, 1), (third.Complete, third.Incomplete));

            var scrape = w.Run(() => new TrackerClient(a).ScrapeAsync(UdpUrl(w), new[] { hash, TrackerWorld.Hash(2) }));
            Assert.Equal(2, scrape.Count);
            Assert.Equal((1, 1, 0), (scrape[0].Complete, scrape[0].Incomplete, scrape[0].Downloaded));
            Assert.Equal((0, 0), (scrape[1].Complete, scrape[1].Incomplete));
            Assert.Contains(w.Events, e => e.Type == PeerEventTypes.TrackerAnnounce && e.Message.StartsWith("udp started"));
        }

        [Fact]
        public void The_address_in_a_udp_announce_is_ignored_unless_the_tracker_honours_it()
        {
            foreach (bool honour in new[] { false, true })
            {
                var w = new TrackerWorld(options: new TrackerOptions { AllowClientAddress = honour });
                var a = w.AddHost("a");
                var b = w.AddHost("b");
                var hash = TrackerWorld.Hash(3);
                var lie = TrackerWorld.Request(hash, "a", 5001);
                lie.IP = "192.0.2.9";
                w.Announce(a, lie, UdpUrl(w));
                var seen = w.Announce(b, TrackerWorld.Request(hash, "b", 5002), UdpUrl(w));
                Assert.Equal((honour ? "192.0.2.9" : a.HostAddress) + ":5001", Assert.Single(seen.Peers).EndPoint.ToString());
            }
        }

        sealed class RawUdp
        {
            public readonly List<byte[]> Answers = new List<byte[]>();
            public readonly IDatagramSocket Socket;
            readonly IPEndPoint _tracker;
            public RawUdp(TrackerWorld w, SimulatedHost from)
            {
                _tracker = new IPEndPoint(IPAddress.Parse(w.TrackerHost.HostAddress), TrackerWorld.TrackerPort);
                Socket = from.Datagrams.Bind(0, (s, f, p) => Answers.Add(p.ToArray()));
            }
            public void Send(TrackerWorld w, byte[] bytes)
            {
                w.Sim.Post(() => Socket.Send(bytes, 0, bytes.Length, _tracker));
                w.Sim.RunFor(TimeSpan.FromMilliseconds(100));
            }
        }

        static long ConnectionId(byte[] connectAnswer) => UdpTrackerCodec.ReadInt64(connectAnswer, 8);

        static byte[] AnnounceBytes(long connectionId, int tid, Action<byte[]> tweak = null)
        {
            var b = UdpTrackerCodec.Announce(new UdpAnnounceRequest
            {
                ConnectionId = connectionId, TransactionId = tid, InfoHash = TrackerWorld.Hash(5), PeerId = TrackerWorld.PeerId("raw"),
                Left = 10, Event = AnnounceEvent.Started, NumWant = -1, Port = 6000,
            });
            tweak?.Invoke(b);
            return b;
        }

        static string Error(byte[] answer)
        {
            Assert.Equal((int)UdpTrackerAction.Error, UdpTrackerCodec.ReadInt32(answer, 0));
            return UdpTrackerCodec.ParseErrorMessage(new ArraySegment<byte>(answer));
        }

        [Fact]
        public void Connection_ids_are_tied_to_the_askers_address_and_expire_after_two_minutes()
        {
            var w = new TrackerWorld();
            var a = new RawUdp(w, w.AddHost("a"));
            var b = new RawUdp(w, w.AddHost("b"));
            a.Send(w, UdpTrackerCodec.Connect(77));
            var connect = Assert.Single(a.Answers);
            Assert.Equal(16, connect.Length);
            Assert.Equal(77, UdpTrackerCodec.ReadInt32(connect, 4));
            long id = ConnectionId(connect);

            b.Send(w, AnnounceBytes(id, 1));                         // someone else's id
            Assert.Equal("bad connection id", Error(b.Answers.Last()));
            a.Send(w, AnnounceBytes(id ^ 1, 2));                     // forged
            Assert.Equal("bad connection id", Error(a.Answers.Last()));
            a.Send(w, AnnounceBytes(id, 3));                         // good
            Assert.Equal((int)UdpTrackerAction.Announce, UdpTrackerCodec.ReadInt32(a.Answers.Last(), 0));
            Assert.Equal(3, UdpTrackerCodec.ReadInt32(a.Answers.Last(), 4));

            w.Sim.RunFor(TimeSpan.FromSeconds(115));
            a.Send(w, AnnounceBytes(id, 4));                         // still within two minutes
            Assert.Equal((int)UdpTrackerAction.Announce, UdpTrackerCodec.ReadInt32(a.Answers.Last(), 0));
            w.Sim.RunFor(TimeSpan.FromSeconds(10));
            a.Send(w, AnnounceBytes(id, 5));                         // expired
            Assert.Equal("bad connection id", Error(a.Answers.Last()));
        }

        [Fact]
        public void Hostile_datagrams_get_an_error_or_nothing_and_the_tracker_keeps_no_state_for_them()
        {
            var w = new TrackerWorld();
            var a = new RawUdp(w, w.AddHost("a"));
            a.Send(w, new byte[] { 1, 2, 3 });                                   // too short for a transaction id: nothing
            var noMagic = UdpTrackerCodec.Connect(1);
            noMagic[3] ^= 0xFF;
            a.Send(w, noMagic);                                                  // not BEP 15: nothing
            Assert.Empty(a.Answers);

            // A connect flood: every answer is computed, nothing is stored.
            for (int i = 0; i < 1000; i++) w.Sim.Post(() => a.Socket.Send(UdpTrackerCodec.Connect(i), 0, 16, new IPEndPoint(IPAddress.Parse(w.TrackerHost.HostAddress), TrackerWorld.TrackerPort)));
            w.Sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1000, a.Answers.Count);
            Assert.Equal(0, w.Tracker.SwarmCount);
            long id = ConnectionId(a.Answers[0]);

            var cases = new (Action<byte[]> tweak, string why)[]
            {
                (b => UdpTrackerCodec.WriteInt32(b, 80, 9), "event must be"),
                (b => { b[96] = 0; b[97] = 0; }, "port must be"),
                (b => UdpTrackerCodec.WriteInt64(b, 64, -5), "must not be negative"),
            };
            foreach (var (tweak, why) in cases)
            {
                a.Send(w, AnnounceBytes(id, 9, tweak));
                Assert.Contains(why, Error(a.Answers.Last()));
            }
            a.Send(w, AnnounceBytes(id, 9).Take(97).ToArray());
            Assert.Contains("98 bytes", Error(a.Answers.Last()));
            var scrape = UdpTrackerCodec.Scrape(id, 9, new[] { TrackerWorld.Hash(1) });
            a.Send(w, scrape.Take(30).ToArray());
            Assert.Contains("20-byte", Error(a.Answers.Last()));
            a.Send(w, UdpTrackerCodec.Scrape(id, 9, Enumerable.Range(0, 75).Select(TrackerWorld.Hash).ToList()));
            Assert.Contains("at most 74", Error(a.Answers.Last()));
            var unknown = UdpTrackerCodec.Connect(9);
            UdpTrackerCodec.WriteInt64(unknown, 0, id);
            UdpTrackerCodec.WriteInt32(unknown, 8, 42);
            a.Send(w, unknown);
            Assert.Equal("unknown action", Error(a.Answers.Last()));
            Assert.All(a.Answers, answer => Assert.True(answer.Length <= 98));
            Assert.Equal(0, w.Tracker.SwarmCount);
        }

        [Fact]
        public void A_numwant_beyond_one_frame_is_cut_to_what_fits()
        {
            var w = new TrackerWorld(options: new TrackerOptions { MaxNumWant = 1000 });
            var hash = TrackerWorld.Hash(8);
            var hosts = Enumerable.Range(0, 300).Select(i => w.AddHost("p" + i)).ToList();
            w.Run(async () =>
            {
                foreach (var h in hosts) await new TrackerClient(h).AnnounceAsync(UdpUrl(w), TrackerWorld.Request(hash, h.Name, 6000));
            });
            var last = w.Announce(hosts[0], TrackerWorld.Request(hash, "p0", 6000, numWant: 1000), UdpUrl(w));
            Assert.Equal((UdpTrackerCodec.MaxAnswerBytes - 20) / 6, last.Peers.Count);
        }

        [Fact]
        public void The_client_retransmits_after_base_times_two_to_the_n_and_gives_up_after_the_last()
        {
            var w = new TrackerWorld();
            var c = w.AddHost("c");
            var silent = w.AddHost("silent");
            int heard = 0;
            var times = new List<double>();
            silent.Datagrams.Bind(6969, (s, f, p) => { heard++; times.Add(w.Sim.Elapsed.TotalSeconds); });
            var client = new TrackerClient(c) { UdpRetransmitBase = TimeSpan.FromSeconds(1), UdpMaxRetransmits = 3 };
            var start = w.Sim.Elapsed.TotalSeconds;
            var e = w.Fails<PeerException>(() => client.AnnounceAsync($"udp://silent:6969/announce", TrackerWorld.Request(TrackerWorld.Hash(1), "c", 1)));
            Assert.Equal(PeerErrorIds.TrackerUnreachable, e.ErrorId);
            Assert.Contains("did not answer over UDP (4 tries", e.Message);
            Assert.Equal(4, heard);
            // Sent at 0, 1, 3 and 7 s (waits of 1, 2, 4 s), each arriving 10 ms later; then a last wait of 8 s.
            Assert.Equal(new[] { 0.01, 1.01, 3.01, 7.01 }, times.Select(t => Math.Round(t - start, 2)));
            Assert.Equal(15, Math.Round(w.Sim.Elapsed.TotalSeconds - start));
        }

        [Fact]
        public void Over_a_lossy_link_the_client_gets_through_by_retransmitting()
        {
            var w = new TrackerWorld(seed: 4);
            var c = w.AddHost("c");
            w.Sim.SetLink(c, w.TrackerHost, TimeSpan.FromMilliseconds(30), 0, 0.5);
            var client = new TrackerClient(c) { UdpRetransmitBase = TimeSpan.FromSeconds(1) };
            for (int i = 0; i < 5; i++)
            {
                var r = w.Run(() => client.AnnounceAsync(UdpUrl(w), TrackerWorld.Request(TrackerWorld.Hash(1), "c", 1)));
                Assert.Equal(1, r.Incomplete);
            }
            Assert.True(w.Sim.Statistics.DatagramsLost > 0);
        }

        [Fact]
        public void A_tracker_error_answer_is_TrackerFailure_with_its_message()
        {
            var w = new TrackerWorld(options: new TrackerOptions { MaxSwarms = 1 });
            var c = w.AddHost("c");
            w.Announce(c, TrackerWorld.Request(TrackerWorld.Hash(1), "c", 1), UdpUrl(w));
            var e = w.Fails<PeerException>(() => new TrackerClient(c).AnnounceAsync(UdpUrl(w), TrackerWorld.Request(TrackerWorld.Hash(2), "c", 1)));
            Assert.Equal(PeerErrorIds.TrackerFailure, e.ErrorId);
            Assert.Contains("the tracker is full", e.Message);
        }

        [Fact]
        public void Udp_urls_without_a_port_say_so()
        {
            var w = new TrackerWorld();
            var c = w.AddHost("c");
            var e = w.Fails<PeerException>(() => new TrackerClient(c).AnnounceAsync("udp://tracker-host/announce", TrackerWorld.Request(TrackerWorld.Hash(1), "c", 1)));
            Assert.Equal(PeerErrorIds.TrackerUnreachable, e.ErrorId);
            Assert.Contains("names its port", e.Message);
        }

        [Fact]
        public void A_tracker_on_any_free_port_moves_both_sides_to_a_port_free_for_udp_too()
        {
            var sim = new Simulation();
            var host = sim.AddHost("t");
            // The first free TCP port (1024) is taken for UDP by someone else.
            host.Datagrams.Bind(1024, (s, f, p) => { });
            var tracker = new BitTorrentTracker(host, "tracker", 0);
            sim.Run(() => tracker.StartAsync(), TimeSpan.FromSeconds(1));
            Assert.NotEqual(":1024", tracker.EndPoint.Substring(tracker.EndPoint.LastIndexOf(':')));
            Assert.Equal($"udp://{tracker.EndPoint}/announce", tracker.UdpAnnounceUrl);
            var fixedPort = new BitTorrentTracker(host, "fixed", 1024);
            var e = Assert.Throws<PeerException>(() => sim.Run(() => fixedPort.StartAsync(), TimeSpan.FromSeconds(1)));
            Assert.Equal(PeerErrorIds.PortInUse, e.ErrorId);
            Assert.Contains("UDP port 1024", e.Message);
        }

        [Fact]
        public void A_tracker_asked_not_to_serve_udp_leaves_the_port_alone()
        {
            var w = new TrackerWorld(options: new TrackerOptions { ServeUdp = false });
            Assert.Null(w.Tracker.UdpAnnounceUrl);
            w.TrackerHost.Datagrams.Bind(TrackerWorld.TrackerPort, (s, f, p) => { }).Dispose();
        }
    }
}
