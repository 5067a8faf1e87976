using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>
    /// A peer that opens with Message Stream Encryption (as aria2 always does) is answered, on the simulated runtime: the
    /// test plays the connecting side of the exchange byte by byte, as the specification has it, and then speaks plain
    /// BitTorrent over the same connection. Refusing it instead made aria2 dial again a second later.
    /// </summary>
    public class SwarmEncryptedHandshakeTests
    {
        const int PieceLength = 32 * 1024;
        const uint Plaintext = 1, Rc4Stream = 2;

        /// <summary>
        /// Steps 1 and 3 of the exchange, reading step 4's answer; returns the crypto_select the node chose. With
        /// <paramref name="handshakeInPayload"/> our BitTorrent handshake rides in the initial payload (libtorrent's
        /// way), else it follows in plaintext (aria2's).
        /// </summary>
        static async Task<uint> InitiateAsync(Stream stream, TorrentMetainfo torrent, IRandomSource random, uint provide, Handshake handshakeInPayload)
        {
            var privateKey = EncryptedHandshake.PrivateKey(random);
            var padA = new byte[random.Next(EncryptedHandshake.MaxPadLength + 1)];
            random.NextBytes(padA);
            var hello = new byte[EncryptedHandshake.KeyLength + padA.Length];
            EncryptedHandshake.WriteKey(EncryptedHandshake.PublicKey(privateKey), hello, 0);
            Buffer.BlockCopy(padA, 0, hello, EncryptedHandshake.KeyLength, padA.Length);
            await stream.WriteAsync(hello, 0, hello.Length);

            var theirKey = await ReadExactlyAsync(stream, EncryptedHandshake.KeyLength);
            var secret = EncryptedHandshake.Secret(EncryptedHandshake.ReadKey(theirKey, 0), privateKey);
            var skey = torrent.InfoHash.ToArray();
            var toThem = EncryptedHandshake.Cipher("keyA", secret, skey);
            var fromThem = EncryptedHandshake.Cipher("keyB", secret, skey);

            var ia = handshakeInPayload?.ToBytes() ?? new byte[0];
            int padC = random.Next(EncryptedHandshake.MaxPadLength + 1);
            var encrypted = new byte[EncryptedHandshake.VcLength + 4 + 2 + padC + 2 + ia.Length];
            encrypted[8] = (byte)(provide >> 24); encrypted[9] = (byte)(provide >> 16); encrypted[10] = (byte)(provide >> 8); encrypted[11] = (byte)provide;
            encrypted[12] = (byte)(padC >> 8); encrypted[13] = (byte)padC;
            encrypted[14 + padC] = (byte)(ia.Length >> 8); encrypted[15 + padC] = (byte)ia.Length;
            Buffer.BlockCopy(ia, 0, encrypted, 16 + padC, ia.Length);
            toThem.Apply(encrypted, 0, encrypted.Length);
            var step3 = EncryptedHandshake.Hash("req1", secret).Concat(EncryptedHandshake.TorrentMarker(skey, secret)).Concat(encrypted).ToArray();
            await stream.WriteAsync(step3, 0, step3.Length);

            // Step 4 starts with the encrypted VC somewhere behind their pad: find it a byte at a time.
            var vc = new byte[EncryptedHandshake.VcLength];
            fromThem.Apply(vc, 0, vc.Length);
            var seen = new System.Collections.Generic.List<byte>();
            while (seen.Count < vc.Length || !seen.Skip(seen.Count - vc.Length).SequenceEqual(vc))
            {
                Assert.True(seen.Count <= EncryptedHandshake.MaxPadLength + vc.Length, "no VC in the answer");
                seen.Add((await ReadExactlyAsync(stream, 1))[0]);
            }
            var selectAndPad = await ReadExactlyAsync(stream, 6);
            fromThem.Apply(selectAndPad, 0, 6);
            uint select = (uint)(selectAndPad[0] << 24 | selectAndPad[1] << 16 | selectAndPad[2] << 8 | selectAndPad[3]);
            int padD = selectAndPad[4] << 8 | selectAndPad[5];
            await ReadExactlyAsync(stream, padD);
            return select;
        }

        static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
        {
            var buffer = new byte[count];
            for (int got = 0; got < count;)
            {
                int n = await stream.ReadAsync(buffer, got, count - got);
                if (n <= 0) throw new IOException($"closed after {got} of {count} bytes");
                got += n;
            }
            return buffer;
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_seeder_answers_an_encrypted_handshake_with_plaintext_and_then_serves_a_block(bool handshakeInPayload)
        {
            var w = new SwarmWorld(seed: 31, size: 4 * PieceLength, pieceLength: PieceLength);
            w.Seeder("seed");
            var client = w.Host("client");
            w.Run(async () =>
            {
                var seed = w.AddressOf("seed");
                var connection = await client.Transport.ConnectAsync(seed.Host, seed.Port);
                var ours = new Handshake(w.Torrent.InfoHash, RawPeer.Id("-XX0001-mse"));
                uint select = await InitiateAsync(connection.Stream, w.Torrent, new SeededRandom(7), Plaintext | Rc4Stream, handshakeInPayload ? ours : null);
                Assert.Equal(Plaintext, select);

                // Plain BitTorrent from here on, both ways.
                var reader = new PeerWireReader(connection.Stream) { PieceCount = w.Torrent.PieceCount };
                var writer = new PeerWireWriter(connection.Stream);
                if (!handshakeInPayload) await writer.WriteHandshakeAsync(ours, CancellationToken.None);
                var theirs = await reader.ReadHandshakeAsync(CancellationToken.None);
                Assert.Equal(w.Torrent.InfoHash, theirs.InfoHash);
                writer.Enqueue(PeerMessage.Interested);
                writer.Enqueue(PeerMessage.Request(1, 0, BitTorrentConstants.BlockSize));
                await writer.FlushAsync(CancellationToken.None);
                PeerMessage m;
                do m = await reader.ReadMessageAsync(CancellationToken.None);
                while (m != null && m.Type != PeerMessageType.Piece);
                Assert.NotNull(m);
                Assert.Equal(w.Content.Skip(PieceLength).Take(BitTorrentConstants.BlockSize), m.Data.Skip(m.DataOffset).Take(m.DataCount));
                connection.Dispose();
            });
            Assert.DoesNotContain(w.Events, e => e.Type == PeerEventTypes.MalformedMessage);
        }

        [Fact]
        public void A_peer_that_will_only_have_an_RC4_stream_is_refused_and_said_to_be_malformed()
        {
            var w = new SwarmWorld(seed: 32, size: 4 * PieceLength, pieceLength: PieceLength);
            w.Seeder("seed");
            var client = w.Host("client");
            w.Run(async () =>
            {
                var seed = w.AddressOf("seed");
                var connection = await client.Transport.ConnectAsync(seed.Host, seed.Port);
                await Assert.ThrowsAnyAsync<IOException>(() => InitiateAsync(connection.Stream, w.Torrent, new SeededRandom(8), Rc4Stream, null));
                connection.Dispose();
            });
            Assert.Contains(w.Events, e => e.Type == PeerEventTypes.MalformedMessage && e.Message.Contains("RC4"));
        }
    }
}
