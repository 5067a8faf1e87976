using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.Runtime;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>
    /// BEP 10's reqq both ways, on the simulated runtime: a node tells peers that speak BEP 10 how many requests it keeps
    /// queued (libtorrent otherwise keeps only 500 queued at us, which under load drained before it asked again), it
    /// keeps that promise when the peer has cancelled some, and as a leecher it keeps no more at a peer than that peer's reqq.
    /// </summary>
    public class SwarmExtensionHandshakeTests
    {
        const int PieceLength = 32 * 1024;

        /// <summary>Messages up to and including the first of <paramref name="until"/>.</summary>
        static async Task<List<PeerMessage>> ReadUntilAsync(RawPeer peer, PeerMessageType until)
        {
            var seen = new List<PeerMessage>();
            while (true)
            {
                var m = await peer.Reader.ReadMessageAsync(default);
                Assert.NotNull(m);
                seen.Add(m);
                if (m.Type == until) return seen;
            }
        }

        [Fact]
        public void A_seeder_tells_a_BEP10_peer_its_request_queue_after_its_bitfield_and_a_plain_peer_nothing()
        {
            var w = new SwarmWorld(seed: 21, size: 4 * PieceLength, pieceLength: PieceLength);
            w.Seeder("seed");
            var client = w.Host("client");
            w.Run(async () =>
            {
                var modern = await RawPeer.ConnectAsync(client, w.AddressOf("seed"), w.Torrent, "-XX0001-bep10", extensionProtocol: true);
                Assert.True(modern.Theirs.SupportsExtensionProtocol);
                var first = await modern.Reader.ReadMessageAsync(default);
                var second = await modern.Reader.ReadMessageAsync(default);
                Assert.Equal(PeerMessageType.Bitfield, first.Type);
                Assert.Equal(PeerMessageType.Extended, second.Type);
                Assert.Equal(ExtensionHandshake.MessageId, second.Index);
                Assert.Equal(2048, ExtensionHandshake.ReadRequestQueue(second.Data, second.DataOffset, second.DataCount));
                var d = (BDictionary)Bencode.Decode(second.Data, second.DataOffset, second.DataCount);
                Assert.Equal(0, d.GetDictionary("m").Count);   // no extension messages offered: none may come our way
                modern.Dispose();

                // A peer without the bit gets no extended message: what comes before the unchoke it asks for is the bitfield.
                var plain = await RawPeer.ConnectAsync(client, w.AddressOf("seed"), w.Torrent, "-XX0001-plain");
                Assert.True(plain.Theirs.SupportsExtensionProtocol);   // our handshake still says we speak it
                await plain.SendAsync(PeerMessage.Interested);
                var before = await ReadUntilAsync(plain, PeerMessageType.Unchoke);
                Assert.Equal(new[] { PeerMessageType.Bitfield, PeerMessageType.Unchoke }, before.ConvertAll(m => m.Type));
                plain.Dispose();
            });
        }

        [Fact]
        public void Requests_the_peer_cancelled_do_not_count_against_the_queue_it_was_promised_and_the_queue_stays_bounded()
        {
            // 1 byte/s: the send loop takes its first batch (16 blocks) and then waits on the limit for hours, so every
            // later request stays queued. Blocks of 16 KiB at every byte offset of piece 0 are distinct requests.
            var w = new SwarmWorld(seed: 22, size: 4 * PieceLength, pieceLength: PieceLength);
            var seeder = w.Seeder("seed", new SwarmOptions { UploadLimitBytesPerSecond = 1 });
            var client = w.Host("client");
            const int block = BitTorrentConstants.BlockSize, promised = 2048;
            PeerMessage Ask(int begin) => PeerMessage.Request(0, begin, block);
            PeerMessage Cancel(int begin) => PeerMessage.Cancel(0, begin, block);
            RawPeer raw = null;
            async Task SendAsync(int from, int count, Func<int, PeerMessage> make)
            {
                for (int i = from; i < from + count; i++) raw.Writer.Enqueue(make(i));
                await raw.Writer.FlushAsync(default);
                await client.Clock.Delay(TimeSpan.FromSeconds(1));   // handled by the seeder meanwhile
            }
            w.Run(async () =>
            {
                raw = await RawPeer.ConnectAsync(client, w.AddressOf("seed"), w.Torrent, "-XX0001-queue", extensionProtocol: true);
                await raw.SendAsync(PeerMessage.Interested);
                await ReadUntilAsync(raw, PeerMessageType.Unchoke);

                await SendAsync(0, promised, Ask);            // 16 taken into the batch, 2,032 queued
                Assert.Equal(0, seeder.RequestsRefused);
                await SendAsync(1000, 1000, Cancel);          // 1,000 of the queued ones cancelled: 1,032 live
                await SendAsync(3000, 1000, Ask);             // 2,032 live: every one kept, as reqq promised
                Assert.Equal(0, seeder.RequestsRefused);
                await SendAsync(5000, 20, Ask);               // 16 reach 2,048 live; the other 4 are refused
                Assert.Equal(4, seeder.RequestsRefused);

                // Cancelled entries wait in the queue until the send loop skips them: it never holds more than twice reqq.
                await SendAsync(0, promised, Cancel);         // the first 2,048 (those not taken) and
                await SendAsync(3000, 1000, Cancel);          // these: 16 live of 3,048 entries
                await SendAsync(7000, 1100, Ask);             // 1,048 more fit (4,096 entries), 52 refused
                Assert.Equal(4 + 52, seeder.RequestsRefused);
                raw.Dispose();
            }, seconds: 120);
        }

        [Fact]
        public void A_leecher_keeps_no_more_requests_at_a_peer_than_the_reqq_it_gave()
        {
            // The floor of the leecher's pipeline is 4 requests, so a peer that gives reqq 2 sees the cap or nothing.
            const int blocks = 32, reqq = 2;
            var w = new SwarmWorld(seed: 23, size: blocks * BitTorrentConstants.BlockSize, pieceLength: 2 * BitTorrentConstants.BlockSize);
            var leecher = w.Leecher("leech", new SwarmOptions { MaxRequestsPerPeer = 16 });
            var rawHost = w.Host("raw");
            IListener listener = null;
            w.Run(async () => listener = await rawHost.Transport.ListenAsync(SwarmWorld.PeerPort));
            int maxOutstanding = 0, requested = 0, answered = 0;
            var serve = w.Sim.Spawn(async () =>
            {
                var peer = await RawPeer.AcceptAsync(listener, w.Torrent, "-XX0001-reqq", extensionProtocol: true);
                var all = new Bitfield(w.Torrent.PieceCount);
                all.SetAll();
                var hello = ExtensionHandshake.Encode(reqq, "raw");
                await peer.SendAsync(PeerMessage.BitfieldOf(all), PeerMessage.Extended(ExtensionHandshake.MessageId, hello, 0, hello.Length), PeerMessage.Unchoke);
                var pending = new Queue<PeerMessage>();
                while (answered < blocks)
                {
                    // Time enough for the leecher to ask for all it would, then everything it sent (it asks again only
                    // after an answer, so with nothing pending a request is on its way).
                    await rawHost.Clock.Delay(TimeSpan.FromMilliseconds(200));
                    while (peer.Reader.Buffered > 0 || pending.Count == 0)
                    {
                        var m = await peer.Reader.ReadMessageAsync(default);
                        Assert.NotNull(m);
                        if (m.Type != PeerMessageType.Request) continue;
                        pending.Enqueue(m);
                        requested++;
                    }
                    maxOutstanding = Math.Max(maxOutstanding, requested - answered);
                    var r = pending.Dequeue();
                    var data = new byte[r.Length];
                    Buffer.BlockCopy(w.Content, r.Index * 2 * BitTorrentConstants.BlockSize + r.Begin, data, 0, r.Length);
                    await peer.SendAsync(PeerMessage.Piece(r.Index, r.Begin, data, 0, r.Length));
                    answered++;
                }
                peer.Dispose();
            });
            w.Connect(leecher, "raw");
            w.Run(() => leecher.WhenCompleted(), 120);
            w.Run(() => serve);
            Assert.Equal(w.Content, w.Downloaded("leech"));
            Assert.Equal(reqq, maxOutstanding);
            listener.Dispose();
            w.Run(() => leecher.StopAsync());
        }
    }
}
