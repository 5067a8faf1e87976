using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Encodes messages into one pending buffer and sends it with a single Stream.WriteAsync per flush, so a burst of
    /// haves, requests and piece blocks costs one write, not one per message. Enqueue copies the message at once
    /// (the caller may reuse its buffers) and may be called from any thread, also while a flush is writing; flushes
    /// run one at a time, and a flush also sends what was enqueued while it waited.
    /// <para>Memory: a new writer holds only room for the handshake; the first message beyond it brings the 64 KiB
    /// buffer, and at most two of those (one filling, one being written) live per connection from then on. A flushed
    /// buffer is kept as the spare for the next burst, so the transfer path allocates nothing per flush.</para>
    /// </summary>
    public sealed class PeerWireWriter
    {
        const int InitialBufferSize = 64 * 1024;
        // A buffer that grew past this for a burst is dropped after the write instead of kept for the connection's life.
        const int MaxRetainedBufferSize = 1 << 20;

        readonly Stream _stream;
        readonly object _gate = new object();
        readonly SemaphoreSlim _writing = new SemaphoreSlim(1, 1);
        byte[] _pending = new byte[Handshake.Length];   // a stranger before its handshake costs 68 bytes here, not 64 KiB
        int _pendingCount;
        byte[] _spare;
        long _bytesWritten;

        public PeerWireWriter(Stream stream) => _stream = stream ?? throw new ArgumentNullException(nameof(stream));

        /// <summary>Bytes handed to the stream so far.</summary>
        public long BytesWritten => Interlocked.Read(ref _bytesWritten);

        /// <summary>Bytes enqueued and not yet handed to the stream.</summary>
        public int PendingBytes
        {
            get { lock (_gate) return _pendingCount; }
        }

        public void Enqueue(PeerMessage message)
        {
            if (message == null) throw new ArgumentNullException(nameof(message));
            lock (_gate)
            {
                int at = Reserve(message.WireLength);
                Encode(message, _pending, at);
            }
        }

        /// <summary>
        /// Queues a piece message whose block <paramref name="fill"/> writes straight into the pending buffer at the offset
        /// it is given (a seeder reads the file there: no block buffer, no second copy of each block). fill runs under the
        /// writer's lock, so nothing is queued in between; when it returns false or throws, nothing is queued. True when
        /// queued. <paramref name="state"/> is handed to fill, so fill need not capture anything (no allocation per block).
        /// </summary>
        public bool TryEnqueuePiece<TState>(int index, int begin, int length, TState state, Func<TState, byte[], int, bool> fill)
        {
            if (fill == null) throw new ArgumentNullException(nameof(fill));
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
            lock (_gate)
            {
                int wireLength = 4 + BitTorrentConstants.PieceHeaderLength + length;
                int at = Reserve(wireLength);
                bool queued = false;
                try
                {
                    BigEndian.WriteUInt32(_pending, at, (uint)(wireLength - 4));
                    _pending[at + 4] = (byte)PeerMessageType.Piece;
                    BigEndian.WriteUInt32(_pending, at + 5, (uint)index);
                    BigEndian.WriteUInt32(_pending, at + 9, (uint)begin);
                    queued = fill(state, _pending, at + 13);
                }
                finally
                {
                    if (!queued) _pendingCount = at;
                }
                return queued;
            }
        }

        /// <summary>Queues the handshake, so it can leave in one write with the bitfield that follows it.</summary>
        public void EnqueueHandshake(Handshake handshake)
        {
            if (handshake == null) throw new ArgumentNullException(nameof(handshake));
            lock (_gate)
            {
                int at = Reserve(Handshake.Length);
                handshake.CopyTo(_pending, at);
            }
        }

        public Task WriteHandshakeAsync(Handshake handshake, CancellationToken cancellationToken)
        {
            EnqueueHandshake(handshake);
            return FlushAsync(cancellationToken);
        }

        /// <summary>
        /// Sends everything enqueued. Cancelling abandons the wait or the write in progress (the connection should
        /// then be closed: a message may have been half sent).
        /// </summary>
        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            await _writing.WaitAsync(cancellationToken);
            try
            {
                while (true)
                {
                    byte[] buffer;
                    int count;
                    lock (_gate)
                    {
                        if (_pendingCount == 0) return;
                        buffer = _pending;
                        count = _pendingCount;
                        // The spare, or nothing until the next Enqueue (an idle connection holds one buffer, not two).
                        _pending = _spare ?? Array.Empty<byte>();
                        _spare = null;
                        _pendingCount = 0;
                    }
                    await _stream.WriteAsync(buffer, 0, count, cancellationToken);
                    Interlocked.Add(ref _bytesWritten, count);
                    lock (_gate)
                    {
                        // Kept for the next burst, unless it is the handshake's (small) or a burst's (too large).
                        if (buffer.Length >= InitialBufferSize && buffer.Length <= MaxRetainedBufferSize)
                        {
                            if (_pendingCount == 0 && _pending.Length < buffer.Length) _pending = buffer;   // nothing queued meanwhile
                            else if (_spare == null) _spare = buffer;
                        }
                    }
                }
            }
            finally
            {
                _writing.Release();
            }
        }

        // Makes room for count more bytes in the pending buffer; returns where they go. Called under _gate.
        int Reserve(int count)
        {
            int needed = _pendingCount + count;
            if (needed > _pending.Length)
            {
                int size = Math.Max(_pending.Length, InitialBufferSize);
                while (size < needed) size *= 2;
                var larger = new byte[size];
                Buffer.BlockCopy(_pending, 0, larger, 0, _pendingCount);
                _pending = larger;
            }
            int at = _pendingCount;
            _pendingCount = needed;
            return at;
        }

        /// <summary>Writes <paramref name="message"/> in wire format at <paramref name="offset"/> (WireLength bytes).</summary>
        public static void Encode(PeerMessage message, byte[] buffer, int offset)
        {
            if (message.Type == PeerMessageType.KeepAlive)
            {
                BigEndian.WriteUInt32(buffer, offset, 0);
                return;
            }
            BigEndian.WriteUInt32(buffer, offset, (uint)(message.WireLength - 4));
            buffer[offset + 4] = (byte)message.Type;
            int p = offset + 5;
            switch (message.Type)
            {
                case PeerMessageType.Have:
                    BigEndian.WriteUInt32(buffer, p, (uint)message.Index);
                    break;
                case PeerMessageType.Request:
                case PeerMessageType.Cancel:
                    BigEndian.WriteUInt32(buffer, p, (uint)message.Index);
                    BigEndian.WriteUInt32(buffer, p + 4, (uint)message.Begin);
                    BigEndian.WriteUInt32(buffer, p + 8, (uint)message.Length);
                    break;
                case PeerMessageType.Piece:
                    BigEndian.WriteUInt32(buffer, p, (uint)message.Index);
                    BigEndian.WriteUInt32(buffer, p + 4, (uint)message.Begin);
                    Buffer.BlockCopy(message.Data, message.DataOffset, buffer, p + 8, message.DataCount);
                    break;
                case PeerMessageType.Bitfield:
                    Buffer.BlockCopy(message.Data, message.DataOffset, buffer, p, message.DataCount);
                    break;
                case PeerMessageType.Port:
                    buffer[p] = (byte)(message.Index >> 8);
                    buffer[p + 1] = (byte)message.Index;
                    break;
                case PeerMessageType.Extended:
                    buffer[p] = (byte)message.Index;
                    Buffer.BlockCopy(message.Data, message.DataOffset, buffer, p + 1, message.DataCount);
                    break;
            }
        }
    }
}
