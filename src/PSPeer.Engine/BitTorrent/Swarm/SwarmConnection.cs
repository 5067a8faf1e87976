using System;
using System.Collections.Generic;
using System.Threading;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// One peer-wire connection of a <see cref="BitTorrentPeer"/> after its handshake: the four choke/interest flags,
    /// what the peer has, our requests outstanding at it, its requests waiting for upload, and its rates. Every field
    /// is guarded by the node's lock; the node's read and send loops drive it.
    /// </summary>
    sealed class SwarmConnection
    {
        public SwarmConnection(int id, IConnection connection, PeerWireReader reader, PeerWireWriter writer, bool isOutgoing,
            HostPort dialled, byte[] peerId, int pieceCount, DateTimeOffset now)
        {
            Id = id;
            Connection = connection;
            Reader = reader;
            Writer = writer;
            IsOutgoing = isOutgoing;
            Dialled = dialled;
            PeerId = peerId;
            PeerIdHex = PeerIdentity.Hex(peerId);
            Client = PeerIdentity.ClientName(peerId);
            Remote = dialled?.ToString() ?? connection.RemoteEndPoint;
            RemoteHost = HostPort.TryParse(connection.RemoteEndPoint, out var remote) ? remote.Host : (dialled?.Host ?? connection.RemoteEndPoint);
            PeerHas = new Bitfield(pieceCount);
            ConnectedAt = LastReceived = LastSent = LastBlockAt = now;
        }

        public int Id { get; }
        public IConnection Connection { get; }
        public PeerWireReader Reader { get; }
        public PeerWireWriter Writer { get; }
        public bool IsOutgoing { get; }
        /// <summary>The endpoint we dialled (its listening port), or null for an incoming connection.</summary>
        public HostPort Dialled { get; }
        public byte[] PeerId { get; }
        public string PeerIdHex { get; }
        public string Client { get; }
        /// <summary>"host:port" for events.</summary>
        public string Remote { get; }
        /// <summary>The remote address, what the per-address connection limit counts.</summary>
        public string RemoteHost { get; }

        public Bitfield PeerHas { get; set; }
        /// <summary>Pieces the peer has that we lack: we are interested while this is above zero.</summary>
        public int Interesting;
        public bool AmChoking = true;
        /// <summary>
        /// How many times we have choked it (changed under the node's lock, read by the send loop without it): a block
        /// whose request was taken before a choke is not sent after it, even if we unchoke again meanwhile.
        /// </summary>
        public int Chokes;
        public bool AmInterested;
        public bool PeerChoking = true;
        public bool PeerInterested;
        /// <summary>Set under the node's lock; volatile so the send loop can see it without the lock.</summary>
        public volatile bool Closed;

        /// <summary>Our requests at this peer, by <see cref="BlockRequest.Key"/>.</summary>
        public readonly Dictionary<long, BlockRequest> Outstanding = new Dictionary<long, BlockRequest>();
        public Func<long, bool> IsOutstanding => _isOutstanding ?? (_isOutstanding = Outstanding.ContainsKey);
        Func<long, bool> _isOutstanding;

        /// <summary>The peer's requests, in arrival order; cancelled ones stay queued but are skipped. Change it through
        /// <see cref="EnqueueUpload"/>, <see cref="DequeueUpload"/> and <see cref="ClearUploads"/>.</summary>
        public readonly Queue<BlockRequest> Uploads = new Queue<BlockRequest>();
        int _queuedUploads;

        /// <summary>
        /// How many requests wait in <see cref="Uploads"/>, readable without the node's lock: a leecher's send loop wakes
        /// for every batch of requests it sends, and with nothing to upload it need not take the lock the read loop
        /// holds for each message (that contention cost a fifth of a 1 GiB download's CPU time, spinning).
        /// </summary>
        public int QueuedUploads => Volatile.Read(ref _queuedUploads);

        public void EnqueueUpload(BlockRequest request)
        {
            Uploads.Enqueue(request);
            Volatile.Write(ref _queuedUploads, Uploads.Count);
        }

        public BlockRequest DequeueUpload()
        {
            var request = Uploads.Dequeue();
            Volatile.Write(ref _queuedUploads, Uploads.Count);
            return request;
        }
        public readonly HashSet<long> UploadKeys = new HashSet<long>();
        /// <summary>The reqq of the peer's BEP 10 handshake: requests it queues before dropping any; 0 = not said.</summary>
        public int PeerRequestQueue;
        public readonly HashSet<long> CancelledUploads = new HashSet<long>();

        public readonly RateMeter Down = new RateMeter();
        public readonly RateMeter Up = new RateMeter();
        public long Downloaded => Down.Total;
        public long Uploaded => Up.Total;

        public DateTimeOffset ConnectedAt;
        public DateTimeOffset LastReceived;
        /// <summary>When we last sent anything; the send loop sets it after each flush without the node's lock.</summary>
        public DateTimeOffset LastSent
        {
            get => new DateTimeOffset(Interlocked.Read(ref _lastSentTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _lastSentTicks, value.UtcTicks);
        }
        long _lastSentTicks;
        /// <summary>When the last block we asked for arrived (or when we connected): a minute without one is a snub.</summary>
        public DateTimeOffset LastBlockAt;
        /// <summary>When we last unchoked it, and when it last asked us for a block while unchoked.</summary>
        public DateTimeOffset UnchokedAt, LastRequestAt = DateTimeOffset.MinValue;
        /// <summary>
        /// It held an upload slot without asking for anything: it keeps no regular slot until it asks (so slot squatters that
        /// say Interested and never request cannot hold every upload slot).
        /// </summary>
        public bool WastedSlot;
        /// <summary>When a block last went either way (MinValue until one does): recent payload makes a connection useful.</summary>
        public DateTimeOffset LastPayloadAt = DateTimeOffset.MinValue;

        public readonly AsyncSignal SendSignal = new AsyncSignal();
        /// <summary>Where the reader puts incoming blocks before they are copied into their piece (no allocation per block).</summary>
        public readonly byte[] ReceiveBlock = new byte[BitTorrentConstants.MaxRequestLength];
        /// <summary>Where the send loop reads a block from storage before the writer copies it out.</summary>
        public readonly byte[] SendBlock = new byte[BitTorrentConstants.MaxRequestLength];

        /// <summary>The send loop's block being read into the send buffer, the choke count it was taken at, and what
        /// became of it (see BitTorrentPeer.QueueBlock; touched by the send loop only).</summary>
        public BlockRequest Serving;
        public int ServingEpoch;
        public BlockServeOutcome ServingOutcome;

        public void Send(PeerMessage message)
        {
            Writer.Enqueue(message);
            SendSignal.Set();
        }

        public void ClearUploads()
        {
            Uploads.Clear();
            Volatile.Write(ref _queuedUploads, 0);
            UploadKeys.Clear();
            CancelledUploads.Clear();
        }

        public override string ToString() => $"#{Id} {Remote} {Client}";
    }
}
