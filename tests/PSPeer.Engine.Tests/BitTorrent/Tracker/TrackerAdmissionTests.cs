using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Support;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>The tracker's accept side under a connection flood and a slow request.</summary>
    public class TrackerAdmissionTests
    {
        static readonly TimeSpan Step = TimeSpan.FromSeconds(20);

        [Fact]
        public async Task More_connections_than_the_cap_from_attackers_leave_an_honest_announce_answered()
        {
            var events = new ConcurrentQueue<PeerEvent>();
            var tracker = new BitTorrentTracker(LiveRuntime.Loopback, "tracker", 0)
            {
                Limits = new ConnectionLimits { MaxConnections = 40, MaxConnectionsPerAddress = 8 },
            };
            tracker.Events.Subscribe(events.Enqueue);
            await tracker.StartAsync().WaitAsync(Step);
            try
            {
                using var attacker = new LoopbackAttacker();
                for (int a = 2; a < 12; a++) await attacker.OpenAsync("127.0.0." + a, tracker.EndPoint, 20);
                await Poll.UntilAsync(() => events.Count(e => e.Type == PeerEventTypes.ConnectionRefused) >= 120, "the flood to be refused", Poll.FloodBound);
                // An evicted connection leaves the tracker's table when its reader sees the close, a moment after the event.
                await Poll.UntilAsync(() => tracker.ConnectionCount <= 40, "at most 40 connections open", Poll.FloodBound);

                var honest = new TrackerClient(new LiveRuntime("127.0.0.50"));
                var hash = TrackerWorld.Hash(1);
                var answer = await honest.AnnounceAsync(tracker.AnnounceUrl, TrackerWorld.Request(hash, "honest", 50001, left: 0)).WaitAsync(Step);
                Assert.Empty(answer.Peers);
                Assert.Equal(1, tracker.GetSwarm(hash).Complete);
                Assert.Equal(NodeState.Running, tracker.State);
            }
            finally { await tracker.StopAsync().WaitAsync(Step); }
        }

        [Fact]
        public async Task A_request_sent_one_byte_at_a_time_is_cut_at_the_deadline()
        {
            var events = new ConcurrentQueue<PeerEvent>();
            var tracker = new BitTorrentTracker(LiveRuntime.Loopback, "tracker", 0) { Limits = new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(1.5) } };
            tracker.Events.Subscribe(events.Enqueue);
            await tracker.StartAsync().WaitAsync(Step);
            try
            {
                using var slow = await LoopbackAttacker.ConnectAsync("127.0.0.2", tracker.EndPoint);
                var request = System.Text.Encoding.ASCII.GetBytes("GET /announce?info_hash=aaaaaaaaaaaaaaaaaaaa&port=1 HTTP/1.1\r\nHost: x\r\n\r\n");
                int sent = await LoopbackAttacker.TrickleUntilCutAsync(slow, request, TimeSpan.FromMilliseconds(250), Step);
                Assert.InRange(sent, 1, request.Length - 1);
                // The event follows the cut on the tracker's side; the client may see the cut first.
                await Poll.UntilAsync(() => events.Any(e => e.Type == PeerEventTypes.ConnectionTimedOut), "a ConnectionTimedOut event");
            }
            finally { await tracker.StopAsync().WaitAsync(Step); }
        }
    }
}
