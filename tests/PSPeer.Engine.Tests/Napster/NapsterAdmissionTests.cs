using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Napster;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Support;
using Xunit;

namespace PSPeer.Engine.Tests.Napster
{
    /// <summary>The index under attack: connection floods, slow logins, half-sent frames, a bad frame after good ones.</summary>
    public class NapsterAdmissionTests
    {
        static readonly TimeSpan Step = RawNapsterClient.Step;
        static readonly LiveRuntime Honest = new LiveRuntime("127.0.0.50");

        static async Task<NapsterIndexServer> StartAsync(ConnectionLimits limits, ConcurrentQueue<PeerEvent> events)
        {
            var server = new NapsterIndexServer(LiveRuntime.Loopback, "index", 0) { Limits = limits };
            server.Events.Subscribe(events.Enqueue);
            await server.StartAsync().WaitAsync(Step);
            return server;
        }

        static byte[] Frame(NapsterMessageType type, string payload)
        {
            var w = new NapsterFrameWriter();
            w.WriteFrame(type, payload);
            return w.ToArray();
        }

        [Fact]
        public async Task More_connections_than_the_cap_from_attackers_leave_an_honest_peer_served()
        {
            var events = new ConcurrentQueue<PeerEvent>();
            using var server = await StartAsync(new ConnectionLimits { MaxConnections = 40, MaxConnectionsPerAddress = 8 }, events);
            using var attacker = new LoopbackAttacker();
            for (int a = 2; a < 12; a++) await attacker.OpenAsync("127.0.0." + a, server.EndPoint, 20);   // 200 idle connections

            await Poll.UntilAsync(() => server.Admission.RefusedCount >= 120, "the flood to be refused", Poll.FloodBound);
            Assert.True(server.Admission.OpenCount <= 40, $"{server.Admission.OpenCount} admitted");
            await Poll.UntilAsync(() => server.ConnectionCount <= 40, "evicted connections to be gone", Poll.FloodBound);

            using var honest = await RawNapsterClient.ConnectAsync(Honest, server.EndPoint);
            await honest.LoginAsync("honest");
            await honest.SendAsync(NapsterMessageType.ShareFile, $"\"Hey Jude.mp3\" {ContentHash.Compute(new byte[] { 7 })} 1 0 0 0 0");
            await honest.SendAsync(NapsterMessageType.Search, "FILENAME CONTAINS \"jude\" MAX_RESULTS 10");
            var results = await honest.ReadResultsAsync();
            Assert.Single(results);
            Assert.Contains(events, e => e.Type == PeerEventTypes.ConnectionRefused && e.Remote.StartsWith("127.0.0.", StringComparison.Ordinal)
                                         && ((string)e.Data["Reason"]).Contains("most one address may hold"));
            Assert.Equal(NodeState.Running, server.State);
        }

        [Fact]
        public async Task A_login_sent_one_byte_a_second_is_cut_at_the_login_deadline()
        {
            var events = new ConcurrentQueue<PeerEvent>();
            using var server = await StartAsync(new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(1.5) }, events);
            using var slow = await LoopbackAttacker.ConnectAsync("127.0.0.2", server.EndPoint);
            var login = Frame(NapsterMessageType.Login, new NapsterLogin("slowpoke", "pw", 1234, "raw test", 0).Format());
            int sent = await LoopbackAttacker.TrickleUntilCutAsync(slow, login, TimeSpan.FromMilliseconds(250), Step);
            Assert.InRange(sent, 1, login.Length - 1);
            await Poll.UntilAsync(() => server.ConnectionCount == 0, "the connection to be gone", Poll.FloodBound);
            Assert.Contains(events, e => e.Type == PeerEventTypes.ConnectionTimedOut);
            Assert.Equal(0, server.LoggedInPeerCount);
        }

        [Fact]
        public async Task A_logged_in_peer_may_stay_quiet_but_a_half_sent_frame_is_cut()
        {
            var events = new ConcurrentQueue<PeerEvent>();
            using var server = await StartAsync(new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(1), MessageTimeout = TimeSpan.FromSeconds(1) }, events);
            using var quiet = await RawNapsterClient.ConnectAsync(Honest, server.EndPoint);
            await quiet.LoginAsync("quiet");
            using var half = await RawNapsterClient.ConnectAsync(Honest, server.EndPoint);
            await half.LoginAsync("half");
            await half.SendRawAsync(Frame(NapsterMessageType.Search, "FILENAME CONTAINS \"x\" MAX_RESULTS 1").Take(6).ToArray());

            Assert.Null(await half.ReadAsync());   // closed by the server
            await Poll.UntilAsync(() => events.Any(e => e.Type == PeerEventTypes.ConnectionClosed && ((string)e.Data["Reason"]).Contains("a frame begun was not complete")),
                "the half-frame close to be reported", Poll.FloodBound);
            await Task.Delay(1500);   // quiet well past both deadlines
            await quiet.SendAsync(NapsterMessageType.Search, "FILENAME CONTAINS \"x\" MAX_RESULTS 1");
            Assert.Empty(await quiet.ReadResultsAsync());
            Assert.Equal(1, server.LoggedInPeerCount);
        }

        [Fact]
        public async Task A_malformed_frame_after_login_closes_only_after_the_replies_queued_before_it_are_sent()
        {
            var events = new ConcurrentQueue<PeerEvent>();
            using var server = await StartAsync(new ConnectionLimits(), events);
            using var owner = await RawNapsterClient.ConnectAsync(Honest, server.EndPoint);
            await owner.LoginAsync("owner");
            await owner.SendAsync(NapsterMessageType.ShareFile, $"\"Let It Be.mp3\" {ContentHash.Compute(new byte[] { 9 })} 1 0 0 0 0");
            await Poll.UntilAsync(() => server.IndexedFileCount == 1, "the share", Poll.FloodBound);

            using var client = await RawNapsterClient.ConnectAsync(Honest, server.EndPoint);
            await client.LoginAsync("client");
            // One write, so one read on the server: a good search, then a share that does not parse.
            var both = Frame(NapsterMessageType.Search, "FILENAME CONTAINS \"let\" MAX_RESULTS 10")
                .Concat(Frame(NapsterMessageType.ShareFile, "no quotes here")).ToArray();
            await client.SendRawAsync(both);
            var results = await client.ReadResultsAsync();
            Assert.Single(results);
            Assert.Null(await client.ReadAsync());   // and then the connection closes
            // Events reach subscribers through their own queue on the task pool: the close can come first.
            await Poll.UntilAsync(() => events.Any(e => e.Type == PeerEventTypes.MalformedMessage), "the MalformedMessage event", Poll.FloodBound);
        }
    }
}
