using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Reads what one connection says during its handshake: the first bytes that tell what it is, then its handshake
    /// heads, each bounded, never buffering more than the bound. A head it hands out is lent: good until the reader's
    /// next call (reading it later throws), so a handshake takes what it needs from a head at once.
    /// </summary>
    /// <remarks>
    /// Use: <c>while (!reader.TryTakeHead(out head)) await reader.WaitAsync(token);</c>. On a stream that can say when
    /// it has bytes (<see cref="IValueReadStream"/>: simulated ends) a waiting reader holds no buffer and no task — it is
    /// itself the wait's source — and once bytes are there they are read into this thread's lent buffer and parsed in
    /// place; only bytes that must outlive the step (half a head, what came in behind one) are copied to an array of
    /// their own. Other streams (sockets) are read into a buffer of the reader's own, which grows toward the bound.
    /// One wait at a time; each wait awaited once. Not thread-safe (a handshake is one sequence of steps).
    /// </remarks>
    internal sealed class HandshakeHeadReader : IValueTaskSource
    {
        static readonly Action<object> ReadyCallback = state => ((HandshakeHeadReader)state).OnReady();
        static readonly byte[] Nothing = new byte[0];
        static readonly Action<object> CancelCallback = state => ((HandshakeHeadReader)state).Cancel();

        // A network build holds two readers per link it is making, so a reader keeps only what every wait needs: the
        // stream once (whether it can say when it has bytes is asked of it), and a token only for waits that have one.
        readonly Stream _stream;
        readonly int _max;
        readonly int _initialBytes;
        // Streams read through ReadAsync: unconsumed bytes are _own.Bytes[_start .. _start + _count).
        HandshakeHeadBuffer _own;
        int _start, _count;
        // Waitable streams: unconsumed bytes kept between steps are _kept[0 .. _keptCount).
        byte[] _kept;
        int _keptCount;
        bool _ready;    // a wait ended: the stream has bytes, its end or an error, and a read completes at once
        bool _ended;    // the stream ended

        // The pending wait, as a ValueTask source, and its token when it has one that can be cancelled.
        InlineValueTaskSourceCore<bool> _wait;
        WaitCancellation _cancellation;

        sealed class WaitCancellation
        {
            public readonly CancellationToken Token;
            public CancellationTokenRegistration Registration;
            public WaitCancellation(CancellationToken token) => Token = token;
        }

        /// <param name="maxBytes">The bound on one head and on everything buffered while reading it.</param>
        /// <param name="initialBytes">Where reads go to a buffer of the reader's own: its first size (it doubles toward the bound).</param>
        public HandshakeHeadReader(Stream stream, int maxBytes, int initialBytes)
        {
            _stream = stream ?? throw new ArgumentNullException(nameof(stream));
            if (maxBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxBytes));
            _max = maxBytes;
            _initialBytes = Math.Max(16, Math.Min(initialBytes, maxBytes));
        }

        // The stream as one that can say when it has bytes (simulated ends); null: reads go to _own through Stream.ReadAsync.
        IValueReadStream Waitable => _stream as IValueReadStream;

        /// <summary>
        /// Set when whoever cancels the token passed to <see cref="WaitAsync"/> calls <see cref="Cancel"/> itself (a
        /// handshake's deadline does): a wait then registers nothing with the token.
        /// </summary>
        public bool CancelledByOwner { get; set; }

        /// <summary>The stream ended (nothing more will come after what is buffered).</summary>
        public bool Ended => _ended;

        /// <summary>Bytes read and not yet taken.</summary>
        public int Buffered => Waitable != null ? _keptCount : _count;

        // ------------------------------------------------------------------ waiting

        /// <summary>
        /// Completes when a read would complete at once (bytes, the end of the stream, or an error the next step
        /// reports), or faults with OperationCanceledException when <paramref name="token"/> is cancelled first.
        /// </summary>
        public ValueTask WaitAsync(CancellationToken token)
        {
            var waitable = Waitable;
            if (waitable == null) return new ValueTask(ReadOwnAsync(token));
            if (token.IsCancellationRequested) return new ValueTask(Task.FromCanceled(token));
            if (_wait.IsPending) throw new InvalidOperationException("A handshake read is already waiting.");
            if (_ready || _ended || !waitable.WaitToRead(ReadyCallback, this))
            {
                _ready = !_ended;
                return default;
            }
            short version = _wait.Begin();
            if (!token.CanBeCanceled) _cancellation = null;
            else
            {
                if (_cancellation == null || _cancellation.Token != token) _cancellation = new WaitCancellation(token);
                if (!CancelledByOwner) _cancellation.Registration = token.Register(CancelCallback, this);
            }
            return new ValueTask(this, version);
        }

        /// <summary>Ends a waiting wait as cancelled when its token is cancelled (safe to call at any time).</summary>
        public void Cancel()
        {
            var cancellation = _cancellation;
            if (!_wait.IsPending || cancellation == null || !cancellation.Token.IsCancellationRequested) return;
            Complete(new OperationCanceledException(cancellation.Token));
        }

        void OnReady()
        {
            if (!_wait.IsPending) return;   // the wait was cancelled: the stream tells us anyway when it has something
            _ready = true;
            Complete(null);
        }

        void Complete(Exception error)
        {
            var cancellation = _cancellation;
            if (cancellation != null)
            {
                var registration = cancellation.Registration;
                cancellation.Registration = default;
                registration.Dispose();
            }
            _wait.TryComplete(true, error);
        }

        ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _wait.GetStatus(token);

        void IValueTaskSource.GetResult(short token) => _wait.GetResult(token);

        void IValueTaskSource.OnCompleted(Action<object> continuation, object state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _wait.OnCompleted(continuation, state, token, flags);

        // A stream without waits: the wait is a read into the reader's own buffer.
        async Task ReadOwnAsync(CancellationToken token)
        {
            if (_ended) return;
            var own = Own();
            own.Renew();
            Compact(own);
            if (_count == own.Bytes.Length)
            {
                if (_count >= _max) return;   // full: the next step reports the head as too large
                own.Grow(Math.Min(_max, own.Bytes.Length * 2), _count);
            }
            int n = await _stream.ReadAsync(own.Bytes, _count, own.Bytes.Length - _count, token);
            if (n <= 0) _ended = true;
            else _count += n;
        }

        HandshakeHeadBuffer Own() => _own ?? (_own = new HandshakeHeadBuffer(_initialBytes));

        void Compact(HandshakeHeadBuffer own)
        {
            if (_start == 0) return;
            if (_count > 0) Buffer.BlockCopy(own.Bytes, _start, own.Bytes, 0, _count);
            _start = 0;
        }

        // ------------------------------------------------------------------ taking bytes

        /// <summary>
        /// Whether at least <paramref name="count"/> bytes are buffered, reading (after a wait) only what is missing of
        /// them, so the rest stays in the stream for the next step. Throws what the read throws.
        /// </summary>
        public bool Has(int count)
        {
            if (Waitable == null) return _count >= count;
            if (_keptCount < count && _ready)
            {
                _ready = false;
                if (_kept == null || _kept.Length < count) Array.Resize(ref _kept, count);
                ReadNow(_kept, _keptCount, count - _keptCount, ref _keptCount);
            }
            return _keptCount >= count;
        }

        /// <summary>Whether the buffered bytes start with <paramref name="ascii"/>.</summary>
        public bool StartsWith(string ascii)
        {
            byte[] bytes = Waitable != null ? _kept : _own?.Bytes;
            int start = Waitable != null ? 0 : _start;
            if (Buffered < ascii.Length) return false;
            for (int i = 0; i < ascii.Length; i++) if (bytes[start + i] != ascii[i]) return false;
            return true;
        }

        /// <summary>Everything buffered, handed over in an array of its own (and no longer buffered here).</summary>
        public byte[] TakeBuffered()
        {
            if (Buffered == 0) return Nothing;
            var taken = new byte[Buffered];
            if (Waitable != null)
            {
                if (_keptCount > 0) Buffer.BlockCopy(_kept, 0, taken, 0, _keptCount);
                _keptCount = 0;
            }
            else
            {
                if (_count > 0) Buffer.BlockCopy(_own.Bytes, _start, taken, 0, _count);
                _start += _count;
                _count = 0;
            }
            return taken;
        }

        /// <summary>
        /// True, with the head, when the buffered bytes (and, after a wait, what the stream has) hold a whole head;
        /// the head is good until this reader's next call. False when more must be read first. Throws
        /// <see cref="GnutellaProtocolException"/> when the head is larger than the bound, the stream ends first, or it
        /// is not a Gnutella 0.6 head; and what the read throws (a reset, a closed stream).
        /// </summary>
        public bool TryTakeHead(out HandshakeHead head)
        {
            head = null;
            HandshakeHeadBuffer buffer;
            int count;
            if (Waitable != null)
            {
                // This step borrows the thread's buffer: what was kept, then what the stream has.
                buffer = HandshakeHeadBuffer.Shared(_max);
                buffer.Renew();
                count = _keptCount;
                if (count > 0) Buffer.BlockCopy(_kept, 0, buffer.Bytes, 0, count);
                _keptCount = 0;
                if (_ready && count < _max)
                {
                    _ready = false;
                    ReadNow(buffer.Bytes, count, _max - count, ref count);
                }
            }
            else
            {
                buffer = Own();
                buffer.Renew();
                Compact(buffer);
                count = _count;
            }

            int end = FindHeadEnd(buffer.Bytes, count, out int headLength);
            if (end < 0)
            {
                if (Waitable != null) Keep(buffer.Bytes, 0, count);
                if (count >= _max) throw new GnutellaProtocolException($"handshake head larger than {_max} bytes");
                if (_ended) throw new GnutellaProtocolException(count == 0 ? "the connection closed before a handshake" : "the connection closed inside a handshake head");
                return false;
            }
            // What came in behind the head stays for the next step (a confirmation, the first messages).
            if (Waitable != null) Keep(buffer.Bytes, end, count - end);
            else
            {
                _start = end;
                _count = count - end;
            }
            head = GnutellaHandshake.ParseLent(buffer, headLength);
            return true;
        }

        /// <summary>
        /// Gives back a head this reader lent once the handshake has taken what it needs from it, and clears the
        /// caller's reference: the next head is parsed into it. Reading it meanwhile throws.
        /// </summary>
        public static void Release(ref HandshakeHead head)
        {
            if (head?.Headers is HandshakeHeaders headers && headers.Lender != null) headers.Lender.GiveBack(head);
            head = null;
        }

        // A read that completes at once (a wait said so): adds what it brought to count, or notes the end.
        void ReadNow(byte[] into, int offset, int room, ref int count)
        {
            var read = Waitable.ReadValueAsync(into, offset, room);
            if (!read.IsCompleted) throw new InvalidOperationException("The stream said it had bytes, but its read waits.");
            int n = read.Result;   // rethrows a reset or a closed stream
            if (n <= 0) _ended = true;
            else count += n;
        }

        void Keep(byte[] bytes, int from, int count)
        {
            if (count <= 0) return;
            if (_kept == null || _kept.Length < count) _kept = new byte[count];
            Buffer.BlockCopy(bytes, from, _kept, 0, count);
            _keptCount = count;
        }

        // The end of the head's empty line (CRLFCRLF, or LFLF from lenient peers) in bytes[0 .. count), and the length of
        // the head before the empty line; -1 when the head is not complete yet.
        static int FindHeadEnd(byte[] bytes, int count, out int headLength)
        {
            for (int i = 0; i < count; i++)
            {
                if (bytes[i] != (byte)'\n') continue;
                if (i + 1 < count && bytes[i + 1] == (byte)'\n') { headLength = i + 1; return i + 2; }
                if (i + 2 < count && bytes[i + 1] == (byte)'\r' && bytes[i + 2] == (byte)'\n') { headLength = i + 1; return i + 3; }
            }
            headLength = 0;
            return -1;
        }
    }
}
