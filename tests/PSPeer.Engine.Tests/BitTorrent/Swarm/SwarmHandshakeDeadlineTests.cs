using System;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>
    /// One deadline for a handshake, the node's Limits.HandshakeTimeout: the admission gate's for connections it accepts,
    /// the same value for connections the peer dials. Simulated time: the checks are about which deadline fires, not
    /// about how long anything takes.
    /// </summary>
    public class SwarmHandshakeDeadlineTests
    {
        [Fact]
        public void A_silent_stranger_is_closed_by_the_gate_deadline_and_by_nothing_earlier()
        {
            var w = new SwarmWorld(seed: 43, size: 50_000, pieceLength: 16 * 1024);
            var seed = new BitTorrentPeer(w.Host("seed"), "seed", w.Torrent, "/data",
                new SwarmOptions { Port = SwarmWorld.PeerPort, Trackers = new string[0] })
            {
                Limits = new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(45) },
            };
            w.Host("seed").MemoryStorage.WriteFile("/data/file.bin", w.Content);
            w.Watch(seed);
            w.Run(() => seed.StartAsync());
            IConnection stranger = null;
            w.Run(async () => stranger = await w.Host("stranger").Transport.ConnectAsync(w.Hosts["seed"].HostAddress, SwarmWorld.PeerPort));
            var read = w.Sim.Spawn(() => stranger.Stream.ReadAsync(new byte[68], 0, 68));

            w.Sim.RunFor(TimeSpan.FromSeconds(30));   // past the 20 s the swarm once kept as a second handshake timer
            Assert.False(read.IsCompleted, "the stranger was closed before the gate's deadline");
            Assert.Equal(1, seed.Admission.PendingCount);

            w.Sim.RunFor(TimeSpan.FromSeconds(20));   // past the gate's 45 s
            Assert.True(read.IsCompleted, "the stranger outlived the gate's deadline");
            Assert.Equal(1, seed.Admission.TimedOutCount);
            Assert.Equal(0, seed.Admission.PendingCount);
            Assert.Contains(w.Events, e => e.Type == PeerEventTypes.ConnectionTimedOut);
            w.Run(() => seed.StopAsync());
        }

        [Fact]
        public void A_dialled_peer_that_never_answers_is_given_up_at_the_same_deadline()
        {
            var w = new SwarmWorld(seed: 44, size: 50_000, pieceLength: 16 * 1024);
            var leecher = new BitTorrentPeer(w.Host("leech"), "leech", w.Torrent, "/dl",
                new SwarmOptions { Port = SwarmWorld.PeerPort, Trackers = new string[0] })
            {
                Limits = new ConnectionLimits { HandshakeTimeout = TimeSpan.FromSeconds(5) },
            };
            w.Run(() => leecher.StartAsync());
            IListener silent = null;
            w.Run(async () => silent = await w.Host("silent").Transport.ListenAsync(SwarmWorld.PeerPort));
            var accepted = w.Sim.Spawn(() => silent.AcceptAsync());   // accepts, then never says a word

            var began = w.Sim.Now;
            var dial = w.Sim.Spawn(() => leecher.AddPeerAsync(w.AddressOf("silent")));
            Assert.True(w.Sim.RunUntilCompleted(dial, TimeSpan.FromSeconds(60)));
            var gaveUpAfter = w.Sim.Now - began;

            var e = Assert.IsType<PeerException>(dial.Exception?.InnerException);
            Assert.Equal(PeerErrorIds.Unreachable, e.ErrorId);
            Assert.True(gaveUpAfter >= TimeSpan.FromSeconds(5) && gaveUpAfter < TimeSpan.FromSeconds(20), $"gave up after {gaveUpAfter}, not at the node's 5 s");
            Assert.True(accepted.IsCompleted);
            w.Run(() => leecher.StopAsync());
        }
    }
}
