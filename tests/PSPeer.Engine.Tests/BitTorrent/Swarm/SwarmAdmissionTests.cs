using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Admission;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Content;
using PSPeer.Engine.Tests.Support;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>A seeder's accept side under a flood of connections that never handshake.</summary>
    [Collection(HeavySwarmCollection.Name)]
    public class SwarmAdmissionTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
        static readonly SwarmOptions NoTracker = new SwarmOptions { Trackers = new string[0] };

        [Fact]
        public async Task More_connections_than_the_cap_from_attackers_leave_an_honest_leecher_served()
        {
            using var folder = new TempFolder();
            var content = TempFolder.RandomBytes(1024 * 1024 + 17, 44);
            folder.Write("seed/data.bin", content);
            var torrent = TestTorrent.Make("data.bin", content, 64 * 1024);
            var events = new ConcurrentQueue<PeerEvent>();
            var seeder = new BitTorrentPeer(LiveRuntime.Loopback, "seed", torrent, Path.Combine(folder.Path, "seed"), NoTracker)
            {
                // The gate's handshake deadline (the only one: the swarm keeps no timer of its own) is pushed out of the
                // way, so the only thing that can bring the flood down to 40 is the cap itself.
                Limits = new ConnectionLimits { MaxConnections = 40, MaxConnectionsPerAddress = 8, HandshakeTimeout = TimeSpan.FromMinutes(5) },
            };
            seeder.Events.Subscribe(events.Enqueue);
            var leecher = new BitTorrentPeer(new LiveRuntime("127.0.0.50"), "leech", torrent, Path.Combine(folder.Path, "leech"), NoTracker);
            try
            {
                await seeder.StartAsync().WaitAsync(Limit);
                await leecher.StartAsync().WaitAsync(Limit);
                using var attacker = new LoopbackAttacker();
                for (int a = 2; a < 12; a++) await attacker.OpenAsync("127.0.0." + a, seeder.EndPoint, 20);
                // The seeder ends up holding at most its cap of 40 attacker connections: the rest are refused or evicted
                // by the gate — counted from the attacker's side, which sees every close. Connects that time out on a
                // loaded machine never reach the seeder, so only the sockets that got through count.
                int through = attacker.Sockets.Count(s => s.Connected);
                Assert.True(through > 40, $"only {through} attacker connections got through: no flood past the cap");
                await Poll.UntilAsync(() => attacker.CountHeld() <= 40, "the flood to be cut to the cap", TimeSpan.FromSeconds(15));   // far within the 5 min deadline
                Assert.True(seeder.Admission.RefusedCount > 0, "the cap refused nobody");
                await Poll.UntilAsync(() => events.Any(e => e.Type == PeerEventTypes.ConnectionRefused), "a ConnectionRefused event", Poll.FloodBound);

                await leecher.AddPeerAsync(HostPort.Parse(seeder.EndPoint)).WaitAsync(Limit);
                await leecher.WhenCompleted().WaitAsync(Limit);
                Assert.Equal(content, File.ReadAllBytes(Path.Combine(folder.Path, "leech", "data.bin")));
                Assert.Contains(events, e => e.Type == PeerEventTypes.PeerConnected && e.Remote.StartsWith("127.0.0.50:", StringComparison.Ordinal));
            }
            finally
            {
                await leecher.StopAsync();
                await seeder.StopAsync();
            }
        }
    }
}
