// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Wire
{
    public class PeerWireSimulationTests
    {
        [Fact]
        public void Handshake_bitfield_and_a_whole_piece_cross_a_lossy_simulated_link_into_the_reader_s_piece_buffer()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 7, Loss = 0.05, BandwidthBytesPerSecond = 1_000_000, SegmentSize = 1400 });
            var seeder = sim.AddHost("seeder");
            var leecher = sim.AddHost("leecher");
            var hash = new InfoHash(Enumerable.Repeat((byte)0xAB, 20).ToArray());
            var peerId = Encoding.ASCII.GetBytes("-PS0100-000000000001");
            var piece = new byte[256 * 1024];
            new Random(3).NextBytes(piece);
            var have = new Bitfield(100);
            have.SetAll();

            var listening = sim.Spawn(() => seeder.Transport.ListenAsync(0));
            Assert.True(sim.RunUntilCompleted(listening, TimeSpan.FromMinutes(1)));
            IListener listener = listening.Result;

            // The seeder sends; the leecher's reader puts every block into its piece buffer.
            var sending = sim.Spawn(async () =>
            {
                using (var c = await listener.AcceptAsync())
                {
                    var writer = new PeerWireWriter(c.Stream);
                    writer.EnqueueHandshake(new Handshake(hash, peerId));
                    writer.Enqueue(PeerMessage.BitfieldOf(have));
                    await writer.FlushAsync(default);
                    for (int begin = 0; begin < piece.Length; begin += BitTorrentConstants.BlockSize)
                    {
                        writer.Enqueue(PeerMessage.Piece(42, begin, piece, begin, BitTorrentConstants.BlockSize));
                        if (begin % (4 * BitTorrentConstants.BlockSize) == 0) await writer.FlushAsync(default);
                    }
                    writer.Enqueue(PeerMessage.KeepAlive);
                    await writer.FlushAsync(default);
                    return writer.BytesWritten;
                }
            });
            var assembled = new byte[piece.Length];
            var receiving = sim.Spawn(async () =>
            {
                using (var c = await leecher.Transport.ConnectAsync(seeder.HostAddress, listener.Port))
                {
                    var reader = new PeerWireReader(c.Stream);
                    var handshake = await reader.ReadHandshakeAsync(default);
                    reader.PieceCount = 100;
                    reader.BlockBuffer = (index, begin, length) => new ArraySegment<byte>(assembled, begin, length);
                    var types = new List<PeerMessageType>();
                    PeerMessage m;
                    while ((m = await reader.ReadMessageAsync(default)) != null) types.Add(m.Type);
                    return (handshake, types, reader.BytesRead);
                }
            });
            Assert.True(sim.RunUntilCompleted(receiving, TimeSpan.FromMinutes(5)));
            var (got, messageTypes, bytesRead) = receiving.Result;

            Assert.Equal(hash, got.InfoHash);
            Assert.Equal(peerId, got.PeerId);
            Assert.Equal(PeerMessageType.Bitfield, messageTypes[0]);
            Assert.Equal(16, messageTypes.Count(t => t == PeerMessageType.Piece));
            Assert.Equal(PeerMessageType.KeepAlive, messageTypes.Last());
            Assert.Equal(piece, assembled);
            Assert.Equal(sending.Result, bytesRead);
        }
    }
}
