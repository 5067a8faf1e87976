using System;
using System.Linq;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>Peers that lie, ask for what they should not, or send garbage; on the simulated runtime.</summary>
    public class SwarmBadPeerTests
    {
        const int PieceLength = 32 * 1024;

        /// <summary>Claims every piece and answers every request at once with bytes that fail the hash.</summary>
        static async Task RunLiarAsync(IListener listener, TorrentMetainfo torrent, Action accepted)
        {
            while (true)
            {
                RawPeer peer;
                try { peer = await RawPeer.AcceptAsync(listener, torrent, "-XX0001-liar"); }
                catch (Exception) { return; }
                accepted();
                var all = new Bitfield(torrent.PieceCount);
                all.SetAll();
                await peer.SendAsync(PeerMessage.BitfieldOf(all), PeerMessage.Unchoke);
                var garbage = new byte[BitTorrentConstants.BlockSize];
                for (int i = 0; i < garbage.Length; i++) garbage[i] = 0xEE;
                try
                {
                    while (true)
                    {
                        var request = await peer.NextAsync(PeerMessageType.Request);
                        if (request == null) break;
                        await peer.SendAsync(PeerMessage.Piece(request.Index, request.Begin, garbage, 0, request.Length));
                    }
                }
                catch (Exception) { }
                peer.Dispose();
            }
        }

        [Fact]
        public void A_peer_sending_corrupt_blocks_is_banned_and_the_download_completes_from_the_honest_seeder()
        {
            var w = new SwarmWorld(seed: 5, size: 20 * PieceLength + 1000, pieceLength: PieceLength);
            // The honest seeder is slow, so the liar gets many requests.
            var seeder = w.Seeder("seed", new SwarmOptions { UploadLimitBytesPerSecond = 64 * 1024 });
            var liarHost = w.Host("liar");
            int accepts = 0;
            IListener listener = null;
            w.Run(async () => listener = await liarHost.Transport.ListenAsync(SwarmWorld.PeerPort));
            w.Sim.Spawn(() => RunLiarAsync(listener, w.Torrent, () => accepts++));
            var leecher = w.Leecher("leech");
            w.Connect(leecher, "seed");
            w.Connect(leecher, "liar");
            w.Run(() => leecher.WhenCompleted(), 120);

            Assert.Equal(w.Content, w.Downloaded("leech"));
            var failed = w.Events.Where(e => e.Node == "leech" && e.Type == PeerEventTypes.PieceFailed).ToList();
            Assert.NotEmpty(failed);
            var banned = Assert.Single(w.Events, e => e.Node == "leech" && e.Type == PeerEventTypes.PeerBanned);
            Assert.Equal(PeerIdentity.Hex(RawPeer.Id("-XX0001-liar")), banned["PeerId"]);
            Assert.DoesNotContain(leecher.Peers, p => p.Client == "XX0001");
            // Banned for good: adding it again is refused after the handshake, and it is never dialled again.
            w.Run(() => leecher.AddPeerAsync(w.AddressOf("liar")));
            Assert.DoesNotContain(leecher.Peers, p => p.Client == "XX0001");
            listener.Dispose();
        }

        /// <summary>
        /// Claims every piece and answers every request at once with the true bytes, except that it corrupts the last
        /// block of a piece whose other blocks it was not asked for: a liar that hides in pieces shared with an honest peer.
        /// </summary>
        static async Task RunSubtleLiarAsync(IPeerRuntime host, IListener listener, TorrentMetainfo torrent, byte[] content, bool stallRefetches = false)
        {
            RawPeer peer;
            try { peer = await RawPeer.AcceptAsync(listener, torrent, "-XX0003-subtle"); }
            catch (Exception) { return; }
            var all = new Bitfield(torrent.PieceCount);
            all.SetAll();
            await peer.SendAsync(PeerMessage.BitfieldOf(all), PeerMessage.Unchoke);
            var block = new byte[BitTorrentConstants.BlockSize];
            var askedBefore = new System.Collections.Generic.Dictionary<int, int>();
            var answered = new System.Collections.Generic.HashSet<long>();
            try
            {
                while (true)
                {
                    var request = await peer.NextAsync(PeerMessageType.Request);
                    if (request == null) break;
                    askedBefore.TryGetValue(request.Index, out int asked);
                    askedBefore[request.Index] = asked + 1;
                    // A block asked for again is a re-fetch after a failed piece: a staller takes it and never answers.
                    if (stallRefetches && !answered.Add(BlockRequest.KeyOf(request.Index, request.Begin))) continue;
                    Buffer.BlockCopy(content, request.Index * torrent.PieceLength + request.Begin, block, 0, request.Length);
                    bool last = request.Begin + request.Length == torrent.GetPieceSize(request.Index);
                    if (last && asked + 1 < (torrent.GetPieceSize(request.Index) + BitTorrentConstants.BlockSize - 1) / BitTorrentConstants.BlockSize)
                        block[0] ^= 0xFF;
                    await host.Clock.Delay(TimeSpan.FromMilliseconds(20));   // slower than the seeder: few blocks of each piece
                    await peer.SendAsync(PeerMessage.Piece(request.Index, request.Begin, block, 0, request.Length));
                }
            }
            catch (Exception) { }
            peer.Dispose();
        }

        /// <summary>
        /// A leecher between an honest, upload-limited seeder and a subtle liar (rates close enough that their blocks
        /// mix within pieces), dialled in the given order; runs until the leecher completes and checks its bytes and
        /// that the liar, and only the liar, is banned.
        /// </summary>
        static SwarmWorld DownloadBesideSubtleLiar(bool stallRefetches, bool liarFirst)
        {
            var w = new SwarmWorld(seed: 21, size: 16 * 128 * 1024, pieceLength: 128 * 1024);
            var seeder = w.Seeder("seed", new SwarmOptions { UploadLimitBytesPerSecond = 256 * 1024 });
            var liarHost = w.Host("liar");
            IListener listener = null;
            w.Run(async () => listener = await liarHost.Transport.ListenAsync(SwarmWorld.PeerPort));
            w.Sim.Spawn(() => RunSubtleLiarAsync(liarHost, listener, w.Torrent, w.Content, stallRefetches));
            var leecher = w.Leecher("leech");
            foreach (var name in liarFirst ? new[] { "liar", "seed" } : new[] { "seed", "liar" }) w.Connect(leecher, name);
            w.Run(() => leecher.WhenCompleted(), 600);
            listener.Dispose();

            Assert.Equal(w.Content, w.Downloaded("leech"));
            var banned = Assert.Single(w.Events, e => e.Node == "leech" && e.Type == PeerEventTypes.PeerBanned);
            Assert.Equal(PeerIdentity.Hex(RawPeer.Id("-XX0003-subtle")), banned["PeerId"]);
            return w;
        }

        [Fact]
        public void An_honest_peer_sharing_failed_pieces_with_a_liar_is_never_banned_and_the_liar_is()
        {
            // Before per-block blame, three shared failures banned both peers and the download never completed.
            var w = DownloadBesideSubtleLiar(stallRefetches: false, liarFirst: false);
            // Pieces failed with both peers' blocks in them: the test exercises the shared-blame case.
            Assert.Contains(w.Events, e => e.Node == "leech" && e.Type == PeerEventTypes.PieceFailed && ((string)e["Peers"]).Contains(","));
        }

        [Fact]
        public void A_liar_that_takes_the_refetch_of_a_failed_piece_and_never_answers_does_not_stall_the_download() =>
            DownloadBesideSubtleLiar(stallRefetches: true, liarFirst: true);

        [Fact]
        public void A_peer_that_holds_the_refetch_of_a_failed_piece_without_sending_it_loses_it_to_another_peer()
        {
            // One piece of two blocks. A sends block 0 and chokes; B sends a corrupt block 1: the piece fails with two
            // senders and is re-fetched from one peer. B (the only one unchoked) takes it and never answers, keeping
            // the connection alive; A unchokes again. The piece must not wait on B forever.
            var w = new SwarmWorld(seed: 23, size: 2 * BitTorrentConstants.BlockSize, pieceLength: 2 * BitTorrentConstants.BlockSize);
            var leecher = w.Leecher("leech");
            var all = new Bitfield(1);
            all.SetAll();
            var hostA = w.Host("a");
            var hostB = w.Host("b");
            bool aChoked = false;
            w.Sim.Spawn(async () =>
            {
                var a = await RawPeer.ConnectAsync(hostA, w.AddressOf("leech"), w.Torrent, "-XX0004-honest");
                await a.SendAsync(PeerMessage.BitfieldOf(all), PeerMessage.Unchoke);
                var first = await a.NextAsync(PeerMessageType.Request);
                await a.SendAsync(PeerMessage.Piece(0, 0, w.Content, 0, BitTorrentConstants.BlockSize), PeerMessage.Choke);
                aChoked = true;
                await hostA.Clock.Delay(TimeSpan.FromSeconds(5));
                await a.SendAsync(PeerMessage.Unchoke);
                while (true)
                {
                    var r = await a.NextAsync(PeerMessageType.Request);
                    if (r == null) return;
                    await a.SendAsync(PeerMessage.Piece(r.Index, r.Begin, w.Content, r.Begin, r.Length));
                }
            });
            w.Sim.Spawn(async () =>
            {
                var b = await RawPeer.ConnectAsync(hostB, w.AddressOf("leech"), w.Torrent, "-XX0005-holder");
                await b.SendAsync(PeerMessage.BitfieldOf(all));
                while (!aChoked) await hostB.Clock.Delay(TimeSpan.FromMilliseconds(100));
                await b.SendAsync(PeerMessage.Unchoke);
                var r = await b.NextAsync(PeerMessageType.Request);
                await b.SendAsync(PeerMessage.Piece(r.Index, r.Begin, new byte[r.Length], 0, r.Length));
                // From now on: requests are read and never answered; keep-alives keep the connection open.
                _ = DrainAsync();   // on the loop: started here, it continues on the simulation's context
                async Task DrainAsync() { while (await b.NextAsync(PeerMessageType.Piece) != null) { } }
                while (true)
                {
                    await hostB.Clock.Delay(TimeSpan.FromSeconds(20));
                    try { await b.SendAsync(PeerMessage.KeepAlive); } catch (Exception) { return; }
                }
            });
            w.Run(() => leecher.WhenCompleted(), 300);

            Assert.Equal(w.Content, w.Downloaded("leech"));
            var failed = Assert.Single(w.Events, e => e.Node == "leech" && e.Type == PeerEventTypes.PieceFailed);
            Assert.Contains(",", (string)failed["Peers"]);
            var banned = Assert.Single(w.Events, e => e.Node == "leech" && e.Type == PeerEventTypes.PeerBanned);
            Assert.Equal(PeerIdentity.Hex(RawPeer.Id("-XX0005-holder")), banned["PeerId"]);
        }

        /// <summary>A leecher resuming with the first half of the file on disk and the rest zeros.</summary>
        static (SwarmWorld, BitTorrentPeer) HalfDone()
        {
            var w = new SwarmWorld(seed: 9, size: 8 * PieceLength, pieceLength: PieceLength);
            var partial = new byte[w.Content.Length];
            Buffer.BlockCopy(w.Content, 0, partial, 0, 4 * PieceLength);
            // Under the partial name, where an interrupted download leaves it (a half-valid file at the final name is
            // not ours to write to: PieceStorageTests).
            w.Host("half").MemoryStorage.WriteFile("/dl/file.bin" + PieceStorage.PartialSuffix, partial);
            var node = w.Leecher("half");
            return (w, node);
        }

        [Fact]
        public void A_leecher_resumes_from_the_pieces_already_on_disk()
        {
            var (w, half) = HalfDone();
            Assert.Equal(4, half.Have.SetCount);
            Assert.Equal(new[] { true, true, true, true, false, false, false, false }, Enumerable.Range(0, 8).Select(i => half.Have[i]));
            var seeder = w.Seeder("seed");
            w.Connect(half, "seed");
            w.Run(() => half.WhenCompleted());
            Assert.Equal(w.Content, w.Downloaded("half"));
            Assert.Equal(4, w.Events.Count(e => e.Node == "half" && e.Type == PeerEventTypes.PieceVerified));
            Assert.Equal(4L * PieceLength, seeder.Uploaded);   // only the missing half crossed the wire
        }

        [Fact]
        public void Requests_for_pieces_we_lack_are_dropped_and_requests_out_of_range_close_the_connection()
        {
            var (w, half) = HalfDone();
            var clientHost = w.Host("client");
            w.Run(async () =>
            {
                var raw = await RawPeer.ConnectAsync(clientHost, w.AddressOf("half"), w.Torrent);
                var bitfield = await raw.NextAsync(PeerMessageType.Bitfield);
                Assert.Equal(new byte[] { 0xF0 }, bitfield.Data.Skip(bitfield.DataOffset).Take(bitfield.DataCount));
                await raw.SendAsync(PeerMessage.Interested);
                Assert.NotNull(await raw.NextAsync(PeerMessageType.Unchoke));

                // Piece 6 is missing there: no answer. Piece 1 is there: its block comes (and proves 6 was skipped, not queued).
                await raw.SendAsync(PeerMessage.Request(6, 0, BitTorrentConstants.BlockSize), PeerMessage.Request(1, 0, BitTorrentConstants.BlockSize));
                var block = await raw.NextAsync(PeerMessageType.Piece);
                Assert.Equal(1, block.Index);
                Assert.Equal(w.Content.Skip(PieceLength).Take(BitTorrentConstants.BlockSize), block.Data.Skip(block.DataOffset).Take(block.DataCount));
                Assert.Equal(1, half.RequestsRefused);

                // Past the end of piece 1: a protocol violation, the connection closes.
                await raw.SendAsync(PeerMessage.Request(1, PieceLength - 100, BitTorrentConstants.BlockSize));
                Assert.Null(await raw.NextAsync(PeerMessageType.Piece));
                raw.Dispose();
            });
            Assert.Single(w.Events, e => e.Node == "half" && e.Type == PeerEventTypes.MalformedMessage);
            Assert.Empty(half.Peers);
        }

        [Fact]
        public void A_malformed_message_closes_that_connection_only()
        {
            var w = new SwarmWorld(seed: 11, size: 40 * PieceLength, pieceLength: PieceLength);
            var seeder = w.Seeder("seed", new SwarmOptions { UploadLimitBytesPerSecond = 256 * 1024 });
            var leecher = w.Leecher("leech");
            w.Connect(leecher, "seed");
            var attacker = w.Host("attacker");
            w.Run(async () =>
            {
                var raw = await RawPeer.ConnectAsync(attacker, w.AddressOf("seed"), w.Torrent);
                // A 1 GiB length prefix: refused before anything is allocated for it.
                await raw.SendRawAsync(new byte[] { 0x40, 0, 0, 0, 7 });
                Assert.Null(await raw.NextAsync(PeerMessageType.Piece));
                raw.Dispose();
            });
            var malformed = Assert.Single(w.Events, e => e.Node == "seed" && e.Type == PeerEventTypes.MalformedMessage);
            Assert.StartsWith(attacker.HostAddress, malformed.Remote);
            w.Run(() => leecher.WhenCompleted(), 60);
            Assert.Equal(w.Content, w.Downloaded("leech"));
            Assert.Equal(NodeState.Running, seeder.State);
        }

        /// <summary>Serves correct blocks, each two seconds after it was asked for; counts the cancels it receives.</summary>
        static async Task RunSlowSeederAsync(PSPeer.Engine.Runtime.Simulated.SimulatedHost host, IListener listener, TorrentMetainfo torrent, byte[] content,
            System.Collections.Generic.List<PeerMessage> cancels)
        {
            var peer = await RawPeer.AcceptAsync(listener, torrent, "-XX0002-slow");
            var all = new Bitfield(torrent.PieceCount);
            all.SetAll();
            await peer.SendAsync(PeerMessage.BitfieldOf(all), PeerMessage.Unchoke);
            var cancelled = new System.Collections.Generic.HashSet<long>();
            while (true)
            {
                PeerMessage m;
                try { m = await peer.Reader.ReadMessageAsync(System.Threading.CancellationToken.None); }
                catch (Exception) { break; }
                if (m == null) break;
                if (m.Type == PeerMessageType.Cancel) { cancels.Add(m); cancelled.Add(BlockRequest.KeyOf(m.Index, m.Begin)); }
                if (m.Type != PeerMessageType.Request) continue;
                var request = m;
                _ = ReplyLaterAsync();
                async Task ReplyLaterAsync()
                {
                    await host.Clock.Delay(TimeSpan.FromSeconds(2));
                    if (cancelled.Contains(BlockRequest.KeyOf(request.Index, request.Begin))) return;
                    try { await peer.SendAsync(PeerMessage.Piece(request.Index, request.Begin, content, request.Index * torrent.PieceLength + request.Begin, request.Length)); }
                    catch (Exception) { }
                }
            }
            peer.Dispose();
        }

        [Fact]
        public void Endgame_asks_the_fast_peer_for_what_the_slow_one_holds_and_cancels_the_duplicates()
        {
            var w = new SwarmWorld(seed: 13, size: 24 * PieceLength, pieceLength: PieceLength);
            var seeder = w.Seeder("seed", new SwarmOptions { UploadLimitBytesPerSecond = 400 * 1024 });
            var slowHost = w.Host("slow");
            IListener listener = null;
            var cancels = new System.Collections.Generic.List<PeerMessage>();
            w.Run(async () => listener = await slowHost.Transport.ListenAsync(SwarmWorld.PeerPort));
            w.Sim.Spawn(() => RunSlowSeederAsync(slowHost, listener, w.Torrent, w.Content, cancels));
            var leecher = w.Leecher("leech");
            w.Connect(leecher, "slow");
            w.Connect(leecher, "seed");
            var start = w.Sim.Now;
            w.Run(() => leecher.WhenCompleted(), 60);
            Assert.Equal(w.Content, w.Downloaded("leech"));
            Assert.NotEmpty(cancels);
            // The slow peer's two-second answers did not hold up the end: the fast seeder filled in.
            Assert.True((leecher.CompletedAt.Value - start).TotalSeconds < 24.0 * PieceLength / (400 * 1024) + 1.5);
            listener.Dispose();
        }

        [Fact]
        public void When_one_seeder_crashes_mid_download_the_other_finishes_it()
        {
            var w = new SwarmWorld(seed: 17, size: 40 * PieceLength, pieceLength: PieceLength);
            w.Seeder("seedA", new SwarmOptions { UploadLimitBytesPerSecond = 100 * 1024 });
            w.Seeder("seedB", new SwarmOptions { UploadLimitBytesPerSecond = 100 * 1024 });
            var leecher = w.Leecher("leech");
            w.Connect(leecher, "seedA");
            w.Connect(leecher, "seedB");
            w.Sim.RunFor(TimeSpan.FromSeconds(3));
            Assert.InRange(leecher.Progress, 0.05, 0.95);
            w.Hosts["seedB"].Crash();
            w.Run(() => leecher.WhenCompleted(), 60);
            Assert.Equal(w.Content, w.Downloaded("leech"));
            Assert.Contains(w.Events, e => e.Node == "leech" && e.Type == PeerEventTypes.PeerDisconnected && e.Remote.StartsWith(w.Hosts["seedB"].HostAddress));
            // Every verified piece names who sent it, so the sources are exact even for a peer that is gone by the end.
            var verified = w.Events.Where(e => e.Node == "leech" && e.Type == PeerEventTypes.PieceVerified).ToList();
            Assert.Equal(w.Torrent.PieceCount, verified.Count);
            Assert.All(verified, e => Assert.NotEmpty((string[])e["Sources"]));
            var sources = verified.SelectMany(e => (string[])e["Sources"]).Distinct().OrderBy(x => x).ToArray();
            Assert.Equal(new[] { w.AddressOf("seedA").ToString(), w.AddressOf("seedB").ToString() }, sources);
            var ids = verified.SelectMany(e => (string[])e["PeerIds"]).Distinct().ToArray();
            Assert.Equal(2, ids.Length);
        }
    }
}