using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    // What each peer-wire message does to the swarm state. Called under _gate by the connection's read loop.
    public sealed partial class BitTorrentPeer
    {
        readonly List<BlockRequest> _picked = new List<BlockRequest>();

        /// <summary>
        /// Applies one message. Returns the payload bytes of a block we asked for (for the download limit and to tell the
        /// read loop to top the pipeline up), and the
        /// piece that became fully received (to verify outside the lock) or -1. PeerWireException closes the connection.
        /// </summary>
        int Handle(SwarmConnection c, PeerMessage m, out int completedPiece)
        {
            completedPiece = -1;
            var now = Runtime.Clock.Now;
            c.LastReceived = now;

            switch (m.Type)
            {
                case PeerMessageType.KeepAlive:
                    return 0;
                case PeerMessageType.Choke:
                    if (!c.PeerChoking)
                    {
                        c.PeerChoking = true;
                        // BEP 3: a choking peer discards our requests; they go back to the picker.
                        foreach (var r in c.Outstanding.Values) _picker.Release(r.Piece, r.Begin);
                        c.Outstanding.Clear();
                        _picker.ReleaseOwner(c.Id);   // a single-source piece must not wait on a peer that choked us
                        if (HasEventObservers) Emit(PeerEventTypes.Choked, c.Remote, "choked by the peer", D("Direction", "them"));
                        foreach (var other in _connections) if (other != c) FillRequests(other);
                    }
                    return 0;
                case PeerMessageType.Unchoke:
                    if (c.PeerChoking)
                    {
                        c.PeerChoking = false;
                        c.LastBlockAt = now;   // the snub clock starts when it lets us ask
                        if (HasEventObservers) Emit(PeerEventTypes.Unchoked, c.Remote, "unchoked by the peer", D("Direction", "them"));
                        FillRequests(c);
                    }
                    return 0;
                case PeerMessageType.Interested:
                    c.PeerInterested = true;
                    UnchokeIfSlotFree(c);
                    return 0;
                case PeerMessageType.NotInterested:
                    c.PeerInterested = false;
                    if (!c.AmChoking) FillFreeSlots();
                    return 0;
                case PeerMessageType.Have:
                    OnHave(c, m.Index);
                    return 0;
                case PeerMessageType.Bitfield:
                    // BEP 3 wants it only first; real clients differ (aria2 sends its extension handshake and requests
                    // first, and later bitfields as updates), so a bitfield anywhere replaces what we knew.
                    OnBitfield(c, Bitfield.FromBytes(m.Data, m.DataOffset, m.DataCount, Torrent.PieceCount));
                    return 0;
                case PeerMessageType.Request:
                    OnRequest(c, m);
                    return 0;
                case PeerMessageType.Cancel:
                    {
                        long key = BlockRequest.KeyOf(m.Index, m.Begin);
                        if (c.UploadKeys.Contains(key)) c.CancelledUploads.Add(key);
                        return 0;
                    }
                case PeerMessageType.Piece:
                    return OnBlock(c, m, now, out completedPiece);
                case PeerMessageType.Extended:
                    // Only the BEP 10 handshake means something to us (we offer no extension messages): its reqq.
                    if (m.Index == ExtensionHandshake.MessageId)
                        c.PeerRequestQueue = ExtensionHandshake.ReadRequestQueue(m.Data, m.DataOffset, m.DataCount);
                    return 0;
                default:
                    return 0;   // port: we run no DHT
            }
        }

        void OnHave(SwarmConnection c, int piece)
        {
            if (c.PeerHas[piece]) return;
            c.PeerHas.Set(piece);
            _picker.AddHave(piece);
            if (!_picker.Have[piece])
            {
                c.Interesting++;
                if (!c.AmInterested) SetInterested(c, true);
                FillRequests(c);
            }
            CloseIfBothComplete(c);
        }

        void OnBitfield(SwarmConnection c, Bitfield bits)
        {
            _picker.RemovePeer(c.PeerHas);
            c.PeerHas = bits;
            _picker.AddPeer(bits);
            int interesting = 0;
            var have = _picker.Have;
            if (!have.AllSet)
                for (int i = 0; i < bits.Count; i++) if (bits[i] && !have[i]) interesting++;
            c.Interesting = interesting;
            SetInterested(c, interesting > 0);
            FillRequests(c);
            CloseIfBothComplete(c);
        }

        void OnRequest(SwarmConnection c, PeerMessage m)
        {
            int size = Torrent.GetPieceSize(m.Index);
            if (m.Begin < 0 || m.Length <= 0 || (long)m.Begin + m.Length > size)
                throw new PeerWireException($"the peer asked for bytes {m.Begin}..{(long)m.Begin + m.Length} of piece {m.Index}, which has {size}");
            if (c.AmChoking) return;                                           // BEP 3: requests while choked are discarded
            c.LastRequestAt = Runtime.Clock.Now;
            c.WastedSlot = false;
            if (!_picker.Have[m.Index]) { _requestsRefused++; return; }        // we never said we had it
            // Our BEP 10 handshake promised MaxQueuedUploads (reqq): requests the peer cancelled still sit in the queue
            // until the send loop skips them, but they are not its to count; the queue itself stays under twice that.
            if (c.Uploads.Count - c.CancelledUploads.Count >= MaxQueuedUploads || c.Uploads.Count >= 2 * MaxQueuedUploads)
            {
                _requestsRefused++;
                return;
            }
            var request = new BlockRequest(m.Index, m.Begin, m.Length);
            if (!c.UploadKeys.Add(request.Key))
            {
                c.CancelledUploads.Remove(request.Key);   // asked again after a cancel: serve it once
                return;
            }
            c.EnqueueUpload(request);
            c.SendSignal.Set();
        }

        int OnBlock(SwarmConnection c, PeerMessage m, DateTimeOffset now, out int completedPiece)
        {
            completedPiece = -1;
            long key = BlockRequest.KeyOf(m.Index, m.Begin);
            // A block we did not ask for (or no longer ask for, after a cancel or choke) is dropped.
            if (!c.Outstanding.TryGetValue(key, out var request)) return 0;
            if (request.Length != m.DataCount)
                throw new PeerWireException($"the peer answered a request for {request.Length} bytes of piece {m.Index} at {m.Begin} with {m.DataCount}");
            c.Outstanding.Remove(key);
            c.Down.Add(m.DataCount, now);
            _down.Add(m.DataCount, now);
            c.LastBlockAt = c.LastPayloadAt = now;
            if (_picker.BlockReceived(m.Index, m.Begin))
            {
                if (!_assemblies.TryGetValue(m.Index, out var assembly))
                {
                    assembly = new PieceAssembly(m.Index, RentPieceBuffer(), _picker.BlockCount(m.Index));
                    _assemblies.Add(m.Index, assembly);
                }
                Buffer.BlockCopy(m.Data, m.DataOffset, assembly.Buffer, m.Begin, m.DataCount);
                assembly.AddBlock(m.Begin / BitTorrentConstants.BlockSize, c);
                if (_refetchProgress.Count > 0 && _refetchProgress.ContainsKey(m.Index)) _refetchProgress[m.Index] = now;
                if (_picker.IsEndgame) CancelElsewhere(c, request);
                if (_picker.IsFullyReceived(m.Index)) completedPiece = m.Index;
            }
            // No FillRequests here: the read loop tops the pipeline up once after every message it had buffered.
            return m.DataCount;
        }

        /// <summary>Endgame: the block came; withdraw the duplicate requests for it at every other peer.</summary>
        void CancelElsewhere(SwarmConnection from, BlockRequest request)
        {
            foreach (var other in _connections)
            {
                if (other == from || !other.Outstanding.Remove(request.Key)) continue;
                other.Send(PeerMessage.Cancel(request.Piece, request.Begin, request.Length));
                FillRequests(other);
            }
        }

        void SetInterested(SwarmConnection c, bool interested)
        {
            if (c.AmInterested == interested) return;
            c.AmInterested = interested;
            c.Send(interested ? PeerMessage.Interested : PeerMessage.NotInterested);
            if (interested) c.LastBlockAt = Runtime.Clock.Now;
        }

        /// <summary>Tops up the requests outstanding at a peer that lets us ask and has something we want.</summary>
        void FillRequests(SwarmConnection c) => FillRequests(c, false);

        /// <param name="inBatches">
        /// After blocks arrived or a piece verified: ask again only once a batch's worth of the pipeline is missing (an eighth
        /// of it), so a deep pipeline is refilled with a few dozen requests in one write rather than with the one to
        /// four that each read brings. Each write wakes the seeder, which then answers a handful of requests: against
        /// aria2, that was a write (and an aria2 loop) per 4.8 requests, 13,700 a GiB. At least seven eighths of the
        /// pipeline stays in flight, and a shallow pipeline (below 16) still refills after every block.
        /// </param>
        void FillRequests(SwarmConnection c, bool inBatches)
        {
            if (c.Closed || c.PeerChoking || !c.AmInterested) return;
            int depth = PipelineDepth(c);
            int want = depth - c.Outstanding.Count;
            if (want <= 0 || (inBatches && want < depth / 8)) return;
            _picked.Clear();
            _picker.Pick(c.PeerHas, want, c.IsOutstanding, _picked, c.Id);
            if (_picked.Count == 0) return;
            foreach (var r in _picked)
            {
                c.Outstanding[r.Key] = r;
                c.Writer.Enqueue(PeerMessage.Request(r.Piece, r.Begin, r.Length));
            }
            c.SendSignal.Set();
        }

        /// <summary>
        /// Requests kept in flight: half a second's worth at the peer's current rate plus four, at most
        /// MaxRequestsPerPeer. Loopback ramps up within a fraction of a second (the rate meter divides by the time it
        /// has seen), while slow peers are not handed a long queue that ties up blocks others could send sooner (in the
        /// 50-leecher simulation a floor of 16 cost 15% more time than a floor of 4). Never more than the peer's BEP 10
        /// reqq, which it keeps before it drops requests.
        /// </summary>
        int PipelineDepth(SwarmConnection c)
        {
            double rate = c.Down.Rate(Runtime.Clock.Now);
            long depth = 4 + (long)(rate * 0.5 / BitTorrentConstants.BlockSize);
            int cap = c.PeerRequestQueue > 0 ? Math.Min(c.PeerRequestQueue, _options.MaxRequestsPerPeer) : _options.MaxRequestsPerPeer;
            return (int)Math.Min(depth, cap);
        }

        /// <summary>Two complete peers have nothing to trade: drop the connection.</summary>
        void CloseIfBothComplete(SwarmConnection c)
        {
            if (c.PeerHas.AllSet && _picker.Have.AllSet) Close(c, "both ends are complete", false);
        }
    }
}
