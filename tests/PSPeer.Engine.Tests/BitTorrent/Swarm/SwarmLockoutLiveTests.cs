using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Content;
using PSPeer.Engine.Tests.Support;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>
    /// The per-address limit over real TCP, where the address is the socket's: sixty interested squatters from 127.0.0.2
    /// (a useful-looking choked leecher each, so only the per-address limit stops them) and an honest leecher from 127.0.0.1.
    /// </summary>
    [Collection(HeavySwarmCollection.Name)]
    public class SwarmLockoutLiveTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
        static readonly LiveRuntime Live = LiveRuntime.Loopback;
        static readonly SwarmOptions NoTracker = new SwarmOptions { Trackers = new string[0] };

        [Fact]
        public async Task Sixty_squatters_from_one_address_hold_ten_slots_and_an_honest_leecher_downloads()
        {
            using (var folder = new TempFolder())
            {
                var content = TempFolder.RandomBytes(1024 * 1024 + 333, 77);
                folder.Write("seed/app.zip", content);
                var torrent = TestTorrent.Make("app.zip", content, 64 * 1024);
                var seeder = new BitTorrentPeer(Live, "seed", torrent, Path.Combine(folder.Path, "seed"), NoTracker);
                var leecher = new BitTorrentPeer(Live, "honest", torrent, Path.Combine(folder.Path, "honest"), NoTracker);
                var refused = 0;
                seeder.Events.Subscribe(e => { if (e.Type == PeerEventTypes.PeerEvicted && (string)e.Data["Action"] == "Refused") Interlocked.Increment(ref refused); });
                var squatters = new List<RawPeer>();
                try
                {
                    await seeder.StartAsync().WaitAsync(Limit);
                    await leecher.StartAsync().WaitAsync(Limit);
                    var at = HostPort.Parse(seeder.EndPoint);
                    for (int i = 0; i < 60; i++)
                    {
                        var connection = await SourceBoundConnection.ConnectAsync("127.0.0.2", at).WaitAsync(Limit);
                        var raw = await RawPeer.HandshakeAsync(connection, torrent, $"-EV0001-live{i:D3}").WaitAsync(Limit);
                        squatters.Add(raw);
                        await raw.SendAsync(PeerMessage.Interested).WaitAsync(Limit);
                    }
                    // Each squatter got its handshake answered; the seeder kept ten of them and said why it closed the rest.
                    var deadline = DateTime.UtcNow + Limit;
                    while (Volatile.Read(ref refused) < 50 && DateTime.UtcNow < deadline) await Task.Delay(20);
                    Assert.Equal(50, Volatile.Read(ref refused));
                    Assert.Equal(10, seeder.Peers.Count(p => p.EndPoint.StartsWith("127.0.0.2:", StringComparison.Ordinal)));

                    await leecher.AddPeerAsync(at).WaitAsync(Limit);
                    await leecher.WhenCompleted().WaitAsync(Limit);
                    Assert.Equal(content, File.ReadAllBytes(Path.Combine(folder.Path, "honest", "app.zip")));
                }
                finally
                {
                    foreach (var s in squatters) s.Dispose();
                    await leecher.StopAsync();
                    await seeder.StopAsync();
                }
            }
        }
    }
}
