using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Compression;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// One Gnutella connection after its handshake: a read loop that hands each descriptor to the servent, and a
    /// send queue that any thread may add to (routing writes to a link from the read loops of all the others).
    /// </summary>
    /// <remarks>
    /// The queue is bounded in bytes: a link that cannot keep up loses descriptors (counted) rather than making the
    /// servent buffer without limit, which is what Gnutella flow control does too.
    /// Compression (negotiated in the handshake, each direction on its own): sending, each batch is deflated and
    /// sync-flushed as it is written; receiving, the frame reader reads from an inflating stream. The queue bound is on
    /// plain bytes, before compression.
    /// The read loop is one async frame per link that decodes with a sans-IO <see cref="GnutellaFrameDecoder"/> held
    /// inline and waits on the stream directly (a ValueTask read where the stream offers one): an idle link costs
    /// one waiting frame, not a frame per layer, and its end is handed to the servent from the same frame. It
    /// takes no cancellation token: closing the link disposes the connection, which fails the waiting read.
    /// </remarks>
    sealed class GnutellaLink
    {
        /// <summary>Bytes a link may have waiting to be written before new descriptors are dropped.</summary>
        public const int MaxQueuedBytes = 1024 * 1024;
        // Queued descriptors are written together up to this size: a flood puts many small frames on one link at once.
        const int MaxBatchBytes = 64 * 1024;

        readonly IConnection _connection;
        // The connection's stream, kept: every descriptor sent and every read asked for it, and asking is an interface
        // call that cannot be predicted (a link's connection is the stream itself or a wrapper around one), which cost
        // more than these 8 bytes a link end.
        readonly Stream _stream;
        readonly GnutellaCounters _counters;
        // The send state is locked on the link itself (internal: nobody else locks it), not on an object of its own.
        object _sendGate => this;
        // Made when a frame has to wait (a write in progress, or a live batch still open): a simulated link whose
        // writes complete at once never needs one, and a frame sent to an idle link goes straight to the writer.
        SendQueue _queue;
        GnutellaFrameDecoder _decoder;            // mutable struct, used in place by the read loop only
        // What only some links need (compression, why we closed, keepalive's and the pong cache's times, eviction), made
        // when first needed; null on most simulated links. One reference rather than six fields on every link: a
        // simulation holds hundreds of thousands of link ends, and those fields took them two sizes of object up.
        LinkSideState _side;
        bool _writing;
        bool _deferred;                           // in a SendBatch's list, not yet flushed
        volatile bool _isClosed;                  // written under the send lock; read without it (IsClosed)
        // What the link is (set once: made, or told by the handshake before the link starts), one bit each: six bools
        // and the two capabilities below took a link end past 224 bytes.
        LinkTraits _traits;
        ushort _advertisedDegree;                 // X-Degree is 1..1000 (RemoteCapabilities)
        byte _advertisedMaxTtl;                   // X-Max-TTL is 1..255

        [Flags]
        enum LinkTraits : byte
        {
            Live = 1,                     // many threads send to it (so it locks) and sends inside a SendBatch wait for the batch
            RemoteIsUltrapeer = 2,
            Outgoing = 4,
            ExtProbes = 8,
            DynamicQuerying = 16,
            UltrapeerQueryRouting = 32,
            AcceptsBye = 64,
            CopiesWrites = 128,           // what it writes is copied before the write returns (see CopiesWrites)
        }

        bool Has(LinkTraits trait) => (_traits & trait) != 0;

        // Only before the link is shared (its constructor, the handshake's initializers and RemoteCapabilities.ApplyTo):
        // a read-modify-write of the byte that no other thread does.
        void Set(LinkTraits trait, bool on) => _traits = on ? _traits | trait : _traits & ~trait;

        bool IsLive => Has(LinkTraits.Live);
        LinkDeflater Deflater => _side?.Deflater;
        InflatingStream Inflating => _side?.Inflating;

        /// <summary>The side state, made by whichever thread first needs it.</summary>
        LinkSideState Side
        {
            get
            {
                var side = Volatile.Read(ref _side);
                if (side != null) return side;
                var made = new LinkSideState();
                return Interlocked.CompareExchange(ref _side, made, null) ?? made;
            }
        }

        public GnutellaLink(IConnection connection, HostPort listenEndPoint, bool remoteIsUltrapeer, bool outgoing,
            byte[] alreadyRead, int maxPayloadLength, QueryRateLimiter limiter, GnutellaCounters counters,
            bool compressSending = false, bool inflateReceiving = false, bool live = false)
        {
            Set(LinkTraits.Live, live);
            // A link is made once its handshake is done and keeps the connection for good: an accepted simulated end
            // then holds its own place in the admission gate, and the gate's wrapper is let go (Settle).
            _connection = connection.Settle();
            _stream = connection.Stream;
            _counters = counters;
            // A deflater reads the plain bytes whole before anything is written, as a copying stream does.
            Set(LinkTraits.CopiesWrites, _stream is ICopyingWriteStream || compressSending);
            ListenEndPoint = listenEndPoint;
            Set(LinkTraits.RemoteIsUltrapeer, remoteIsUltrapeer);
            Set(LinkTraits.Outgoing, outgoing);
            _limiter = limiter;
            if (compressSending || inflateReceiving)
                _side = new LinkSideState
                {
                    Deflater = compressSending ? new LinkDeflater() : null,
                    // The bytes read past the handshake belong to the compressed stream when the other side compresses.
                    Inflating = inflateReceiving ? new InflatingStream(connection.Stream, alreadyRead) : null,
                };
            // Live links read in large gulps (a flood brings many descriptors at once); simulated ones keep the small
            // buffer, since a simulation may hold hundreds of thousands of links.
            _decoder = new GnutellaFrameDecoder(maxPayloadLength, inflateReceiving ? null : alreadyRead,
                live ? GnutellaFrameReader.LiveReadBufferSize : GnutellaFrameReader.ReadBufferSize);
        }

        /// <summary>The connection the link keeps (for tests): an accepted simulated end is the end itself, not the gate's wrapper.</summary>
        internal IConnection Connection => _connection;

        /// <summary>We deflate what we send on this link.</summary>
        public bool SendsCompressed => Deflater != null;
        /// <summary>The other servent deflates what it sends us.</summary>
        public bool ReceivesCompressed => Inflating != null;

        /// <summary>Plain and wire bytes each way: (sent plain, sent on the wire, received on the wire, received plain).</summary>
        public (long sentPlain, long sentWire, long receivedWire, long receivedPlain) CompressionCounts
        {
            get
            {
                long sp = 0, sw = 0;
                lock (_sendGate) if (Deflater != null) { sp = Deflater.PlainBytes; sw = Deflater.CompressedBytes; }
                return (sp, sw, Inflating?.CompressedBytes ?? 0, Inflating?.PlainBytes ?? 0);
            }
        }

        /// <summary>
        /// Frees the compressor of a link that wrote nothing since the last call (the servent's maintenance round asks
        /// every few seconds): a quiet compressed link then holds no compressor, only its inflater. Returns whether one
        /// was freed.
        /// </summary>
        public bool ReleaseCompressorIfIdle()
        {
            if (Deflater == null) return false;
            lock (_sendGate)
            {
                bool idle = Interlocked.Exchange(ref _side.BatchesSinceIdleCheck, 0) == 0;
                // Only between batches: the writer owns the compressor while it writes.
                if (!idle || _writing || _isClosed || !Deflater.HoldsCompressor) return false;
                Deflater.Release();
                return true;
            }
        }

        // What goes on the wire for a batch of whole descriptors. Only the writer calls it (Write, or the Bye, each
        // holding the writer's turn), so the compressor needs no lock: Release and Dispose touch it only between turns,
        // and routing threads queueing descriptors are never held up behind a compression.
        byte[] Encode(byte[] plain, int count)
        {
            Interlocked.Increment(ref _side.BatchesSinceIdleCheck);
            return Deflater.Compress(plain, 0, count);
        }

        /// <summary>
        /// What this link writes is copied before the write returns (a simulated end's stream copies it into segments
        /// in flight; a deflater reads it whole): a descriptor may be sent from a buffer the sender reuses at once
        /// (<see cref="SendFrom"/>).
        /// </summary>
        public bool CopiesWrites => Has(LinkTraits.CopiesWrites);

        /// <summary>Where the other servent accepts connections (its Listen-IP, or the address we dialled).</summary>
        public HostPort ListenEndPoint { get; }
        /// <summary>
        /// "host:port" for events and <see cref="GnutellaServent.Neighbors"/>, made each time it is asked for (events are
        /// made only when watched; a string kept per link end was 8 bytes on each of them).
        /// </summary>
        public string Remote => ListenEndPoint?.ToString() ?? _connection.RemoteEndPoint;
        /// <summary>The other end said X-Ultrapeer: True (or sent no X-Ultrapeer: an old flat-network servent).</summary>
        public bool RemoteIsUltrapeer => Has(LinkTraits.RemoteIsUltrapeer);
        public bool RemoteIsLeaf => !RemoteIsUltrapeer;
        public bool Outgoing => Has(LinkTraits.Outgoing);
        QueryRateLimiter _limiter;   // a mutable struct, used in place

        /// <summary>
        /// Takes one of the link's query tokens (only its own read loop asks); false: drop the query. The clock and the
        /// rate are the servent's (the link keeps only its bucket).
        /// </summary>
        public bool TryTakeQuery(IClock clock, int queriesPerSecond) => _limiter.TryTake(clock, queriesPerSecond);
        /// <summary>
        /// The QRP table the other end sent us: a leaf's (ultrapeer side), or another ultrapeer's last-hop table (its files
        /// and its leaves', with ultrapeer-to-ultrapeer QRP); null until its reset arrives.
        /// </summary>
        public QueryRouteTable QueryRouteTable { get; set; }
        // Asked after every descriptor handled and of every link routed to: a volatile read, not the send lock (it only
        // ever turns true, and a reader that misses it by a moment is no worse off than one that took the lock first).
        public bool IsClosed => _isClosed;

        /// <summary>
        /// When the other end last sent a descriptor, as AutoConnect's keepalive (its only reader) records it; until then,
        /// when the link came up (<see cref="ConnectedAt"/>).
        /// </summary>
        public DateTimeOffset LastHeard
        {
            get
            {
                var side = Volatile.Read(ref _side);
                long ticks = side == null ? 0 : Interlocked.Read(ref side.LastHeardTicks);
                return ticks == 0 ? ConnectedAt : new DateTimeOffset(ticks, TimeSpan.Zero);
            }
            set => Interlocked.Exchange(ref Side.LastHeardTicks, value.UtcTicks);
        }

        long _connectedTicks;
        /// <summary>When the handshake completed; a link is not judged (evicted, or trusted for back-off) before its grace.</summary>
        public DateTimeOffset ConnectedAt
        {
            get => new DateTimeOffset(Interlocked.Read(ref _connectedTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _connectedTicks, value.UtcTicks);
        }

        long _lastUsefulTicks;   // 0 = never
        /// <summary>When the link last carried a fresh Query or a routed QueryHit (Pings, Pongs and QRP do not count); null = never.</summary>
        public DateTimeOffset? LastUseful
        {
            get { long t = Interlocked.Read(ref _lastUsefulTicks); return t == 0 ? (DateTimeOffset?)null : new DateTimeOffset(t, TimeSpan.Zero); }
        }

        public void MarkUseful(DateTimeOffset now) => Interlocked.Exchange(ref _lastUsefulTicks, now.UtcTicks);

        /// <summary>True once: the caller may evict this link (two newcomers never take the same slot).</summary>
        public bool TryClaimEviction() => Interlocked.CompareExchange(ref Side.Evicted, 1, 0) == 0;
        /// <summary>Chosen for eviction (its Bye may still be on its way): its slot is already someone else's.</summary>
        public bool IsEvicted
        {
            get
            {
                var side = Volatile.Read(ref _side);
                return side != null && Volatile.Read(ref side.Evicted) != 0;
            }
        }
        /// <summary>The other ultrapeer said X-Ext-Probes: it passes on a query again when a copy comes with a higher TTL.</summary>
        public bool ExtProbes { get => Has(LinkTraits.ExtProbes); set => Set(LinkTraits.ExtProbes, value); }
        /// <summary>The other ultrapeer said X-Dynamic-Querying: a leaf may leave widening its search to it.</summary>
        public bool DynamicQuerying { get => Has(LinkTraits.DynamicQuerying); set => Set(LinkTraits.DynamicQuerying, value); }

        /// <summary>The remote IP address the connection comes from (not what its headers claim): per-address slot limits count it.</summary>
        public string RemoteAddress { get; set; }

        /// <summary>Ultrapeer links: the ultrapeer links the other end keeps (its X-Degree; 8 when it sent none, as for servents of the 2002 era).</summary>
        public int AdvertisedDegree { get => _advertisedDegree; set => _advertisedDegree = (ushort)Math.Max(0, Math.Min(ushort.MaxValue, value)); }
        /// <summary>Ultrapeer links: the highest TTL the other end lets through (its X-Max-TTL; 0 = it did not say).</summary>
        public int AdvertisedMaxTtl { get => _advertisedMaxTtl; set => _advertisedMaxTtl = (byte)Math.Max(0, Math.Min(byte.MaxValue, value)); }
        /// <summary>The other ultrapeer said X-Ultrapeer-Query-Routing: it sends and takes last-hop QRP tables.</summary>
        public bool UltrapeerQueryRouting { get => Has(LinkTraits.UltrapeerQueryRouting); set => Set(LinkTraits.UltrapeerQueryRouting, value); }

        /// <summary>
        /// True (and the turn taken) when this link last had cached Pongs <paramref name="interval"/> or more before
        /// <paramref name="now"/>. Only the link's own read loop asks.
        /// </summary>
        public bool TakeCachedPongTurn(DateTimeOffset now, TimeSpan interval)
        {
            var side = Side;
            if (now.UtcTicks - side.CachedPongsTicks < interval.Ticks) return false;
            side.CachedPongsTicks = now.UtcTicks;
            return true;
        }

        /// <summary>Queues a whole descriptor (header + payload); false when the link is closed or its queue is full.</summary>
        public bool Send(byte[] frame, GnutellaPayloadType type) => Send(frame, frame.Length, type, borrowed: false);

        /// <summary>
        /// As <see cref="Send(byte[], GnutellaPayloadType)"/>, for a descriptor in the first <paramref name="count"/> bytes
        /// of a buffer the caller reuses once this returns. Only for a link that <see cref="CopiesWrites"/>: written from
        /// the buffer when the link is idle, copied to an array of its own when it has to wait in the queue.
        /// </summary>
        public bool SendFrom(byte[] buffer, int count, GnutellaPayloadType type)
        {
            if (!CopiesWrites) throw new InvalidOperationException("This link's writes may keep the buffer they are given: send an array of the frame's own.");
            return Send(buffer, count, type, borrowed: true);
        }

        bool Send(byte[] frame, int count, GnutellaPayloadType type, bool borrowed)
        {
            using (SendLocked())
            {
                if (_isClosed) return false;
                if (QueuedBytes + count > MaxQueuedBytes)
                {
                    _counters.Add(ref _counters.messagesDroppedQueueFull);
                    return false;
                }
                _counters.CountSent(type);
                // Idle (not writing, not deferred) means nothing is queued: the frame is the next write.
                if (_writing || _deferred)
                {
                    EnqueueLocked(borrowed ? Copy(frame, count) : frame);
                    return true;
                }
                var batch = IsLive ? SendBatch.Current : null;
                if (batch != null)
                {
                    EnqueueLocked(borrowed ? Copy(frame, count) : frame);
                    _deferred = true;
                    batch.Defer(this);
                    return true;
                }
                _writing = true;
            }
            Write(frame, count);
            return true;
        }

        static byte[] Copy(byte[] buffer, int count)
        {
            var copy = new byte[count];
            Buffer.BlockCopy(buffer, 0, copy, 0, count);
            return copy;
        }

        /// <summary>
        /// The send state's lock. A live link is sent to from many threads (every other link's read loop routes to it);
        /// a simulated one (live: false) only from its simulation's one loop, so it locks nothing: see <see cref="OptionalLock"/>.
        /// </summary>
        OptionalLock SendLocked() => new OptionalLock(IsLive ? _sendGate : null);

        void EnqueueLocked(byte[] frame)
        {
            var queue = _queue ?? (_queue = new SendQueue());
            queue.Enqueue(frame);
            queue.Bytes += frame.Length;
        }

        bool QueueEmptyLocked => _queue == null || _queue.Count == 0;

        // Bytes waiting in the queue (none without one).
        int QueuedBytes => _queue?.Bytes ?? 0;

        // Asked after every write: a simulated link reads the queue directly (no lock, and no call with a try/finally
        // that the JIT would not inline).
        bool QueueEmpty => IsLive ? QueueEmptyUnderLock() : QueueEmptyLocked;

        bool QueueEmptyUnderLock()
        {
            lock (_sendGate) return QueueEmptyLocked;
        }

        /// <summary>
        /// The batch this link's sends waited for has closed: write what they queued, from a thread-pool work item
        /// rather than here. Under load the pool's queue already holds other links' read completions; they run first,
        /// and what they send this link joins the same write (the link stays deferred until its writer starts).
        /// </summary>
        internal void ScheduleFlush() => ThreadPool.UnsafeQueueUserWorkItem(FlushCallback, this);

        static readonly WaitCallback FlushCallback = state => ((GnutellaLink)state).FlushDeferred();

        /// <summary>Starts the writer for what the deferred sends queued (a Bye or a close meanwhile wins).</summary>
        internal void FlushDeferred()
        {
            using (SendLocked())
            {
                _deferred = false;
                if (_writing || _isClosed || QueueEmptyLocked) return;
                _writing = true;
            }
            Write(null, 0);
        }

        /// <summary>
        /// The writer, run by whoever took the writer's turn (_writing): the first <paramref name="count"/> bytes of
        /// <paramref name="chunk"/> (when the send found the link idle), then whatever queued meanwhile, until the queue
        /// is empty. Writes and flushes that complete at once
        /// (a simulated link with room, often a socket) are done right here, with no async frame; the first one that has
        /// to wait hands the turn to <see cref="ResumeAfterAsync"/>, which comes back here once it has completed.
        /// </summary>
        void Write(byte[] chunk, int count)
        {
            try
            {
                var stream = _stream;
                while (true)
                {
                    if (chunk == null)
                    {
                        if ((chunk = NextChunk()) == null) return;
                        count = chunk.Length;
                    }
                    if (Deflater != null)
                    {
                        chunk = Encode(chunk, count);
                        count = chunk.Length;
                    }
                    _counters.Add(ref _counters.linkWrites);
                    // No token: closing the link disposes the connection, which fails a write in progress.
                    var write = stream.WriteAsync(chunk, 0, count, CancellationToken.None);
                    chunk = null;
                    if (write.Status != TaskStatus.RanToCompletion)
                    {
                        _ = ResumeAfterAsync(write, flushWhenEmpty: true);
                        return;
                    }
                    if (!QueueEmpty) continue;
                    var flush = stream.FlushAsync(CancellationToken.None);
                    if (flush.Status != TaskStatus.RanToCompletion)
                    {
                        _ = ResumeAfterAsync(flush, flushWhenEmpty: false);
                        return;
                    }
                }
            }
            catch (Exception)
            {
                WriteFailed();
            }
        }

        /// <summary>The writer's turn across a write or flush that has to wait: then on as <see cref="Write"/>.</summary>
        async Task ResumeAfterAsync(Task pending, bool flushWhenEmpty)
        {
            try
            {
                await pending;
                if (flushWhenEmpty && QueueEmpty) await _stream.FlushAsync(CancellationToken.None);
            }
            catch (Exception)
            {
                WriteFailed();
                return;
            }
            Write(null, 0);
        }

        /// <summary>What the writer writes next; null when nothing is queued (or the link closed): the writer's turn ends.</summary>
        byte[] NextChunk()
        {
            using (SendLocked())
            {
                if (QueueEmptyLocked || _isClosed)
                {
                    _writing = false;
                    if (_isClosed) Deflater?.Dispose();
                    return null;
                }
                return TakeBatchLocked();
            }
        }

        // A write failed: the connection is gone. The read loop notices and reports the close. The writer may be running
        // inside another link's handler (a Send that found this link idle): nothing of this link's failure escapes to it.
        void WriteFailed()
        {
            using (SendLocked()) _writing = false;
            try { Close(); }
            catch (Exception) { }
        }

        byte[] TakeBatchLocked()
        {
            var first = _queue.Dequeue();
            _queue.Bytes -= first.Length;
            if (_queue.Count == 0 || first.Length >= MaxBatchBytes) return first;
            int total = first.Length;
            foreach (var f in _queue)
            {
                if (total + f.Length > MaxBatchBytes) break;
                total += f.Length;
            }
            var batch = new byte[total];
            Buffer.BlockCopy(first, 0, batch, 0, first.Length);
            int at = first.Length;
            while (_queue.Count > 0 && at + _queue.Peek().Length <= total)
            {
                var f = _queue.Dequeue();
                _queue.Bytes -= f.Length;
                Buffer.BlockCopy(f, 0, batch, at, f.Length);
                at += f.Length;
            }
            return batch;
        }

        ILinkOwner _owner;

        /// <summary>
        /// Starts the read loop: it hands each descriptor to <paramref name="owner"/> until the link ends, then hands it
        /// why (<see cref="ILinkOwner.OnLinkEnded"/>); nobody awaits the loop. A <see cref="GnutellaProtocolException"/>
        /// (from the decoder or from the handler) ends it as malformed; any other exception from the handler ends it
        /// with <see cref="LinkEnd.Error"/> set.
        /// </summary>
        /// <remarks>
        /// Where the stream can call back when it has bytes (<see cref="IValueReadStream"/>: simulated ends), the loop
        /// runs in those callbacks and a quiet link waits as nothing but its fields: no frame, no task, no read buffer
        /// (a simulation holds hundreds of thousands of quiet links). Elsewhere (sockets, an inflater) it is one async
        /// frame awaiting Stream.ReadAsync. Both decode and hand on descriptors with the same code, in the same order.
        /// </remarks>
        public void Start(ILinkOwner owner)
        {
            _owner = owner ?? throw new ArgumentNullException(nameof(owner));
            if (ReadSource is IValueReadStream) Pump();
            else _ = RunAsync();
        }

        static readonly Action<object> PumpCallback = state => ((GnutellaLink)state).Pump();

        // The callback-driven loop: handle what is buffered, give the read buffer back, wait (return) until the stream
        // calls back, then read what came (it is there: the read completes at once).
        void Pump()
        {
            LinkEnd end;
            try
            {
                var stream = (IValueReadStream)ReadSource;
                while (true)
                {
                    if (!HandleBuffered())
                    {
                        end = new LinkEnd(CloseReason ?? "closed", false);
                        break;
                    }
                    _decoder.TryReleaseBuffer();
                    if (stream.WaitToRead(PumpCallback, this)) return;
                    if (IsClosed)
                    {
                        // Closed here, so the connection is disposed and reading would only throw to say so: the end
                        // is the one that exception would bring (EndFor), without the exception.
                        end = new LinkEnd(CloseReason ?? "closed", false);
                        break;
                    }
                    var target = _decoder.PrepareRead();
                    var read = stream.ReadValueAsync(target.Array, target.Offset, target.Count);
                    if (!read.IsCompleted) throw new InvalidOperationException("The stream said it had bytes to read, but the read had to wait.");
                    int n = read.Result;
                    if (n <= 0)
                    {
                        end = EndOfStream();
                        break;
                    }
                    _decoder.Advance(n);
                }
            }
            catch (Exception e)
            {
                end = EndFor(e);
            }
            // Called back from the stream's arrival: nothing may escape into the simulation's loop (the owner handles
            // its own failures; this only keeps a bug there from stopping every other link).
            try { _ = _owner.OnLinkEnded(this, end); }
            catch (Exception) { }
        }

        // The async loop, for streams that cannot call back.
        async Task RunAsync()
        {
            LinkEnd end;
            try
            {
                while (true)
                {
                    if (!HandleBuffered())
                    {
                        end = new LinkEnd(CloseReason ?? "closed", false);
                        break;
                    }
                    var target = _decoder.PrepareRead();
                    int n = await ReadSource.ReadAsync(target.Array, target.Offset, target.Count, CancellationToken.None);
                    if (n <= 0)
                    {
                        end = EndOfStream();
                        break;
                    }
                    _decoder.Advance(n);
                }
            }
            catch (Exception e)
            {
                end = EndFor(e);
            }
            finally
            {
                Inflating?.Dispose();   // the read loop is its only user
            }
            await _owner.OnLinkEnded(this, end);
        }

        /// <summary>What the read loop reads: the inflater over the connection when the other end compresses.</summary>
        Stream ReadSource => (Stream)Inflating ?? _stream;

        LinkEnd EndOfStream()
        {
            _decoder.EndOfStream();   // throws inside a descriptor
            // Our own Bye makes the other servent close at once: its end of stream may arrive while the Bye is still
            // being written, and then the reason is ours, not "closed by the other servent".
            return new LinkEnd(CloseReason ?? "closed by the other servent", false);
        }

        LinkEnd EndFor(Exception e)
        {
            if (e is GnutellaProtocolException) return new LinkEnd(e.Message, true);
            // Closed here (a Bye, eviction, the servent stopping): the read failed because of it.
            if (IsClosed) return new LinkEnd(CloseReason ?? "closed", false);
            if (e is IOException || e is ObjectDisposedException || e is OperationCanceledException || e is PeerException)
                return new LinkEnd(CloseReason ?? e.Message, false);
            // A bug in a handler costs this link, never the servent.
            return new LinkEnd("internal error: " + e.Message, false, e);
        }

        /// <summary>
        /// Hands on every descriptor already whole in what was read; false when the link was closed meanwhile. Live,
        /// the sends they cause leave as one write per link when the batch closes (SendBatch).
        /// </summary>
        bool HandleBuffered()
        {
            if (!_decoder.MayDecode) return true;   // most calls: the loop looks before it waits
            var message = RentMessage();
            if (!_decoder.TryDecodeInto(message))
            {
                ReturnMessage(message);
                return true;
            }
            var batch = IsLive ? SendBatch.Open() : null;
            try
            {
                do
                {
                    _counters.CountReceived(message.Header.Type);
                    _owner.OnMessage(this, message);
                    if (IsClosed) return false;
                }
                while (_decoder.TryDecodeInto(message));
                return true;
            }
            finally
            {
                batch?.Close();
                ReturnMessage(message);
            }
        }

        // The message a read loop hands descriptors on in, reused from one descriptor to the next (owners keep its
        // parts, never the message). Spares per thread rather than one per link: a loop may run inside another's
        // handler (closing a link runs its loop's end at once), and a quiet link then holds none.
        [ThreadStatic] static GnutellaMessage[] t_spareMessages;
        [ThreadStatic] static int t_spareMessageCount;

        static GnutellaMessage RentMessage()
        {
            if (t_spareMessageCount == 0) return new GnutellaMessage();
            var message = t_spareMessages[--t_spareMessageCount];
            t_spareMessages[t_spareMessageCount] = null;
            return message;
        }

        static void ReturnMessage(GnutellaMessage message)
        {
            message.Payload = null;   // nothing of the last descriptor is kept alive by a spare
            message.PayloadBytes = null;
            var spares = t_spareMessages ?? (t_spareMessages = new GnutellaMessage[4]);
            if (t_spareMessageCount < spares.Length) spares[t_spareMessageCount++] = message;
        }

        /// <summary>Why we closed the link ourselves (a Bye, a full queue), reported instead of the I/O error it causes.</summary>
        public string CloseReason
        {
            get => Volatile.Read(ref _side)?.CloseReason;
            private set => Side.CloseReason = value;
        }

        /// <summary>The other servent sent Bye-Packet in its handshake: it understands a Bye (others would not).</summary>
        public bool AcceptsBye { get => Has(LinkTraits.AcceptsBye); set => Set(LinkTraits.AcceptsBye, value); }

        /// <summary>Writes a Bye directly (bypassing the queue, best effort) when the other end takes Byes, and closes.</summary>
        public async Task SayByeAndCloseAsync(ushort code, string reason)
        {
            CloseReason = CloseReason ?? reason;
            if (!AcceptsBye)
            {
                Close(reason);
                return;
            }
            try
            {
                var frame = GnutellaCodec.Encode(ByeId, 1, 0, new Bye { Code = code, Reason = reason });
                bool write;
                // Never interleave with a batch being written: a half-written frame would garble the Bye. Taking the
                // writer's turn also keeps the compressor to one user at a time.
                lock (_sendGate)
                {
                    write = !_isClosed && !_writing;
                    if (write) _writing = true;
                }
                if (write)
                {
                    _counters.CountSent(GnutellaPayloadType.Bye);
                    try
                    {
                        if (Deflater != null) frame = Encode(frame, frame.Length);
                        await _stream.WriteAsync(frame, 0, frame.Length, CancellationToken.None);
                        await _stream.FlushAsync(CancellationToken.None);
                    }
                    finally
                    {
                        // Nothing goes after the Bye: descriptors a batch queued meanwhile (its write still scheduled) are dropped.
                        lock (_sendGate) { _writing = false; _queue?.DropAll(); }
                    }
                }
            }
            catch (Exception) { /* the other end may already be gone */ }
            Close(reason);
        }

        static readonly GnutellaGuid ByeId = new GnutellaGuid(new byte[16]);

        public void Close(string reason = null)
        {
            lock (_sendGate)
            {
                if (_isClosed) return;
                _isClosed = true;
                if (reason != null) CloseReason = reason;
                _queue?.DropAll();
            }
            // Fails the read loop's waiting read (IOException or ObjectDisposedException, live and simulated alike).
            _connection.Dispose();
            // The compressor's native memory goes now, not when the collector gets to it. A write in flight fails on
            // the closed connection first; the writer's turn guards the compressor.
            lock (_sendGate) if (!_writing) Deflater?.Dispose();
        }

        public override string ToString() => Remote + (RemoteIsUltrapeer ? " (ultrapeer)" : " (leaf)");
    }

    /// <summary>
    /// What only some links need (see <see cref="GnutellaLink"/>): compression, each direction on its own (made with the
    /// link when negotiated), and what closing, AutoConnect's keepalive, the pong cache and eviction record.
    /// </summary>
    sealed class LinkSideState
    {
        public LinkDeflater Deflater;          // null: what we send is not compressed
        public InflatingStream Inflating;      // null: what we receive is not compressed
        public int BatchesSinceIdleCheck;      // batches the deflater compressed since the maintenance round last asked
        public string CloseReason;             // why we closed the link ourselves
        public long LastHeardTicks;            // 0: nothing recorded (LastHeard is then ConnectedAt)
        public long CachedPongsTicks;          // when this link last had cached Pongs (0, DateTimeOffset.MinValue: never)
        public int Evicted;                    // 1: chosen for eviction
    }

    /// <summary>A link's descriptors waiting to be written, and their bytes (the queue is made only when one has to wait).</summary>
    sealed class SendQueue : Queue<byte[]>
    {
        public int Bytes;

        /// <summary>Drops every waiting descriptor (a Bye or a close: nothing goes after it).</summary>
        public void DropAll()
        {
            Clear();
            Bytes = 0;
        }
    }

    /// <summary>Who a link hands its descriptors and its end to (the servent).</summary>
    interface ILinkOwner
    {
        /// <summary>
        /// A descriptor arrived on <paramref name="link"/> (called from its read loop, one at a time). The message object
        /// is the loop's to reuse once this returns: keep its header, payload or bytes, never the message itself.
        /// </summary>
        void OnMessage(GnutellaLink link, GnutellaMessage message);
        /// <summary>The link's read loop ended; the task covers what the owner still does for it (a Bye).</summary>
        Task OnLinkEnded(GnutellaLink link, LinkEnd end);
    }

    /// <summary>How a link's read loop ended.</summary>
    readonly struct LinkEnd
    {
        public LinkEnd(string reason, bool malformed, Exception error = null) { Reason = reason; Malformed = malformed; Error = error; }
        public string Reason { get; }
        /// <summary>The other servent broke the protocol (Reason says how).</summary>
        public bool Malformed { get; }
        /// <summary>Set when a handler threw (a bug here): Reason is "internal error: " and its message.</summary>
        public Exception Error { get; }
    }
}
