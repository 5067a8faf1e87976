using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

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
    /// Only ReadAsync/WriteAsync(byte[], int, int, CancellationToken) and FlushAsync are the real interface; the
    /// synchronous Read works only when data or end-of-stream is already there, and Write does not wait for the
    /// link. State is touched only on the simulation's loop (or while it is idle); a cancellation arriving on
    /// another thread is handed to the loop.
    /// </remarks>
    sealed class SimulatedStream : Stream
    {
        static readonly SendOrPostCallback CancelReadCallback = state => ((SimulatedStream)state).CancelPendingRead();
        static readonly Action<object> CancelReadFromToken = state => ((SimulatedStream)state).OnReadCancelled();

        readonly SimulatedNetwork _network;
        readonly Queue<byte[]> _received = new Queue<byte[]>();
        int _headOffset;
        long _lastArrival;
        bool _finReceived;
        bool _disposed;
        string _resetReason;
        Task<int> _lastReadTask;

        // The one read that may wait for data.
        TaskCompletionSource<int> _readWaiter;
        byte[] _readBuffer;
        int _readOffset;
        int _readCount;
        CancellationToken _readToken;
        CancellationTokenRegistration _readRegistration;

        public SimulatedStream(SimulatedNetwork network, SimulatedHost host, long id)
        {
            _network = network;
            Host = host;
            Id = id;
        }

        public SimulatedHost Host { get; }
        public long Id { get; }
        public SimulatedStream Peer { get; set; }
        /// <summary>The link from this end's host to the peer's host.</summary>
        public SimulatedLink Outbound => _network.GetLink(Host, Peer.Host);
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
            ValidateBuffer(buffer, offset, count);
            if (_disposed) return Task.FromException<int>(new ObjectDisposedException(nameof(SimulatedStream)));
            if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<int>(cancellationToken);
            if (IsReset) return Task.FromException<int>(ResetException());
            if (_readWaiter != null) return Task.FromException<int>(new InvalidOperationException("A read is already pending on this connection."));
            if (_received.Count > 0) return Completed(CopyOut(buffer, offset, count));
            if (count == 0 || _finReceived) return Completed(0);

            _readWaiter = new TaskCompletionSource<int>();
            _readBuffer = buffer;
            _readOffset = offset;
            _readCount = count;
            _readToken = cancellationToken;
            var task = _readWaiter.Task;
            if (cancellationToken.CanBeCanceled) _readRegistration = cancellationToken.Register(CancelReadFromToken, this);
            return task;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ValidateBuffer(buffer, offset, count);
            if (_disposed) throw new ObjectDisposedException(nameof(SimulatedStream));
            if (IsReset) throw ResetException();
            if (_received.Count > 0) return CopyOut(buffer, offset, count);
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
            if (serialized <= _network.Scheduler.Now) return Task.CompletedTask;
            var wait = new WriteWait(this);
            _network.Scheduler.Enqueue(serialized, WriteWait.Fire, wait);
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
            var scheduler = _network.Scheduler;
            var link = Outbound;
            long now = scheduler.Now;
            long serialized = now;
            int segmentSize = _network.Options.SegmentSize;
            while (count > 0)
            {
                int n = Math.Min(count, segmentSize);
                var data = new byte[n];
                Buffer.BlockCopy(buffer, offset, data, 0, n);
                offset += n;
                count -= n;
                _network.Statistics.segmentsSent++;
                _network.Statistics.bytesSent += n;
                serialized = Math.Max(now, link.FreeAt) + link.SerializationTicks(n);
                link.FreeAt = serialized;
                long arrival = serialized + link.LatencyTicks + _network.RetransmissionDelay(link) + _network.JitterDelay(link);
                Enqueue(arrival, new Segment(Peer, SegmentKind.Data, data));
            }
            return serialized;
        }

        /// <summary>Schedules a segment no earlier than the previous one from this end: TCP never reorders.</summary>
        void Enqueue(long arrival, Segment segment)
        {
            if (arrival < _lastArrival) arrival = _lastArrival;
            _lastArrival = arrival;
            _network.Scheduler.Enqueue(arrival, Segment.Deliver, segment);
        }

        /// <summary>A segment from the peer has arrived at this end.</summary>
        internal void Receive(Segment segment)
        {
            if (IsReset) return;
            switch (segment.Kind)
            {
                case SegmentKind.Reset:
                    Reset("The connection was reset by the peer.");
                    return;
                case SegmentKind.Fin:
                    _finReceived = true;
                    if (_readWaiter != null) CompleteRead(0);
                    if (IsFinished) _network.Untrack(this);
                    return;
                default:
                    if (_disposed || !Host.IsUp)
                    {
                        // Data for an end nobody will read: answer with a reset, as a TCP stack does.
                        Reset("The connection was closed locally and the peer kept sending.");
                        Enqueue(_network.Scheduler.Now + Outbound.LatencyTicks, new Segment(Peer, SegmentKind.Reset, null));
                        return;
                    }
                    _received.Enqueue(segment.Data);
                    if (_readWaiter != null) CompleteRead(CopyOut(_readBuffer, _readOffset, _readCount));
                    return;
            }
        }

        /// <summary>Ends this end at once: buffered data is dropped, a pending read fails, later calls throw IOException.</summary>
        internal void Reset(string reason)
        {
            if (IsReset) return;
            _resetReason = reason;
            _network.Statistics.resets++;
            _received.Clear();
            _headOffset = 0;
            _network.Untrack(this);
            // Completed last, with this end's state settled: the reader's continuation runs inline.
            if (_readWaiter != null) TakeReadWaiter().TrySetException(ResetException());
        }

        protected override void Dispose(bool disposing)
        {
            if (!disposing || _disposed) return;
            _disposed = true;
            if (_readWaiter != null) TakeReadWaiter().TrySetException(new IOException("The connection was closed locally while a read was pending.", new ObjectDisposedException(nameof(SimulatedStream))));
            if (!IsReset)
            {
                _received.Clear();
                Enqueue(_network.Scheduler.Now + Outbound.LatencyTicks, new Segment(Peer, SegmentKind.Fin, null));
            }
            if (IsFinished) _network.Untrack(this);
            base.Dispose(disposing);
        }

        IOException ResetException() => new IOException(_resetReason);

        int CopyOut(byte[] buffer, int offset, int count)
        {
            int copied = 0;
            while (copied < count && _received.Count > 0)
            {
                var head = _received.Peek();
                int n = Math.Min(count - copied, head.Length - _headOffset);
                Buffer.BlockCopy(head, _headOffset, buffer, offset + copied, n);
                copied += n;
                _headOffset += n;
                if (_headOffset == head.Length)
                {
                    _received.Dequeue();
                    _headOffset = 0;
                }
            }
            return copied;
        }

        Task<int> Completed(int n)
        {
            // Reads of the same size repeat (fixed headers, full buffers): reuse the completed task.
            var last = _lastReadTask;
            if (last != null && last.Result == n) return last;
            return _lastReadTask = Task.FromResult(n);
        }

        void CompleteRead(int n) => TakeReadWaiter().TrySetResult(n);

        TaskCompletionSource<int> TakeReadWaiter()
        {
            var waiter = _readWaiter;
            _readWaiter = null;
            _readBuffer = null;
            _readRegistration.Dispose();
            _readRegistration = default;
            return waiter;
        }

        void OnReadCancelled()
        {
            var scheduler = _network.Scheduler;
            // The token may fire on any thread; the stream's state belongs to the loop.
            if (scheduler.IsRunning && !scheduler.IsRunningOnCurrentThread) scheduler.Enqueue(scheduler.Now, CancelReadCallback, this);
            else CancelPendingRead();
        }

        void CancelPendingRead()
        {
            if (_readWaiter == null || !_readToken.IsCancellationRequested) return;
            var token = _readToken;
            TakeReadWaiter().TrySetCanceled(token);
        }

        static void ValidateBuffer(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || count < 0 || offset > buffer.Length - count) throw new ArgumentOutOfRangeException(nameof(count), "The offset and count do not fit the buffer.");
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
