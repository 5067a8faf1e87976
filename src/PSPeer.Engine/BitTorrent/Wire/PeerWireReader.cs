using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Reads the handshake and then messages from one peer connection, through Stream.ReadAsync only. One receive
    /// buffer is reused for the life of the connection; each read takes as much as the stream has, so many small
    /// messages come from one ReadAsync. Until the first message is read the buffer holds just the 68-byte handshake:
    /// a stranger that connects and says nothing costs a few bytes, not 64 KiB. Every length is checked against its message id and against
    /// <see cref="MaxMessageLength"/> before anything is allocated for it; bad input throws PeerWireException.
    /// <para>Piece blocks are read straight into a buffer the caller keeps: a fresh array per block, or the caller's
    /// own piece buffer through <see cref="BlockBuffer"/> (no copy of the bytes already in flight, none afterwards).
    /// Not thread-safe: one read loop per connection calls it.</para>
    /// </summary>
    public sealed class PeerWireReader
    {
        const int DefaultReceiveBufferSize = 64 * 1024;

        readonly Stream _stream;
        readonly int _bufferSize;   // the receive buffer's size once past the handshake
        byte[] _buffer;
        int _start;   // first unread byte
        int _end;     // one past the last received byte

        public PeerWireReader(Stream stream, int maxMessageLength = BitTorrentConstants.DefaultMaxMessageLength)
        {
            _stream = stream ?? throw new ArgumentNullException(nameof(stream));
            if (maxMessageLength < 1 + BitTorrentConstants.PieceHeaderLength) throw new ArgumentOutOfRangeException(nameof(maxMessageLength));
            MaxMessageLength = maxMessageLength;
            // Never bigger than needed: one largest message, the handshake, or the usual 64 KiB.
            _bufferSize = Math.Max(Handshake.Length, Math.Min(DefaultReceiveBufferSize, maxMessageLength + 4));
            _buffer = new byte[Handshake.Length];
        }

        /// <summary>Largest length prefix accepted; a larger one fails before any byte of it is buffered.</summary>
        public int MaxMessageLength { get; }

        /// <summary>Largest piece block accepted (default 128 KiB, the request limit real clients use).</summary>
        public int MaxBlockLength { get; set; } = BitTorrentConstants.MaxRequestLength;

        /// <summary>
        /// The torrent's piece count once known (set it after the handshake): then bitfields must have exactly
        /// ceil(PieceCount/8) bytes with zero spare bits, and have/request/cancel/piece indexes must be below it.
        /// 0 = unknown, nothing checked.
        /// </summary>
        public int PieceCount { get; set; }

        /// <summary>Where piece blocks go; null = a fresh array per block, owned by the caller.</summary>
        public BlockBufferProvider BlockBuffer { get; set; }

        /// <summary>Bytes received from the stream so far (including bytes still buffered).</summary>
        public long BytesRead { get; private set; }

        /// <summary>Bytes received but not yet returned as messages.</summary>
        public int Buffered => _end - _start;

        /// <summary>
        /// Reads the 68-byte handshake. Fails as soon as the first bytes show another protocol, and when the stream
        /// ends first. Bytes after the handshake stay buffered for ReadMessageAsync.
        /// </summary>
        public async Task<Handshake> ReadHandshakeAsync(CancellationToken cancellationToken)
        {
            if (!await FillAsync(1, cancellationToken)) throw new PeerWireException("the connection closed before the handshake");
            if (_buffer[_start] != BitTorrentConstants.ProtocolName.Length)
                throw new PeerWireException("the handshake does not start with 19 \"BitTorrent protocol\" (not a BitTorrent peer)");
            if (!await FillAsync(Handshake.Length, cancellationToken)) throw new PeerWireException($"the connection closed during the handshake ({Buffered} of {Handshake.Length} bytes)");
            var handshake = Handshake.Parse(_buffer, _start);
            _start += Handshake.Length;
            return handshake;
        }

        /// <summary>
        /// Whether the connection opens with BEP 3's "\x13BitTorrent protocol" (true) or with something else, such as an
        /// encrypted handshake (<see cref="EncryptedHandshake"/>). Reads the first byte, and the first 20 only when it
        /// is 19; consumes nothing. PeerWireException when the stream ends first.
        /// </summary>
        public async Task<bool> StartsWithPlainHandshakeAsync(CancellationToken cancellationToken)
        {
            if (!await FillAsync(1, cancellationToken)) throw new PeerWireException("the connection closed before the handshake");
            if (_buffer[_start] != BitTorrentConstants.ProtocolName.Length) return false;
            if (!await FillAsync(1 + BitTorrentConstants.ProtocolName.Length, cancellationToken))
                throw new PeerWireException($"the connection closed during the handshake ({Buffered} of {Handshake.Length} bytes)");
            for (int i = 0; i < BitTorrentConstants.ProtocolName.Length; i++)
                if (_buffer[_start + 1 + i] != (byte)BitTorrentConstants.ProtocolName[i]) return false;
            return true;
        }

        // The encrypted handshake works on the receive buffer before the BitTorrent handshake through these four: the
        // buffer, where its unread bytes start, waiting for a number of them, and consuming them.
        internal byte[] Unread => _buffer;
        internal int UnreadStart => _start;
        internal void Consume(int count) => _start += count;

        internal async Task RequireAsync(int count, CancellationToken cancellationToken)
        {
            if (count > _buffer.Length) Resize(Math.Max(count, 1024));
            if (!await FillAsync(count, cancellationToken))
                throw new PeerWireException($"the connection closed during the encrypted handshake ({Buffered} of {count} bytes)");
        }

        /// <summary>
        /// Decodes a message only when it is already complete in the receive buffer: no await, no Task. A read loop
        /// drains these before awaiting <see cref="ReadMessageAsync"/>. Unknown message ids are skipped.
        /// </summary>
        public bool TryReadBuffered(out PeerMessage message)
        {
            while (true)
            {
                message = null;
                int available = _end - _start;
                if (available < 4) return false;
                uint length = BigEndian.ReadUInt32(_buffer, _start);
                if (length == 0) { _start += 4; message = PeerMessage.KeepAlive; return true; }
                CheckLength(length);
                if (available < 5) return false;
                byte id = _buffer[_start + 4];
                CheckLengthForId(id, (int)length);
                if (available < 4 + (long)length) return false;
                message = Decode(id, (int)length, _start + 5);
                _start += 4 + (int)length;
                if (message != null) return true;   // null: an unknown id, skipped
            }
        }

        /// <summary>
        /// The next message: KeepAlive for a length-0 message, null when the stream ends cleanly between messages.
        /// PeerWireException when the stream ends inside a message or a message is malformed or oversized.
        /// </summary>
        public Task<PeerMessage> ReadMessageAsync(CancellationToken cancellationToken)
        {
            // Whole messages already buffered cost no state machine, and the payload-less ones no Task either.
            return TryReadBuffered(out var message) ? Completed(message) : ReadMessageSlowAsync(cancellationToken);
        }

        static readonly Task<PeerMessage> s_keepAlive = Task.FromResult(PeerMessage.KeepAlive);
        static readonly Task<PeerMessage> s_choke = Task.FromResult(PeerMessage.Choke);
        static readonly Task<PeerMessage> s_unchoke = Task.FromResult(PeerMessage.Unchoke);
        static readonly Task<PeerMessage> s_interested = Task.FromResult(PeerMessage.Interested);
        static readonly Task<PeerMessage> s_notInterested = Task.FromResult(PeerMessage.NotInterested);

        static Task<PeerMessage> Completed(PeerMessage message)
        {
            if (ReferenceEquals(message, PeerMessage.KeepAlive)) return s_keepAlive;
            if (ReferenceEquals(message, PeerMessage.Choke)) return s_choke;
            if (ReferenceEquals(message, PeerMessage.Unchoke)) return s_unchoke;
            if (ReferenceEquals(message, PeerMessage.Interested)) return s_interested;
            if (ReferenceEquals(message, PeerMessage.NotInterested)) return s_notInterested;
            return Task.FromResult(message);
        }

        async Task<PeerMessage> ReadMessageSlowAsync(CancellationToken cancellationToken)
        {
            if (_buffer.Length < _bufferSize) GrowPastHandshake();
            while (true)
            {
                if (!await FillAsync(4, cancellationToken))
                {
                    if (Buffered == 0) return null;
                    throw Truncated();
                }
                uint length = BigEndian.ReadUInt32(_buffer, _start);
                if (length == 0) { _start += 4; return PeerMessage.KeepAlive; }
                CheckLength(length);
                if (!await FillAsync(5, cancellationToken)) throw Truncated();
                byte id = _buffer[_start + 4];
                CheckLengthForId(id, (int)length);

                if (id == (byte)PeerMessageType.Piece)
                    return await ReadPieceAsync((int)length, cancellationToken);

                if (4 + (int)length <= _buffer.Length)
                {
                    if (!await FillAsync(4 + (int)length, cancellationToken)) throw Truncated();
                    var message = Decode(id, (int)length, _start + 5);
                    _start += 4 + (int)length;
                    if (message != null) return message;
                    continue;
                }

                // Larger than the receive buffer (a big bitfield or extension message): its own array, or skipped.
                _start += 5;
                int payloadLength = (int)length - 1;
                if (!IsKnown(id))
                {
                    await SkipAsync(payloadLength, cancellationToken);
                    continue;
                }
                var payload = new byte[payloadLength];
                await ReadExactlyAsync(payload, 0, payloadLength, cancellationToken);
                return DecodePayload(id, payload, 0, payloadLength);
            }
        }

        async Task<PeerMessage> ReadPieceAsync(int length, CancellationToken cancellationToken)
        {
            if (!await FillAsync(4 + BitTorrentConstants.PieceHeaderLength, cancellationToken)) throw Truncated();
            int index = ReadIndex(_start + 5, "piece");
            int begin = ReadBegin(_start + 9);
            int blockLength = length - BitTorrentConstants.PieceHeaderLength;
            var destination = Destination(index, begin, blockLength);
            _start += 4 + BitTorrentConstants.PieceHeaderLength;
            int fromBuffer = Math.Min(Buffered, blockLength);
            Buffer.BlockCopy(_buffer, _start, destination.Array, destination.Offset, fromBuffer);
            _start += fromBuffer;
            // The rest goes from the stream straight into the caller's buffer.
            await ReadExactlyAsync(destination.Array, destination.Offset + fromBuffer, blockLength - fromBuffer, cancellationToken);
            return PeerMessage.FromWire(PeerMessageType.Piece, index, begin, blockLength, destination.Array, destination.Offset, blockLength);
        }

        // Decodes a message whose whole payload is in the receive buffer at payloadOffset; null for an unknown id.
        PeerMessage Decode(byte id, int length, int payloadOffset)
        {
            switch ((PeerMessageType)id)
            {
                case PeerMessageType.Choke: return PeerMessage.Choke;
                case PeerMessageType.Unchoke: return PeerMessage.Unchoke;
                case PeerMessageType.Interested: return PeerMessage.Interested;
                case PeerMessageType.NotInterested: return PeerMessage.NotInterested;
                case PeerMessageType.Have:
                    return PeerMessage.FromWire(PeerMessageType.Have, ReadIndex(payloadOffset, "have"), 0, 0, null, 0, 0);
                case PeerMessageType.Request:
                case PeerMessageType.Cancel:
                    {
                        string what = id == (byte)PeerMessageType.Request ? "request" : "cancel";
                        int index = ReadIndex(payloadOffset, what);
                        int begin = ReadBegin(payloadOffset + 4);
                        uint blockLength = BigEndian.ReadUInt32(_buffer, payloadOffset + 8);
                        if (blockLength == 0 || blockLength > BitTorrentConstants.MaxRequestLength)
                            throw new PeerWireException($"the peer sent a {what} for {blockLength} bytes (1 to {BitTorrentConstants.MaxRequestLength} allowed)");
                        return PeerMessage.FromWire((PeerMessageType)id, index, begin, (int)blockLength, null, 0, 0);
                    }
                case PeerMessageType.Piece:
                    {
                        int index = ReadIndex(payloadOffset, "piece");
                        int begin = ReadBegin(payloadOffset + 4);
                        int blockLength = length - BitTorrentConstants.PieceHeaderLength;
                        var destination = Destination(index, begin, blockLength);
                        Buffer.BlockCopy(_buffer, payloadOffset + 8, destination.Array, destination.Offset, blockLength);
                        return PeerMessage.FromWire(PeerMessageType.Piece, index, begin, blockLength, destination.Array, destination.Offset, blockLength);
                    }
                default:
                    if (!IsKnown(id)) return null;
                    // Bitfield, port, extended: the caller keeps the payload, so it gets its own copy.
                    var payload = new byte[length - 1];
                    Buffer.BlockCopy(_buffer, payloadOffset, payload, 0, payload.Length);
                    return DecodePayload(id, payload, 0, payload.Length);
            }
        }

        PeerMessage DecodePayload(byte id, byte[] payload, int offset, int count)
        {
            switch ((PeerMessageType)id)
            {
                case PeerMessageType.Bitfield:
                    if (PieceCount > 0) Bitfield.CheckWireBytes(payload, offset, count, PieceCount);
                    return PeerMessage.FromWire(PeerMessageType.Bitfield, 0, 0, 0, payload, offset, count);
                case PeerMessageType.Port:
                    return PeerMessage.FromWire(PeerMessageType.Port, payload[offset] << 8 | payload[offset + 1], 0, 0, null, 0, 0);
                case PeerMessageType.Extended:
                    return PeerMessage.FromWire(PeerMessageType.Extended, payload[offset], 0, 0, payload, offset + 1, count - 1);
                default:
                    throw new InvalidOperationException("not a payload message: " + id);
            }
        }

        static bool IsKnown(byte id) =>
            id <= (byte)PeerMessageType.Port || id == (byte)PeerMessageType.Extended;

        void CheckLength(uint length)
        {
            if (length > (uint)MaxMessageLength)
                throw new PeerWireException($"the peer announced a {length}-byte message, above the {MaxMessageLength}-byte limit");
        }

        // Fixed-size messages must have their size; variable ones their minimum (and, known pieces, their exact size).
        void CheckLengthForId(byte id, int length)
        {
            int expected;
            switch ((PeerMessageType)id)
            {
                case PeerMessageType.Choke:
                case PeerMessageType.Unchoke:
                case PeerMessageType.Interested:
                case PeerMessageType.NotInterested: expected = 1; break;
                case PeerMessageType.Have: expected = 5; break;
                case PeerMessageType.Request:
                case PeerMessageType.Cancel: expected = 13; break;
                case PeerMessageType.Port: expected = 3; break;
                case PeerMessageType.Bitfield:
                    if (PieceCount <= 0) return;
                    expected = Bitfield.ByteLength(PieceCount) + 1;
                    break;
                case PeerMessageType.Piece:
                    if (length < BitTorrentConstants.PieceHeaderLength)
                        throw new PeerWireException($"the peer sent a {length}-byte piece message (at least {BitTorrentConstants.PieceHeaderLength} expected)");
                    if (length - BitTorrentConstants.PieceHeaderLength > MaxBlockLength)
                        throw new PeerWireException($"the peer sent a {length - BitTorrentConstants.PieceHeaderLength}-byte block, above the {MaxBlockLength}-byte limit");
                    return;
                case PeerMessageType.Extended:
                    if (length < 2) throw new PeerWireException("the peer sent an extended message without an extended id");
                    return;
                default:
                    return;   // unknown ids are skipped whole, within MaxMessageLength
            }
            if (length != expected)
                throw new PeerWireException($"the peer sent a {(PeerMessageType)id} message of length {length} ({expected} expected)");
        }

        int ReadIndex(int offset, string what)
        {
            uint index = BigEndian.ReadUInt32(_buffer, offset);
            if (index > int.MaxValue || (PieceCount > 0 && index >= (uint)PieceCount))
                throw new PeerWireException(PieceCount > 0
                    ? $"the peer sent a {what} for piece {index}; the torrent has {PieceCount} pieces"
                    : $"the peer sent a {what} for piece {index}");
            return (int)index;
        }

        int ReadBegin(int offset)
        {
            uint begin = BigEndian.ReadUInt32(_buffer, offset);
            if (begin > int.MaxValue) throw new PeerWireException($"the peer sent a block offset of {begin}");
            return (int)begin;
        }

        ArraySegment<byte> Destination(int index, int begin, int length)
        {
            var provided = BlockBuffer?.Invoke(index, begin, length) ?? default(ArraySegment<byte>);
            if (provided.Array == null) return new ArraySegment<byte>(new byte[length]);
            if (provided.Count < length) throw new InvalidOperationException($"BlockBuffer returned {provided.Count} bytes for a {length}-byte block.");
            return provided;
        }

        PeerWireException Truncated() =>
            new PeerWireException($"the connection closed in the middle of a message ({Buffered} bytes of it received)");

        // The handshake is behind us (messages are wanted): the full receive buffer, keeping what is already buffered.
        void GrowPastHandshake() => Resize(_bufferSize);

        // A receive buffer of size bytes, holding the unread bytes at its front.
        void Resize(int size)
        {
            var larger = new byte[size];
            int unread = _end - _start;
            Buffer.BlockCopy(_buffer, _start, larger, 0, unread);
            _buffer = larger;
            _start = 0;
            _end = unread;
        }

        /// <summary>Reads until at least <paramref name="count"/> bytes are buffered; false when the stream ends first.</summary>
        async Task<bool> FillAsync(int count, CancellationToken cancellationToken)
        {
            if (_end - _start >= count) return true;
            if (_start + count > _buffer.Length)
            {
                // Not enough room behind the unread bytes: move them to the front.
                int unread = _end - _start;
                if (unread > 0) Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
                _start = 0;
                _end = unread;
            }
            while (_end - _start < count)
            {
                int n = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken);
                if (n <= 0) return false;
                _end += n;
                BytesRead += n;
            }
            return true;
        }

        async Task ReadExactlyAsync(byte[] destination, int offset, int count, CancellationToken cancellationToken)
        {
            // Bytes still in the receive buffer come first (the large-payload path leaves some there).
            int fromBuffer = Math.Min(Buffered, count);
            if (fromBuffer > 0)
            {
                Buffer.BlockCopy(_buffer, _start, destination, offset, fromBuffer);
                _start += fromBuffer;
                offset += fromBuffer;
                count -= fromBuffer;
            }
            while (count > 0)
            {
                int n = await _stream.ReadAsync(destination, offset, count, cancellationToken);
                if (n <= 0) throw new PeerWireException($"the connection closed in the middle of a message ({count} bytes missing)");
                BytesRead += n;
                offset += n;
                count -= n;
            }
        }

        async Task SkipAsync(int count, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                if (Buffered == 0 && !await FillAsync(1, cancellationToken))
                    throw new PeerWireException($"the connection closed in the middle of a message ({count} bytes missing)");
                int n = Math.Min(Buffered, count);
                _start += n;
                count -= n;
            }
        }
    }
}
