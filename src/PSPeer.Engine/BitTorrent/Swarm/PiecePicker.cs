using System;
using System.Collections.Generic;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Which blocks to ask a peer for, without I/O. Keeps how many connected peers have each piece and the state of
    /// every block of the pieces under way. Order of choice, per BEP 3 and the original client:
    /// <list type="number">
    /// <item>blocks of pieces already under way (strict priority: finished pieces are what we can trade);</item>
    /// <item>while we hold fewer than a few pieces, a random piece (rarest-first would make every newcomer wait on
    ///   the same rare piece; a random one gets it something to trade fast);</item>
    /// <item>then the rarest piece the peer has, ties broken at random;</item>
    /// <item>endgame, once every missing block is requested: blocks already requested elsewhere, so the last pieces
    ///   do not wait on the slowest peer (the node cancels the duplicates when a block arrives).</item>
    /// </list>
    /// A piece marked single-source (it failed with blocks from several peers) is fetched from one requester at a
    /// time, so the next copy either passes or convicts its one sender.
    /// Not thread-safe: the node calls it under its lock. Deterministic for a given random source.
    /// </summary>
    public sealed class PiecePicker
    {
        readonly int _pieceCount;
        readonly int _pieceLength;
        readonly long _totalSize;
        readonly IRandomSource _random;
        readonly int _randomFirstPieces;
        readonly int[] _availability;
        readonly Bitfield _have;
        // Pieces we lack that are not under way: what a new piece is chosen from. Kept in wire layout beside the peers'
        // bitfields so the choice ANDs them a byte at a time instead of testing every piece (see RarestNewPiece).
        readonly Bitfield _startable;
        readonly PartialPiece[] _partial;          // by piece index; null when not under way
        readonly List<int> _underWay = new List<int>();   // pieces in the order they were started (deterministic scan)
        readonly bool[] _singleSource;             // by piece: only its owner (the requester that started it) may ask
        readonly int[] _evicted;                   // by piece: the owner evicted for not delivering, never owner again
        int _unrequestedBlocks;                    // blocks of missing pieces that nobody has been asked for

        public PiecePicker(int pieceCount, int pieceLength, long totalSize, Bitfield have, IRandomSource random, int randomFirstPieces = 4)
        {
            if (pieceCount < 1) throw new ArgumentOutOfRangeException(nameof(pieceCount));
            if (pieceLength < 1) throw new ArgumentOutOfRangeException(nameof(pieceLength));
            if (have == null) throw new ArgumentNullException(nameof(have));
            if (have.Count != pieceCount) throw new ArgumentException("The bitfield must have one bit per piece.", nameof(have));
            _pieceCount = pieceCount;
            _pieceLength = pieceLength;
            _totalSize = totalSize;
            _random = random ?? throw new ArgumentNullException(nameof(random));
            _randomFirstPieces = randomFirstPieces;
            _availability = new int[pieceCount];
            _have = have.Clone();
            _startable = new Bitfield(pieceCount);
            _partial = new PartialPiece[pieceCount];
            _singleSource = new bool[pieceCount];
            _evicted = new int[pieceCount];
            for (int i = 0; i < pieceCount; i++) _evicted[i] = -1;
            for (int i = 0; i < pieceCount; i++)
                if (!_have[i]) { _unrequestedBlocks += BlockCount(i); _startable.Set(i); }
        }

        public int PieceCount => _pieceCount;
        /// <summary>Verified pieces, as the picker knows them.</summary>
        public Bitfield Have => _have;
        /// <summary>Every missing block has been requested from someone: duplicates are allowed now.</summary>
        public bool IsEndgame => _unrequestedBlocks == 0 && !_have.AllSet;
        public int PiecesUnderWay => _underWay.Count;
        /// <summary>
        /// Whether endgame ever asked for a block a second time: until then no block is requested from two peers, so a
        /// piece that verifies has no request left anywhere and nothing to cancel.
        /// </summary>
        public bool HasAskedTwice { get; private set; }

        public int PieceSize(int piece) =>
            piece == _pieceCount - 1 ? (int)(_totalSize - (long)_pieceLength * (_pieceCount - 1)) : _pieceLength;

        public int BlockCount(int piece) => (PieceSize(piece) + BitTorrentConstants.BlockSize - 1) / BitTorrentConstants.BlockSize;

        public int BlockLength(int piece, int block) =>
            Math.Min(BitTorrentConstants.BlockSize, PieceSize(piece) - block * BitTorrentConstants.BlockSize);

        public int Availability(int piece) => _availability[piece];

        // ---- availability ----

        public void AddPeer(Bitfield peer)
        {
            if (peer.AllSet) { for (int i = 0; i < _pieceCount; i++) _availability[i]++; return; }
            for (int i = 0; i < _pieceCount; i++) if (peer[i]) _availability[i]++;
        }

        public void RemovePeer(Bitfield peer)
        {
            for (int i = 0; i < _pieceCount; i++) if (peer[i] && _availability[i] > 0) _availability[i]--;
        }

        public void AddHave(int piece) => _availability[piece]++;

        /// <summary>Whether the peer has a piece we lack.</summary>
        public bool IsInteresting(Bitfield peer)
        {
            if (_have.AllSet) return false;
            for (int i = 0; i < _pieceCount; i++) if (peer[i] && !_have[i]) return true;
            return false;
        }

        // ---- picking ----

        /// <summary>
        /// Chooses up to <paramref name="max"/> blocks to request from a peer that has <paramref name="peer"/>, marks
        /// them requested and adds them to <paramref name="into"/>. <paramref name="requestedFromPeer"/> says whether
        /// this peer already has a block outstanding (endgame must not ask one peer twice). <paramref name="requester"/>
        /// names the connection (non-negative) for single-source pieces; -1 = anonymous, bound by no ownership.
        /// Returns how many it added.
        /// </summary>
        public int Pick(Bitfield peer, int max, Func<long, bool> requestedFromPeer, List<BlockRequest> into, int requester = -1)
        {
            if (max <= 0 || _have.AllSet) return 0;
            int added = 0;
            // 1. pieces under way
            for (int i = 0; i < _underWay.Count && added < max; i++)
            {
                int piece = _underWay[i];
                // Pieces whose blocks are all asked for stay under way until verified: skip them without a call.
                // (Single-source pieces always go through TakeUnrequested, which also settles their owner.)
                if (_partial[piece].FirstUnrequested >= _partial[piece].Received.Length && !_singleSource[piece]) continue;
                if (peer[piece] && MayTake(piece, requester)) added += TakeUnrequested(piece, max - added, into, requester);
            }
            // 2./3. new pieces
            while (added < max && _unrequestedBlocks > 0)
            {
                int piece = _have.SetCount < _randomFirstPieces ? RandomNewPiece(peer, requester) : RarestNewPiece(peer, requester);
                if (piece < 0) break;
                Start(piece);
                added += TakeUnrequested(piece, max - added, into, requester);
            }
            // 4. endgame
            if (added < max && _unrequestedBlocks == 0)
            {
                // Blocks taken above in this call are not yet in the caller's outstanding set.
                HashSet<long> justTaken = null;
                if (added > 0)
                {
                    justTaken = new HashSet<long>();
                    for (int k = into.Count - added; k < into.Count; k++) justTaken.Add(into[k].Key);
                }
                for (int i = 0; i < _underWay.Count && added < max; i++)
                {
                    int piece = _underWay[i];
                    if (!peer[piece] || !MayTake(piece, requester)) continue;
                    var p = _partial[piece];
                    for (int b = 0; b < p.Received.Length && added < max; b++)
                    {
                        if (p.Received[b]) continue;
                        int begin = b * BitTorrentConstants.BlockSize;
                        long key = BlockRequest.KeyOf(piece, begin);
                        if (requestedFromPeer(key) || (justTaken != null && justTaken.Contains(key))) continue;
                        if (p.Requests[b] == 0) _unrequestedBlocks--;   // released meanwhile: no longer a duplicate
                        p.Requests[b]++;
                        HasAskedTwice = true;
                        into.Add(new BlockRequest(piece, begin, BlockLength(piece, b)));
                        added++;
                    }
                }
            }
            return added;
        }

        /// <summary>Whether a requester may ask for blocks of a piece under way (single-source pieces: its owner only).</summary>
        bool MayTake(int piece, int requester)
        {
            if (!_singleSource[piece] || requester < 0) return true;
            if (requester == _evicted[piece]) return false;
            int owner = _partial[piece].Owner;
            return owner < 0 || owner == requester;
        }

        /// <summary>Whether a requester may start a piece that is not under way.</summary>
        bool MayStart(int piece, int requester) => !_singleSource[piece] || requester < 0 || requester != _evicted[piece];

        int TakeUnrequested(int piece, int max, List<BlockRequest> into, int requester)
        {
            var p = _partial[piece];
            if (_singleSource[piece] && requester >= 0) p.Owner = requester;
            int added = 0;
            for (int b = p.FirstUnrequested; b < p.Received.Length && added < max; b++)
            {
                if (p.Received[b] || p.Requests[b] > 0) continue;
                p.Requests[b] = 1;
                _unrequestedBlocks--;
                into.Add(new BlockRequest(piece, b * BitTorrentConstants.BlockSize, BlockLength(piece, b)));
                added++;
            }
            // Skip the prefix that is taken for good until something is released (Release resets the hint).
            while (p.FirstUnrequested < p.Received.Length && (p.Received[p.FirstUnrequested] || p.Requests[p.FirstUnrequested] > 0))
                p.FirstUnrequested++;
            return added;
        }

        // One random draw per pick, not one per candidate: a 1 GiB torrent has 4096 pieces, mostly tied at the same
        // availability, and a draw per tie cost more than the rest of the receive path's bookkeeping. Two scans instead:
        // count the candidates (and, for rarest, the lowest availability), draw one index, find it. The scans walk the
        // bytes of (startable AND the peer's bitfield), skipping eight pieces at a time where none can start: testing
        // every piece through the indexers was 5.5 % of a 1 GiB download's CPU samples (issue 13).
        int RandomNewPiece(Bitfield peer, int requester)
        {
            int candidates = 0;
            for (var scan = new StartableScan(this, peer, requester); scan.MoveNext();) candidates++;
            if (candidates == 0) return -1;
            return NthStartable(peer, requester, _random.Next(candidates), int.MaxValue);
        }

        int RarestNewPiece(Bitfield peer, int requester)
        {
            int best = int.MaxValue, ties = 0;
            for (var scan = new StartableScan(this, peer, requester); scan.MoveNext();)
            {
                int a = _availability[scan.Current];
                if (a < best) { best = a; ties = 1; }
                else if (a == best) ties++;
            }
            if (ties == 0) return -1;
            return NthStartable(peer, requester, ties == 1 ? 0 : _random.Next(ties), best);
        }

        // The n-th (from 0) piece the peer lets us start whose availability is at most maxAvailability, in piece order.
        int NthStartable(Bitfield peer, int requester, int n, int maxAvailability)
        {
            for (var scan = new StartableScan(this, peer, requester); scan.MoveNext();)
                if (_availability[scan.Current] <= maxAvailability && n-- == 0) return scan.Current;
            return -1;
        }

        /// <summary>
        /// The pieces, in order, that the peer has and the requester may start now: set in both the startable bitfield
        /// and the peer's, walked a byte at a time (eight pieces skipped at once where none can start), then MayStart.
        /// </summary>
        struct StartableScan
        {
            readonly PiecePicker _picker;
            readonly byte[] _mine, _theirs;
            readonly int _requester;
            int _byte, _bits, _bit;

            public StartableScan(PiecePicker picker, Bitfield peer, int requester)
            {
                _picker = picker;
                _mine = picker._startable.WireBytes;
                _theirs = peer.WireBytes;
                _requester = requester;
                _byte = -1; _bits = 0; _bit = 0;
                Current = -1;
            }

            public int Current { get; private set; }

            public bool MoveNext()
            {
                while (true)
                {
                    while (_bits == 0)
                    {
                        if (++_byte >= _mine.Length) return false;
                        _bits = _mine[_byte] & _theirs[_byte];
                        _bit = 0;
                    }
                    // Most significant bit first: piece 8k is bit 0x80 of byte k (BEP 3's layout).
                    bool set = (_bits & 0x80) != 0;
                    int piece = _byte * 8 + _bit;
                    _bits = (_bits << 1) & 0xFF;
                    _bit++;
                    if (set && _picker.MayStart(piece, _requester)) { Current = piece; return true; }
                }
            }
        }

        void Start(int piece)
        {
            _partial[piece] = new PartialPiece(BlockCount(piece));
            _underWay.Add(piece);
            _startable.Set(piece, false);
        }

        // ---- outcomes ----

        /// <summary>
        /// A block arrived. True when it is the first copy of a block we still need (store it); false for a duplicate
        /// from endgame, a block of a piece we have, or one we never asked anybody for (drop it).
        /// </summary>
        public bool BlockReceived(int piece, int begin)
        {
            if (piece < 0 || piece >= _pieceCount || begin % BitTorrentConstants.BlockSize != 0) return false;
            var p = _partial[piece];
            if (p == null) return false;
            int b = begin / BitTorrentConstants.BlockSize;
            if (b >= p.Received.Length || p.Received[b]) return false;
            if (p.Requests[b] == 0) return false;   // nobody asked for it (a cancelled request racing its answer is dropped)
            p.Received[b] = true;
            p.Requests[b] = 0;
            p.ReceivedCount++;
            return true;
        }

        /// <summary>Every block of the piece has arrived: it is ready to be hashed.</summary>
        public bool IsFullyReceived(int piece)
        {
            var p = _partial[piece];
            return p != null && p.ReceivedCount == p.Received.Length;
        }

        /// <summary>One request for a block is withdrawn unanswered (cancelled, choked, peer gone): others may ask for it.</summary>
        public void Release(int piece, int begin)
        {
            var p = _partial[piece];
            if (p == null) return;
            int b = begin / BitTorrentConstants.BlockSize;
            if (b >= p.Received.Length || p.Received[b] || p.Requests[b] == 0) return;
            if (--p.Requests[b] == 0)
            {
                _unrequestedBlocks++;
                if (b < p.FirstUnrequested) p.FirstUnrequested = b;
            }
        }

        /// <summary>
        /// From now until it verifies, the piece is fetched from one requester at a time (see the class summary).
        /// </summary>
        public void SetSingleSource(int piece) => _singleSource[piece] = true;

        public bool IsSingleSource(int piece) => _singleSource[piece];

        /// <summary>
        /// The requester is gone or choked us: the single-source pieces it owned are free for another to take over.
        /// </summary>
        public void ReleaseOwner(int requester)
        {
            foreach (int piece in _underWay)
                if (_partial[piece].Owner == requester) _partial[piece].Owner = -1;
        }

        /// <summary>The requester that owns a single-source piece under way, or -1.</summary>
        public int OwnerOf(int piece) => _partial[piece]?.Owner ?? -1;

        /// <summary>
        /// The owner of a single-source piece is not delivering it: someone else may take it over, and the evicted
        /// owner never gets it again (a peer that holds a re-fetch without answering must not stall the piece). The
        /// caller releases the evicted owner's requests for the piece.
        /// </summary>
        public void EvictOwner(int piece)
        {
            var p = _partial[piece];
            if (p == null || p.Owner < 0) return;
            _evicted[piece] = p.Owner;
            p.Owner = -1;
        }

        /// <summary>The piece passed its hash and is stored.</summary>
        public void PieceVerified(int piece)
        {
            _singleSource[piece] = false;
            _evicted[piece] = -1;
            if (_have[piece]) return;
            _have.Set(piece);
            _startable.Set(piece, false);
            var p = _partial[piece];
            if (p != null)
            {
                // Blocks not yet received (a piece completed by resume or another path) stop counting as missing.
                for (int b = 0; b < p.Received.Length; b++)
                    if (!p.Received[b] && p.Requests[b] == 0) _unrequestedBlocks--;
                _partial[piece] = null;
                _underWay.Remove(piece);
            }
            else _unrequestedBlocks -= BlockCount(piece);
        }

        /// <summary>The piece failed its hash: every block is wanted again, from anyone.</summary>
        public void PieceFailed(int piece)
        {
            var p = _partial[piece];
            if (p == null) return;
            for (int b = 0; b < p.Received.Length; b++)
                if (p.Received[b] || p.Requests[b] > 0) _unrequestedBlocks++;   // the rest were counted already
            _partial[piece] = null;
            _underWay.Remove(piece);
            _startable.Set(piece);
        }

        sealed class PartialPiece
        {
            public PartialPiece(int blocks)
            {
                Requests = new int[blocks];
                Received = new bool[blocks];
            }

            public readonly int[] Requests;      // outstanding requests per block (more than one only in endgame)
            public readonly bool[] Received;
            public int ReceivedCount;
            public int FirstUnrequested;
            public int Owner = -1;               // single-source pieces: the requester allowed to ask for its blocks
        }
    }
}
