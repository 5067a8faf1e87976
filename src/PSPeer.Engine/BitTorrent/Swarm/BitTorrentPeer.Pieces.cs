using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    // Whole pieces: assembling, hashing and storing, and what follows a good or a bad one (haves, strikes, bans, completion).
    public sealed partial class BitTorrentPeer
    {
        readonly Dictionary<int, PieceAssembly> _assemblies = new Dictionary<int, PieceAssembly>();
        readonly Stack<byte[]> _pieceBuffers = new Stack<byte[]>();
        // Pieces that failed with blocks from several peers, until a good copy tells who lied (see SuspectPiece).
        readonly Dictionary<int, SuspectPiece> _suspects = new Dictionary<int, SuspectPiece>();
        // Single-source pieces being re-fetched: when a block of each last arrived (or the re-fetch began).
        readonly Dictionary<int, DateTimeOffset> _refetchProgress = new Dictionary<int, DateTimeOffset>();

        byte[] RentPieceBuffer() => _pieceBuffers.Count > 0 ? _pieceBuffers.Pop() : new byte[Torrent.PieceLength];

        /// <summary>Under _gate: takes a fully received piece's assembly out, for <see cref="VerifyAsync"/>; null if gone.</summary>
        PieceAssembly TakeAssembly(int piece)
        {
            if (!_assemblies.TryGetValue(piece, out var assembly)) return null;
            _assemblies.Remove(piece);
            return assembly;
        }

        /// <summary>
        /// Hashes and writes a fully received piece (taken by the read loop under the lock it already held, so this
        /// takes the lock once, after the write), off the lock and, live, off the read loop's thread.
        /// </summary>
        async Task VerifyAsync(PieceAssembly assembly)
        {
            int piece = assembly.Piece;
            // Live: let the read loop go on while this piece is hashed elsewhere. Simulated: runs next on the loop.
            await Task.Yield();
            bool ok;
            try
            {
                ok = await _storage.WritePieceAsync(piece, assembly.Buffer, 0, Stopping);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                lock (_gate)
                {
                    _picker.PieceFailed(piece);
                    DropRequestsFor(piece, true);
                    if (!Stopping.IsCancellationRequested && HasEventObservers)
                        Emit(PeerEventTypes.PieceFailed, null, $"piece {piece} could not be stored: {e.Message}", D("Piece", piece), D("Reason", e.Message));
                    _pieceBuffers.Push(assembly.Buffer);
                }
                return;
            }
            bool completedNow = false;
            lock (_gate)
            {
                if (ok) completedNow = OnPieceVerified(piece, assembly);
                else OnPieceFailed(piece, assembly);
                _pieceBuffers.Push(assembly.Buffer);
                // In batches, as after blocks: a connection that has nothing outstanding is short a whole pipeline.
                foreach (var c in _connections.ToArray()) FillRequests(c, inBatches: true);
            }
            if (!completedNow) return;
            try
            {
                await PromoteAsync(Stopping);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Verified data that cannot be moved is still verified, and still seeded from its partial name.
                if (!Stopping.IsCancellationRequested && HasEventObservers)
                    Emit(PeerEventTypes.FinalNameTaken, null, $"{Torrent.Name} is complete but could not be moved to its final name: {e.Message}",
                        D("Path", _storage.FinalPath), D("PartialPath", _storage.PartialPath), D("Reason", e.Message));
            }
            // After the move: stopping disposes the storage. Not tracked: the stop waits for every tracked task, and
            // would wait for itself.
            if (!_options.SeedWhenComplete) _ = StopAfterCompletionAsync();
            _completed.TrySetResult(true);
        }

        /// <summary>Records a good piece; true when it was the last one.</summary>
        bool OnPieceVerified(int piece, PieceAssembly assembly)
        {
            _picker.PieceVerified(piece);
            ConvictLiars(piece, assembly);
            // Duplicates to cancel exist only once endgame asked twice; before, walking every connection's requests for
            // each verified piece was 3% of a download's CPU.
            if (_picker.HasAskedTwice) DropRequestsFor(piece, true);
            var seeds = new List<SwarmConnection>();
            // Have goes to everyone, also to peers that have the piece: without it they could not tell when we are
            // both complete, and their availability counts would be wrong.
            foreach (var c in _connections)
            {
                if (c.PeerHas[piece] && --c.Interesting == 0) SetInterested(c, false);
                c.Send(PeerMessage.Have(piece));
            }
            if (HasEventObservers)
            {
                // Who sent it, exactly: Receive-PeerFile's Sources are built from these.
                var senders = assembly.Senders();
                var endPoints = new string[senders.Count];
                var peerIds = new string[senders.Count];
                for (int i = 0; i < senders.Count; i++) { endPoints[i] = senders[i].Remote; peerIds[i] = senders[i].PeerIdHex; }
                Emit(PeerEventTypes.PieceVerified, senders.Count == 1 ? senders[0].Remote : null,
                    $"piece {piece} verified ({_picker.Have.SetCount}/{Torrent.PieceCount})",
                    D("Piece", piece), D("Have", _picker.Have.SetCount), D("Sources", endPoints), D("PeerIds", peerIds));
            }
            if (!_picker.Have.AllSet) return false;

            CompletedAt = Runtime.Clock.Now;
            if (HasEventObservers)
                Emit(PeerEventTypes.Completed, null, $"{Torrent.Name} complete: {Torrent.TotalSize} bytes in {(CompletedAt.Value - StartTime).TotalSeconds:0.###} s",
                    D("Bytes", Torrent.TotalSize), D("Seconds", (CompletedAt.Value - StartTime).TotalSeconds));
            foreach (var c in _connections) if (c.PeerHas.AllSet) seeds.Add(c);
            foreach (var c in seeds) Close(c, "both ends are complete", false);
            Track(AnnounceCompletedAsync());
            return true;
        }

        async Task StopAfterCompletionAsync()
        {
            await Task.Yield();
            try { await StopAsync(); }
            catch (Exception) { /* the node reports its own stop; nobody awaits this task */ }
        }

        /// <summary>
        /// A piece is bad. If one peer sent all of it, that peer lied: banned. If several did, nobody can be blamed yet
        /// (banning them all would ban honest peers that shared a piece with a liar): the blocks are remembered and
        /// the piece is fetched again from one peer, which either sends a good copy (that convicts whoever sent a
        /// different block before) or a bad one alone (and is banned).
        /// </summary>
        void OnPieceFailed(int piece, PieceAssembly assembly)
        {
            _picker.PieceFailed(piece);
            DropRequestsFor(piece, true);
            var senders = assembly.SenderIds();
            if (HasEventObservers)
                Emit(PeerEventTypes.PieceFailed, null, $"piece {piece} failed its hash check; sent by {senders.Count} peer(s)",
                    D("Piece", piece), D("Peers", string.Join(",", senders)));
            if (senders.Count == 1)
            {
                Ban(senders[0], $"sent all of piece {piece}, which failed its hash");
                return;
            }
            if (!_suspects.TryGetValue(piece, out var suspect)) _suspects[piece] = suspect = new SuspectPiece();
            suspect.Record(assembly, Torrent.GetPieceSize(piece));
            _picker.SetSingleSource(piece);
            _refetchProgress[piece] = Runtime.Clock.Now;
        }

        /// <summary>
        /// Once a tick: a single-source piece whose owner has sent none of it for SnubTime goes to another peer, so a
        /// peer that takes the re-fetch and sits on it (answering other requests, or only keep-alives) cannot stall it.
        /// </summary>
        void EvictStalledOwners(DateTimeOffset now)
        {
            if (_refetchProgress.Count == 0) return;
            List<int> stalled = null;
            foreach (var kv in _refetchProgress)
                if (now - kv.Value > SnubTime) (stalled ?? (stalled = new List<int>())).Add(kv.Key);
            if (stalled == null) return;
            foreach (int piece in stalled)
            {
                _refetchProgress[piece] = now;
                int owner = _picker.OwnerOf(piece);
                if (owner < 0) continue;
                var c = _connections.Find(x => x.Id == owner);
                if (c != null)
                {
                    var drop = new List<BlockRequest>();
                    foreach (var r in c.Outstanding.Values) if (r.Piece == piece) drop.Add(r);
                    foreach (var r in drop)
                    {
                        c.Outstanding.Remove(r.Key);
                        _picker.Release(r.Piece, r.Begin);
                        c.Send(PeerMessage.Cancel(r.Piece, r.Begin, r.Length));
                    }
                }
                // No event: PieceFailed means a hash mismatch; what follows (verified, or a ban) is reported.
                _picker.EvictOwner(piece);
            }
        }

        /// <summary>A piece that failed before is good now: whoever sent a block that differs from it lied.</summary>
        void ConvictLiars(int piece, PieceAssembly good)
        {
            _refetchProgress.Remove(piece);
            if (!_suspects.TryGetValue(piece, out var suspect)) return;
            _suspects.Remove(piece);
            foreach (var liar in suspect.FindLiars(good.Buffer, Torrent.GetPieceSize(piece)))
                Ban(liar, $"sent a block of piece {piece} that differs from the verified copy");
        }

        void Ban(string peerIdHex, string reason)
        {
            if (!_bannedPeerIds.Add(peerIdHex)) return;
            var c = _connections.Find(x => x.PeerIdHex == peerIdHex);
            if (c?.Dialled != null) { _bannedEndPoints.Add(c.Dialled); _redial.Ban(c.Dialled); }
            if (HasEventObservers) Emit(PeerEventTypes.PeerBanned, c?.Remote, reason, D("PeerId", peerIdHex), D("Reason", reason));
            if (c != null) Close(c, "banned: " + reason, false);
        }

        /// <summary>
        /// Forgets every request for a piece that is settled (verified, or failed and to be asked for afresh): endgame
        /// duplicates are cancelled at the peers when verified; after a failure they are stale and simply dropped.
        /// </summary>
        void DropRequestsFor(int piece, bool cancel)
        {
            List<long> drop = null;
            foreach (var c in _connections)
            {
                if (c.Outstanding.Count == 0) continue;
                drop?.Clear();
                foreach (var kv in c.Outstanding)
                    if (kv.Value.Piece == piece) (drop ?? (drop = new List<long>())).Add(kv.Key);
                if (drop == null || drop.Count == 0) continue;
                foreach (long key in drop)
                {
                    var r = c.Outstanding[key];
                    c.Outstanding.Remove(key);
                    if (cancel) c.Send(PeerMessage.Cancel(r.Piece, r.Begin, r.Length));
                }
            }
        }
    }
}
