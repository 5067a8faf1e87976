using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Admission;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// One end of a simulated connection: a reliable ordered byte stream without threads. A write is cut into
    /// segments that travel the host's link to the peer (latency, bandwidth shared with the link's other flows,
    /// loss repaired by retransmission one timeout later, never reordered) and completes once the link has
    /// serialized it, which is the back-pressure a sender feels. Reads complete when a segment arrives.
    /// Dispose sends an orderly close (the peer reads 0 after the data). A reset (partition, crash, or data sent
    /// to an end that was closed) fails pending and later reads and writes with IOException.
    /// </summary>
    /// <remarks>
    /// Only ReadAsync/WriteAsync(byte[], int, int, CancellationToken), FlushAsync and ReadValueAsync are the real
    /// interface; the synchronous Read works only when data or end-of-stream is already there, and Write does not
    /// wait for the link. State is touched only on the simulation's loop (or while it is idle); a cancellation
    /// arriving on another thread is handed to the loop.
    /// A read that has to wait is a ValueTask whose source is the stream itself (one read at a time): a waiting read
    /// costs no new object (its buffer and token wait in a PendingRead kept per thread), and completing it runs the reader's continuation inline when it was captured on the loop's
    /// context and the loop is the one completing it — what a task completed on the loop does, so the order of work
    /// is the same as with tasks (ManualResetValueTaskSourceCore would post it, adding a scheduler event per read).
    /// </remarks>
    // The stream is also the connection end (IConnection, with itself as its Stream): one object per end, not two.
    sealed class SimulatedStream : Stream, IAdmissionCarrier, IValueReadStream, ICopyingWriteStream, IValueTaskSource<int>
    {
        static readonly SendOrPostCallback CancelReadCallback = state => ((SimulatedStream)state).CancelPendingRead();
        static readonly Action<object> CancelReadFromToken = state => ((SimulatedStream)state).OnReadCancelled();
        /// <summary>The next segment in flight to this end has arrived (the state is the receiving stream).</summary>
        static readonly SendOrPostCallback ArriveCallback = state => ((SimulatedStream)state).Arrive();

        // Segments on their way to this end and arrived but unread, in order, in one ring (taken from a pool by the
        // first segment and given back when the last is read: a quiet end holds none): the first _readable entries have
        // arrived, the rest are in flight. The peer appends as it writes and each arrival (a scheduled ArriveCallback,
        // in the same order, since arrivals from one end never reorder) takes the next in-flight entry, so a segment
        // costs no object of its own, and its bytes sit in a pooled buffer.
        InFlight[] _ring;
        int _ringHead, _ringCount, _readable;
        int _readableBytes;   // unread bytes of arrived data
        int _headOffset;      // bytes of the first entry already read
        long _lastArrival;
        bool _finReceived;
        bool _disposed;
        string _resetReason;

        // The one read that may wait for data (ReadState): where its bytes go, its token, and how it ended (a PendingRead,
        // held only while a ValueTask read waits or its result is untaken: a Gnutella link waits with WaitToRead and
        // holds none), and who waits for it (with the context to run them in), also for a WaitToRead.
        PendingRead _read;
        /// <summary>Whether a ValueTask read waits or its result is untaken (for tests: a quiet end holds no read state).</summary>
        internal bool HoldsPendingRead => _read != null;
        Action<object> _continuation;
        object _continuationState;
        object _continuationContext;   // null, a SynchronizationContext, a TaskScheduler, or a CapturedContext
        short _readVersion;
        ReadState _readState;

        public SimulatedStream(SimulatedHost host, long id)
        {
            Host = host;
            Id = id;
        }

        public SimulatedHost Host { get; }
        // The host's: a field of its own would cost every end of a big simulation 8 bytes more.
        SimulatedNetwork Network => Host.Network;
        public long Id { get; }
        Stream IConnection.Stream => this;
        // Endpoints are made when asked for, from the hosts' addresses and these ports (a simulated network holds
        // hundreds of thousands of ends; their names are only read while connecting and for events). Across a NAT,
        // where an end sees another address than its host's, the strings are kept as given.
        ushort _localPort, _remotePort;
        NatEndPoints _natEndPoints;

        public string LocalEndPoint => _natEndPoints?.Local ?? Host.HostAddress + ":" + _localPort;
        public string RemoteEndPoint => _natEndPoints?.Remote ?? RemoteHost.HostAddress + ":" + _remotePort;

        /// <summary>The peer host's address (its own string, shared by every end that reaches it), or across a NAT the address this end sees.</summary>
        public string RemoteAddress => _natEndPoints != null ? HostOf(_natEndPoints.Remote) : RemoteHost.HostAddress;

        static string HostOf(string endPoint) => HostPort.TryParse(endPoint, out var hp) ? hp.Host : endPoint;

        // The admission gate whose count this accepted end holds once past its handshake (see AdmittedConnection.Settle),
        // given back when the end is disposed; null for every other end.
        AdmissionGate _admittedBy;

        void IAdmissionCarrier.CarryAdmission(AdmissionGate gate) => _admittedBy = gate;

        /// <summary>An end whose host and peer's host are reached at their own addresses.</summary>
        internal void SetPorts(int localPort, int remotePort)
        {
            _localPort = checked((ushort)localPort);
            _remotePort = checked((ushort)remotePort);
        }

        /// <summary>An end that sees itself or its peer at another address (a NAT between them).</summary>
        internal void SetEndPoints(string local, string remote) => _natEndPoints = new NatEndPoints(local, remote);

        sealed class NatEndPoints
        {
            public readonly string Local, Remote;
            public NatEndPoints(string local, string remote) { Local = local; Remote = remote; }
        }
        public override string ToString() => $"{LocalEndPoint} -> {RemoteEndPoint}";
        /// <summary>
        /// The other end, until it is finished (then null): found in the network's ConnectionTable by number, so that
        /// no reference leads from one host's objects to another's. The id check keeps a later connection that reuses
        /// the slot from ever being taken for this one's peer.
        /// </summary>
        public SimulatedStream Peer
        {
            get
            {
                var peer = End < 0 ? null : Network.Connections.At(End ^ 1);
                return peer != null && peer.Id == PeerId ? peer : null;
            }
        }

        // The two ends of a connection are numbered one after the other, the dialling end first (SimulatedNetwork.Connect).
        long PeerId => (End & 1) == 0 ? Id + 1 : Id - 1;
        /// <summary>This end's number in the network's ConnectionTable.</summary>
        internal int End { get; private set; } = -1;
        int _remoteHostIndex;
        /// <summary>The host at the other end (kept as an index, like the peer: see <see cref="Peer"/>).</summary>
        internal SimulatedHost RemoteHost => Network.HostAt(_remoteHostIndex);

        /// <summary>Joins this end to its connection: its number in the ConnectionTable and the host at the other end.</summary>
        internal void Join(int end, SimulatedHost remoteHost)
        {
            End = end;
            _remoteHostIndex = remoteHost.Index;
        }

        /// <summary>Resets this end and then the other (a crash, a partition, a refused or abandoned connection).</summary>
        internal void ResetBoth(string reason, string peerReason)
        {
            var peer = Peer;
            Reset(reason);
            peer?.Reset(peerReason);
        }
        /// <summary>The host's list of open ends runs through its streams (no set per host): see SimulatedHost.Track.</summary>
        /// <remarks>
        /// The neighbours are held by their numbers in the ConnectionTable (-1: none), which stay theirs while they are
        /// tracked: references would tie each new end to the older ones of its host, old objects pointing at young
        /// ones, which every young collection must scan for.
        /// </remarks>
        internal int TrackedPrevious = -1, TrackedNext = -1;
        internal bool IsTracked;
        /// <summary>The link from this end's host to the peer's host.</summary>
        public SimulatedLink Outbound => Network.GetLink(Host, _remoteHostIndex);
        public bool IsReset => _resetReason != null;
        /// <summary>Nothing more can happen on this end: it was reset, or closed here and closed by the peer.</summary>
        public bool IsFinished => IsReset || (_disposed && _finReceived);

        public override bool CanRead => !_disposed;
        public override bool CanWrite => !_disposed;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException("A network stream has no length.");
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) =>
            cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            var read = ReadValueAsync(buffer, offset, count, cancellationToken);
            if (!read.IsCompleted) return read.AsTask();
            if (read.IsCompletedSuccessfully) return Completed(read.Result);
            return read.AsTask();
        }

        /// <summary>
        /// Reads without a task: completes at once when data or the end is there, otherwise the stream itself is the
        /// ValueTask's source until a segment, the end, a reset, a local close or the token ends the read.
        /// </summary>
        public ValueTask<int> ReadValueAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken = default)
        {
            ValidateBuffer(buffer, offset, count);
            if (_disposed) return Failed(new ObjectDisposedException(nameof(SimulatedStream)));
            if (cancellationToken.IsCancellationRequested) return new ValueTask<int>(Task.FromCanceled<int>(cancellationToken));
            if (IsReset) return Failed(ResetException());
            if (_readState != ReadState.None) return Failed(new InvalidOperationException("A read is already pending on this connection."));
            if (_readableBytes > 0) return new ValueTask<int>(CopyOut(buffer, offset, count));
            if (count == 0 || _finReceived) return new ValueTask<int>(0);
            return Wait(buffer, offset, count, cancellationToken);
        }

        /// <summary>
        /// Nothing to wait for (bytes to read, the end, or an error the next read reports): false. Otherwise true, and
        /// <paramref name="onReady"/>(<paramref name="state"/>) is called once one of those happens — inline on the
        /// loop, or posted to the context the caller waited in when it happens elsewhere. Reads nothing, and the
        /// waiting reader holds no buffer and no task.
        /// </summary>
        public bool WaitToRead(Action<object> onReady, object state)
        {
            if (onReady == null) throw new ArgumentNullException(nameof(onReady));
            if (_disposed || IsReset || _readableBytes > 0 || _finReceived) return false;
            if (_readState != ReadState.None) throw new InvalidOperationException("A read is already pending on this connection.");
            _readState = ReadState.Notify;
            _continuation = onReady;
            _continuationState = state;
            _continuationContext = SchedulingContext(ValueTaskSourceOnCompletedFlags.UseSchedulingContext);
            return true;
        }

        /// <summary>The stream becomes the source of the read's ValueTask (a null buffer: a wait that reads nothing).</summary>
        ValueTask<int> Wait(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _readState = ReadState.Waiting;
            _readVersion++;
            var read = PendingRead.Rent();
            read.Buffer = buffer;
            read.Offset = offset;
            read.Count = count;
            _read = read;
            if (cancellationToken.CanBeCanceled)
            {
                read.Token = cancellationToken;
                read.Registration = cancellationToken.Register(CancelReadFromToken, this);
            }
            return new ValueTask<int>(this, _readVersion);
        }

        static ValueTask<int> Failed(Exception e) => new ValueTask<int>(Task.FromException<int>(e));

        public override int Read(byte[] buffer, int offset, int count)
        {
            ValidateBuffer(buffer, offset, count);
            if (_disposed) throw new ObjectDisposedException(nameof(SimulatedStream));
            if (IsReset) throw ResetException();
            if (_readableBytes > 0) return CopyOut(buffer, offset, count);
            if (count == 0 || _finReceived) return 0;
            throw new NotSupportedException("A simulated stream cannot block: use ReadAsync.");
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ValidateBuffer(buffer, offset, count);
            if (_disposed) return Task.FromException(new ObjectDisposedException(nameof(SimulatedStream)));
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
            if (IsReset) return Task.FromException(ResetException());
            if (count == 0) return Task.CompletedTask;
            long serialized = Send(buffer, offset, count);
            if (serialized <= Network.Scheduler.Now) return Task.CompletedTask;
            var wait = new WriteWait(this);
            Network.Scheduler.Enqueue(serialized, WriteWait.Fire, wait);
            return wait.Task;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            ValidateBuffer(buffer, offset, count);
            if (_disposed) throw new ObjectDisposedException(nameof(SimulatedStream));
            if (IsReset) throw ResetException();
            if (count > 0) Send(buffer, offset, count);
        }

        /// <summary>Queues the bytes on the link; returns the tick at which the last of them has left this host.</summary>
        long Send(byte[] buffer, int offset, int count)
        {
            var network = Network;
            var link = Outbound;
            long now = network.Scheduler.Now;
            long serialized = now;
            int segmentSize = network.Options.SegmentSize;
            // Looked up once per write, not per segment (SimulatedNetwork.Connections: by number, see Peer).
            var target = Peer;
            while (count > 0)
            {
                int n = Math.Min(count, segmentSize);
                var data = network.SegmentBuffers.Rent(n);
                Buffer.BlockCopy(buffer, offset, data, 0, n);
                offset += n;
                count -= n;
                network.Statistics.segmentsSent++;
                network.Statistics.bytesSent += n;
                serialized = Math.Max(now, link.FreeAt) + link.SerializationTicks(n);
                link.FreeAt = serialized;
                long arrival = serialized + link.LatencyTicks + network.RetransmissionDelay(link) + network.JitterDelay(link);
                Enqueue(target, arrival, SegmentKind.Data, data, n);
            }
            return serialized;
        }

        /// <summary>Schedules a segment no earlier than the previous one from this end: TCP never reorders.</summary>
        void Enqueue(long arrival, SegmentKind kind, byte[] data, int length) => Enqueue(Peer, arrival, kind, data, length);

        /// <summary>As above, to <paramref name="target"/>, this end's <see cref="Peer"/> as the caller just found it.</summary>
        void Enqueue(SimulatedStream target, long arrival, SegmentKind kind, byte[] data, int length)
        {
            if (arrival < _lastArrival) arrival = _lastArrival;
            _lastArrival = arrival;
            var network = Network;
            if (target == null)
            {
                // The other end is finished (reset, or closed both ways): what it would have dropped on arrival is dropped now.
                if (data != null) network.SegmentBuffers.Return(data);
                return;
            }
            target.Append(new InFlight { Data = data, Length = length, Kind = kind });
            network.Scheduler.Enqueue(arrival, ArriveCallback, target);
        }

        /// <summary>The next segment in flight to this end has arrived.</summary>
        void Arrive()
        {
            var segment = _ring[(_ringHead + _readable) & (_ring.Length - 1)];
            if (IsReset)
            {
                // Nothing arrived is kept on a reset end, so the segment is the first entry.
                DropFirst();
                return;
            }
            switch (segment.Kind)
            {
                case SegmentKind.Reset:
                    Reset("The connection was reset by the peer.");
                    DropFirst();
                    return;
                case SegmentKind.Fin:
                    // Kept as an empty entry behind the unread data (reads skip it), so the ring stays in order.
                    _readable++;
                    DropEmptyHead();
                    _finReceived = true;
                    if (IsReadWaiting) CompleteRead(0, null);
                    if (IsFinished) Network.Untrack(this);
                    return;
                default:
                    if (_disposed || !Host.IsUp)
                    {
                        // Data for an end nobody will read: answer with a reset, as a TCP stack does.
                        Reset("The connection was closed locally and the peer kept sending.");
                        DropFirst();
                        Enqueue(Network.Scheduler.Now + Outbound.LatencyTicks, SegmentKind.Reset, null, 0);
                        return;
                    }
                    _readable++;
                    _readableBytes += segment.Length;
                    if (IsReadWaiting)
                        CompleteRead(_read?.Buffer == null ? _readableBytes : CopyOut(_read.Buffer, _read.Offset, _read.Count), null);
                    return;
            }
        }

        void Append(InFlight segment)
        {
            if (_ring == null) _ring = RentRing();
            else if (_ringCount == _ring.Length)
            {
                var grown = new InFlight[_ring.Length * 2];
                for (int i = 0; i < _ringCount; i++) grown[i] = _ring[(_ringHead + i) & (_ring.Length - 1)];
                _ring = grown;
                _ringHead = 0;
            }
            _ring[(_ringHead + _ringCount) & (_ring.Length - 1)] = segment;
            _ringCount++;
        }

        /// <summary>Removes the first entry (arrived or not) and gives its buffer back.</summary>
        void DropFirst()
        {
            ref var first = ref _ring[_ringHead];
            if (first.Data != null) Network.SegmentBuffers.Return(first.Data);
            first = default;
            _ringHead = (_ringHead + 1) & (_ring.Length - 1);
            _ringCount--;
            if (_readable > 0) _readable--;
            _headOffset = 0;
            if (_ringCount == 0)
            {
                ReturnRing(_ring);
                _ring = null;
                _ringHead = 0;
            }
        }

        // Rings of the first size, kept for the ends that get segments next: an end only holds one while something is
        // in flight to it or unread. Per thread (simulations on several threads never share one), and bounded: a 10^5
        // build has some 15,000 rings in use at its peak (a cap of 4,096 made every ring past it garbage and the next
        // one anew), and lets its spares go when it is done (ReleaseSpareRings). In a ChunkedStack: one array of that
        // many rings went on the large object heap mid-build, which starts a full collection.
        const int RingSize = 4;
        const int MaxSpareRings = 65536;

        /// <summary>Lets go of this thread's spare rings (after a burst, such as a network's build).</summary>
        internal static void ReleaseSpareRings() => t_spareRings = null;

        /// <summary>How many spare rings this thread keeps (for tests).</summary>
        internal static int SpareRingCount => t_spareRings?.Count ?? 0;
        [ThreadStatic] static ChunkedStack<InFlight[]> t_spareRings;

        static InFlight[] RentRing()
        {
            var spares = t_spareRings;
            return spares == null || spares.Count == 0 ? new InFlight[RingSize] : spares.Pop();
        }

        static void ReturnRing(InFlight[] ring)
        {
            if (ring.Length != RingSize) return;   // a grown ring goes; the next end starts small
            var spares = t_spareRings ?? (t_spareRings = new ChunkedStack<InFlight[]>());
            if (spares.Count < MaxSpareRings) spares.Push(ring);   // its entries were all cleared as they were dropped
        }

        /// <summary>Drops arrived entries with nothing left to read (a close marker) from the front.</summary>
        void DropEmptyHead()
        {
            while (_readable > 0 && _ring[_ringHead].Length - _headOffset == 0) DropFirst();
        }

        /// <summary>Forgets everything that arrived and was not read; what is still in flight stays in order.</summary>
        void DropArrived()
        {
            while (_readable > 0) DropFirst();
            _readableBytes = 0;
        }

        /// <summary>Ends this end at once: buffered data is dropped, a pending read fails, later calls throw IOException.</summary>
        internal void Reset(string reason)
        {
            if (IsReset) return;
            _resetReason = reason;
            Network.Statistics.resets++;
            DropArrived();
            Network.Untrack(this);
            // Completed last, with this end's state settled: the reader's continuation runs inline.
            if (IsReadWaiting) CompleteRead(0, ResetException());
        }

        protected override void Dispose(bool disposing)
        {
            if (!disposing || _disposed) return;
            _disposed = true;
            // A WaitToRead takes no error (its reader's next read finds the stream disposed): none is made for it.
            if (_readState == ReadState.Notify) CompleteRead(0, null);
            else if (_readState == ReadState.Waiting)
                CompleteRead(0, new IOException("The connection was closed locally while a read was pending.", new ObjectDisposedException(nameof(SimulatedStream))));
            if (!IsReset)
            {
                DropArrived();
                Enqueue(Network.Scheduler.Now + Outbound.LatencyTicks, SegmentKind.Fin, null, 0);
            }
            if (IsFinished) Network.Untrack(this);
            base.Dispose(disposing);
            // Last, as the gate's wrapper gave the place back after closing the end.
            var admittedBy = _admittedBy;
            _admittedBy = null;
            admittedBy?.ReleaseCarried(RemoteAddress);
        }

        IOException ResetException() => new IOException(_resetReason);

        int CopyOut(byte[] buffer, int offset, int count)
        {
            int copied = 0;
            while (copied < count && _readable > 0)
            {
                ref var head = ref _ring[_ringHead];
                if (head.Length == _headOffset) { DropFirst(); continue; }   // a close marker behind the data
                int n = Math.Min(count - copied, head.Length - _headOffset);
                Buffer.BlockCopy(head.Data, _headOffset, buffer, offset + copied, n);
                copied += n;
                _headOffset += n;
                _readableBytes -= n;
                if (_headOffset == head.Length) DropFirst();
            }
            DropEmptyHead();
            return copied;
        }

        // Completed reads of the same size repeat (fixed headers, full small buffers): one finished task per size, shared
        // by every stream in the process (a finished task never changes), instead of one cached per stream.
        const int SharedReadResults = 4096;
        static readonly Task<int>[] CompletedReads = new Task<int>[SharedReadResults + 1];

        static Task<int> Completed(int n)
        {
            if (n > SharedReadResults) return Task.FromResult(n);
            // A race between threads only makes two equal tasks, one of which is kept.
            return CompletedReads[n] ?? (CompletedReads[n] = Task.FromResult(n));
        }

        /// <summary>Ends the waiting read with <paramref name="n"/> bytes or <paramref name="error"/>; its reader resumes last.</summary>
        void CompleteRead(int n, Exception error)
        {
            if (_readState == ReadState.Notify)
            {
                // A wait reads nothing and keeps no result: the reader's next read finds the bytes, the end or the error.
                _readState = ReadState.None;
            }
            else
            {
                var read = _read;
                read.Buffer = null;
                read.Registration.Dispose();
                read.Registration = default;
                read.Count = n;   // the result, now that the read is over
                read.Error = error;
                _readState = ReadState.Completed;
            }
            var continuation = _continuation;
            if (continuation == null) return;   // nobody waits yet: OnCompleted finds it completed
            var state = _continuationState;
            var context = _continuationContext;
            _continuation = null;
            _continuationState = null;
            _continuationContext = null;
            RunContinuation(continuation, state, context, mayRunInline: true);
        }

        void OnReadCancelled()
        {
            var scheduler = Network.Scheduler;
            // The token may fire on any thread; the stream's state belongs to the loop.
            if (scheduler.IsRunning && !scheduler.IsRunningOnCurrentThread) scheduler.Enqueue(scheduler.Now, CancelReadCallback, this);
            else CancelPendingRead();
        }

        void CancelPendingRead()
        {
            var read = _read;
            if (_readState != ReadState.Waiting || read == null || !read.Token.IsCancellationRequested) return;
            CompleteRead(0, new OperationCanceledException(read.Token));
        }

        ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token)
        {
            CheckReadToken(token);
            if (_readState == ReadState.Waiting) return ValueTaskSourceStatus.Pending;
            var error = _read.Error;
            if (error == null) return ValueTaskSourceStatus.Succeeded;
            return error is OperationCanceledException ? ValueTaskSourceStatus.Canceled : ValueTaskSourceStatus.Faulted;
        }

        int IValueTaskSource<int>.GetResult(short token)
        {
            CheckReadToken(token);
            if (_readState != ReadState.Completed) throw new InvalidOperationException("The read has not completed.");
            var read = _read;
            var error = read.Error;
            int n = read.Count;
            _read = null;
            read.Return();
            _readState = ReadState.None;   // the next read may start
            if (error != null) ExceptionDispatchInfo.Capture(error).Throw();
            return n;
        }

        void IValueTaskSource<int>.OnCompleted(Action<object> continuation, object state, short token, ValueTaskSourceOnCompletedFlags flags)
        {
            if (continuation == null) throw new ArgumentNullException(nameof(continuation));
            CheckReadToken(token);
            if (_continuation != null) throw new InvalidOperationException("A read can be awaited only once.");
            var context = SchedulingContext(flags);
            // Completed between the check and here: never run the awaiter inside its own OnCompleted.
            if (_readState == ReadState.Completed) RunContinuation(continuation, state, context, mayRunInline: false);
            else
            {
                _continuation = continuation;
                _continuationState = state;
                _continuationContext = context;
            }
        }

        /// <summary>Where a continuation must run, as a task's awaiter would capture it (null: anywhere, inline).</summary>
        static object SchedulingContext(ValueTaskSourceOnCompletedFlags flags)
        {
            object context = null;
            if ((flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0)
            {
                var sc = SynchronizationContext.Current;
                if (sc != null && sc.GetType() != typeof(SynchronizationContext)) context = sc;
                else if (TaskScheduler.Current != TaskScheduler.Default) context = TaskScheduler.Current;
            }
            if ((flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0)
            {
                var execution = ExecutionContext.Capture();
                if (execution != null) context = new CapturedContext(context, execution);
            }
            return context;
        }

        bool IsReadWaiting => _readState == ReadState.Waiting || _readState == ReadState.Notify;

        void CheckReadToken(short token)
        {
            if (token != _readVersion || _readState == ReadState.None)
                throw new InvalidOperationException("This read's ValueTask was already used: await it once.");
        }

        /// <summary>
        /// Inline where a task would run it inline (its context is the current one, or none); otherwise posted to its
        /// context (a simulation's read completed from outside the loop is queued on the loop, as a task's would be).
        /// </summary>
        static void RunContinuation(Action<object> continuation, object state, object context, bool mayRunInline)
        {
            if (context is CapturedContext captured)
            {
                ExecutionContext.Run(captured.Execution, s =>
                {
                    var c = (CapturedContext)s;
                    RunContinuation(c.Continuation, c.State, c.Scheduling, c.MayRunInline);
                }, captured.With(continuation, state, mayRunInline));
                return;
            }
            switch (context)
            {
                case SynchronizationContext sc:
                    if (mayRunInline && sc == SynchronizationContext.Current) continuation(state);
                    else sc.Post(s => { var p = (PostedContinuation)s; p.Continuation(p.State); }, new PostedContinuation(continuation, state));
                    return;
                case TaskScheduler scheduler:
                    Task.Factory.StartNew(continuation, state, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);
                    return;
                default:
                    if (mayRunInline) continuation(state);
                    else ThreadPool.QueueUserWorkItem(s => { var p = (PostedContinuation)s; p.Continuation(p.State); }, new PostedContinuation(continuation, state));
                    return;
            }
        }

        static void ValidateBuffer(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || count < 0 || offset > buffer.Length - count) throw new ArgumentOutOfRangeException(nameof(count), "The offset and count do not fit the buffer.");
        }

        // Waiting: a ValueTask read (the stream is its source); Completed: its result not yet taken; Notify: a
        // WaitToRead whose callback has not run yet.
        enum ReadState : byte { None, Waiting, Completed, Notify }

        /// <summary>
        /// A ValueTask read that had to wait: where its bytes go and its token (with its registration) while it waits,
        /// then its result until GetResult takes it. Kept per thread for the next one (simulations on several threads
        /// never share one), a few at most: on a simulation's loop reads wait one at a time per end, and most ends of a
        /// built network wait with WaitToRead instead.
        /// </summary>
        sealed class PendingRead
        {
            public byte[] Buffer;
            public int Offset;
            public int Count;   // what the buffer has room for; once completed, the bytes read
            public CancellationToken Token;
            public CancellationTokenRegistration Registration;
            public Exception Error;

            const int MaxSpares = 64;
            [ThreadStatic] static PendingRead[] t_spares;
            [ThreadStatic] static int t_spareCount;

            public static PendingRead Rent()
            {
                if (t_spareCount == 0) return new PendingRead();
                var read = t_spares[--t_spareCount];
                t_spares[t_spareCount] = null;
                return read;
            }

            /// <summary>Cleared and kept for the next read on this thread (GetResult, the only place, runs once per read).</summary>
            public void Return()
            {
                Buffer = null;
                Offset = Count = 0;
                Token = default;
                Registration = default;
                Error = null;
                var spares = t_spares ?? (t_spares = new PendingRead[MaxSpares]);
                if (t_spareCount < spares.Length) spares[t_spareCount++] = this;
            }
        }

        sealed class PostedContinuation
        {
            public readonly Action<object> Continuation;
            public readonly object State;
            public PostedContinuation(Action<object> continuation, object state) { Continuation = continuation; State = state; }
        }

        /// <summary>An awaiter that asked for its ExecutionContext to flow (rare: async methods flow their own).</summary>
        sealed class CapturedContext
        {
            public readonly object Scheduling;
            public readonly ExecutionContext Execution;
            public Action<object> Continuation;
            public object State;
            public bool MayRunInline;
            public CapturedContext(object scheduling, ExecutionContext execution) { Scheduling = scheduling; Execution = execution; }
            public CapturedContext With(Action<object> continuation, object state, bool mayRunInline)
            {
                Continuation = continuation;
                State = state;
                MayRunInline = mayRunInline;
                return this;
            }
        }

        /// <summary>A segment on its way to (or arrived at, unread) this end: pooled bytes, or a close or reset.</summary>
        struct InFlight
        {
            public byte[] Data;
            public int Length;
            public SegmentKind Kind;
        }

        /// <summary>A write waiting for the link to serialize it; fails if the connection is reset meanwhile.</summary>
        sealed class WriteWait : TaskCompletionSource<bool>
        {
            public static readonly SendOrPostCallback Fire = state => ((WriteWait)state).Complete();
            readonly SimulatedStream _stream;
            public WriteWait(SimulatedStream stream) : base() => _stream = stream;

            void Complete()
            {
                if (_stream.IsReset) TrySetException(_stream.ResetException());
                else TrySetResult(true);
            }
        }
    }
}
