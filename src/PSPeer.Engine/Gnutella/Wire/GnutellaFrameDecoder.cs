using System;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Descriptor framing without I/O: the caller reads into <see cref="PrepareRead"/>, reports the bytes with
    /// <see cref="Advance"/>, and takes whole descriptors out with <see cref="TryDecode"/>. The announced payload length
    /// is checked against the limit before anything is allocated for it; a payload that is not yet whole is read
    /// straight into its own array (so the buffer only batches headers and small descriptors), and an ignored
    /// extension's payload passes through the buffer and is dropped.
    /// </summary>
    /// <remarks>
    /// A struct so that a link holds it inline: a simulation has hundreds of thousands of link ends, each decoding in
    /// the one async frame of its read loop rather than in a frame per descriptor. Copying it copies the state but
    /// shares the buffer: keep one copy (a field, used in place). Not thread-safe: one read loop owns it.
    /// </remarks>
    public struct GnutellaFrameDecoder
    {
        const byte ReadingHeader = 0, ReadingPayload = 1, Skipping = 2;

        byte[] _buffer;            // null while released (see TryReleaseBuffer)
        readonly int _maxPayloadLength;
        int _start, _count;        // buffered, unconsumed bytes are _buffer[_start .. _start + _count)
        DescriptorHeader _header;  // of the descriptor whose payload is being read or skipped
        byte[] _payload;           // ReadingPayload: _payload[0 .. _have) is filled
        int _have;                 // ReadingPayload: payload bytes filled; Skipping: payload bytes still to drop
        byte _state;

        /// <summary>
        /// <paramref name="alreadyRead"/>: bytes read past the handshake, decoded first (null: none).
        /// <paramref name="bufferSize"/>: the most one read may bring into the buffer (at least a header's worth).
        /// </summary>
        public GnutellaFrameDecoder(int maxPayloadLength, byte[] alreadyRead, int bufferSize)
        {
            if (maxPayloadLength < 0) throw new ArgumentOutOfRangeException(nameof(maxPayloadLength));
            if (bufferSize <= DescriptorHeader.Size) throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "The buffer must hold more than a header.");
            _maxPayloadLength = maxPayloadLength;
            int initial = alreadyRead?.Length ?? 0;
            // A small (simulated) link's buffer comes from the spares, and only once there is something to put in it:
            // PrepareRead takes one when the first read needs it.
            if (bufferSize == SpareReadBuffers.Size && initial <= bufferSize) _buffer = initial == 0 ? null : SpareReadBuffers.Rent();
            else _buffer = new byte[Math.Max(bufferSize, initial)];
            if (initial > 0) Buffer.BlockCopy(alreadyRead, 0, _buffer, 0, initial);
            _start = 0;
            _count = initial;
            _header = default;
            _payload = null;
            _have = 0;
            _state = ReadingHeader;
        }

        public int MaxPayloadLength => _maxPayloadLength;

        /// <summary>Nothing buffered and no descriptor begun: the stream may end here cleanly.</summary>
        public bool IsBetweenDescriptors => _state == ReadingHeader && _count == 0;

        /// <summary>
        /// Where the next read should put its bytes: the rest of a payload being read, or the free end of the buffer.
        /// Call it after <see cref="TryDecode"/> returned false (it is never empty then).
        /// </summary>
        public ArraySegment<byte> PrepareRead()
        {
            if (_state == ReadingPayload) return new ArraySegment<byte>(_payload, _have, _payload.Length - _have);
            if (_buffer == null) _buffer = SpareReadBuffers.Rent();
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _count);
                _start = 0;
            }
            return new ArraySegment<byte>(_buffer, _count, _buffer.Length - _count);
        }

        /// <summary><paramref name="count"/> bytes were read into the segment <see cref="PrepareRead"/> returned.</summary>
        public void Advance(int count)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
            if (_state == ReadingPayload) _have += count;
            else _count += count;
        }

        /// <summary>
        /// The next descriptor when its bytes are all here; false when more must be read first. Throws
        /// <see cref="GnutellaProtocolException"/> on an oversized length, an unknown payload type or a malformed
        /// payload. Vendor messages and HSEP come back as <see cref="IgnoredExtension"/> with empty PayloadBytes.
        /// </summary>
        public bool TryDecode(out GnutellaMessage message)
        {
            message = null;
            if (!TryDecode(out var header, out var payload, out var bytes)) return false;
            message = new GnutellaMessage(header, payload, bytes);
            return true;
        }

        /// <summary>
        /// False when <see cref="TryDecode(out GnutellaMessage)"/> would return false and change nothing (no whole
        /// header buffered, nothing buffered for a payload being read or skipped); otherwise true: it may hand out or
        /// refuse a descriptor, or move buffered bytes on, which must happen before the next read. Lets a read loop
        /// skip its preparations.
        /// </summary>
        internal bool MayDecode
        {
            get
            {
                switch (_state)
                {
                    case ReadingHeader: return _count >= DescriptorHeader.Size;
                    case ReadingPayload: return _count > 0 || _have >= _payload.Length;
                    default: return _count > 0;   // skipping
                }
            }
        }

        /// <summary>
        /// <see cref="TryDecode(out GnutellaMessage)"/> into a message the caller reuses (a link's read loop hands each
        /// descriptor on and is done with it before it decodes the next): every field of <paramref name="into"/> is set.
        /// </summary>
        internal bool TryDecodeInto(GnutellaMessage into)
        {
            if (!TryDecode(out var header, out var payload, out var bytes)) return false;
            into.Header = header;
            into.Payload = payload;
            into.PayloadBytes = bytes;
            return true;
        }

        bool TryDecode(out DescriptorHeader header, out GnutellaPayload decoded, out byte[] payloadBytes)
        {
            header = default;
            decoded = null;
            payloadBytes = null;
            if (_state == ReadingHeader)
            {
                if (_count < DescriptorHeader.Size) return false;
                _header = ReadHeader(out bool ignored);
                Consume(DescriptorHeader.Size);
                _have = ignored ? _header.PayloadLength : 0;
                if (ignored) _state = Skipping;
                else
                {
                    var shared = SharedPayload();
                    if (shared != null)
                    {
                        // The shared array already holds these bytes: they are consumed, not copied.
                        _payload = shared;
                        _have = shared.Length;
                        Consume(shared.Length);
                    }
                    else _payload = _header.PayloadLength == 0 ? Array.Empty<byte>() : new byte[_header.PayloadLength];
                    _state = ReadingPayload;
                }
            }
            if (_state == Skipping)
            {
                int drop = Math.Min(_count, _have);
                Consume(drop);
                _have -= drop;
                if (_have > 0) return false;
                _state = ReadingHeader;
                header = _header;
                decoded = new IgnoredExtension(_header.Type, _header.PayloadLength);
                payloadBytes = Array.Empty<byte>();
                return true;
            }
            int take = Math.Min(_count, _payload.Length - _have);
            if (take > 0) Buffer.BlockCopy(_buffer, _start, _payload, _have, take);
            Consume(take);
            _have += take;
            if (_have < _payload.Length) return false;
            var payload = _payload;
            _payload = null;
            _have = 0;
            _state = ReadingHeader;
            header = _header;
            decoded = GnutellaCodec.DecodeOwnedPayload(_header, payload, 0, payload.Length);
            int kind = payload.Length > 0 && payload.Length <= MaxSharedPayloadBytes ? RepeatingKind(_header.Type, payload, 0) : -1;
            if (kind >= 0) (t_lastPayloads ?? (t_lastPayloads = new byte[RepeatingKinds][]))[kind] = payload;
            payloadBytes = payload;
            return true;
        }

        // Payloads that repeat byte for byte on a loop's thread: a flood brings one query's copies to servent after
        // servent, and every leaf sends its ultrapeers the same QRP reset and (sharing nothing, as most do) the same
        // patch. The last payload of each such kind decoded on this thread is handed out again for a descriptor whose
        // payload is already whole in the buffer and the same bytes, instead of a new array each. Payload arrays are
        // only read (a servent forwards from them and keeps them, a QRP patch reads its data in them, nobody changes
        // them), so sharing one is safe, as sharing the Query decoded from it is (GnutellaCodec.DecodeOwnedPayload).
        [ThreadStatic] static byte[][] t_lastPayloads;   // by kind: a Query, a QRP reset, a QRP patch
        const int RepeatingKinds = 3;
        const int MaxSharedPayloadBytes = 256;

        // Which kind of repeating payload starts at buffer[at] for a descriptor of this type; -1: none.
        static int RepeatingKind(GnutellaPayloadType type, byte[] buffer, int at)
        {
            if (type == GnutellaPayloadType.Query) return 0;
            if (type != GnutellaPayloadType.RouteTableUpdate) return -1;
            byte variant = buffer[at];
            return variant == RouteTableUpdate.ResetVariant ? 1 : variant == RouteTableUpdate.PatchVariant ? 2 : -1;
        }

        // The last payload of its kind when the one whose header was just read is whole in the buffer and the same bytes; else null.
        byte[] SharedPayload()
        {
            int length = _header.PayloadLength;
            var lasts = t_lastPayloads;
            if (lasts == null || _count < length || length == 0) return null;
            int kind = RepeatingKind(_header.Type, _buffer, _start);
            var last = kind < 0 ? null : lasts[kind];
            if (last == null || last.Length != length) return null;
            for (int i = 0; i < length; i++) if (_buffer[_start + i] != last[i]) return null;
            return last;
        }

        /// <summary>
        /// The stream ended (after <see cref="TryDecode"/> returned false): fine between descriptors, otherwise throws
        /// <see cref="GnutellaProtocolException"/> saying where it ended.
        /// </summary>
        public void EndOfStream()
        {
            switch (_state)
            {
                case ReadingPayload:
                    throw new GnutellaProtocolException($"the connection closed inside a {_header.Type} payload ({_have} of {_payload.Length} bytes)");
                case Skipping:
                    throw new GnutellaProtocolException($"the connection closed inside a {_header.Type} payload ({_header.PayloadLength - _have} of {_header.PayloadLength} bytes)");
                default:
                    if (_count > 0) throw new GnutellaProtocolException("the connection closed inside a descriptor header");
                    return;
            }
        }

        /// <summary>Hands out (and forgets) whatever is buffered but not yet decoded.</summary>
        public byte[] TakeBufferedBytes()
        {
            var bytes = new byte[_count];
            if (_count > 0) Buffer.BlockCopy(_buffer, _start, bytes, 0, _count);
            _start = 0;
            _count = 0;
            return bytes;
        }

        /// <summary>
        /// Gives the read buffer back to a pool when nothing is buffered and no descriptor is begun (only buffers of
        /// <see cref="SpareReadBuffers.Size"/> bytes); <see cref="PrepareRead"/> takes one again. A reader that can
        /// wait for data without a buffer (a simulated stream) releases it before each wait, so a quiet link holds none.
        /// </summary>
        public bool TryReleaseBuffer()
        {
            if (_state != ReadingHeader || _count != 0) return false;
            if (_buffer == null) return true;
            if (_buffer.Length != SpareReadBuffers.Size) return false;
            SpareReadBuffers.Return(_buffer);
            _buffer = null;
            return true;
        }

        // The header at _start (whole in the buffer), checked before anything is allocated for its payload.
        DescriptorHeader ReadHeader(out bool ignored)
        {
            var header = DescriptorHeader.Read(_buffer, _start);
            if (header.PayloadLength > _maxPayloadLength)
                throw new GnutellaProtocolException($"a descriptor announces {header.PayloadLength} payload bytes, above the {_maxPayloadLength}-byte limit");
            ignored = GnutellaCodec.IsIgnoredExtension(header.Type);
            if (!ignored && !GnutellaCodec.IsKnownType(header.Type))
                throw new GnutellaProtocolException($"unknown payload type 0x{(byte)header.Type:X2}");
            return header;
        }

        void Consume(int n)
        {
            _start += n;
            _count -= n;
            if (_count == 0) _start = 0;
        }
    }
}
