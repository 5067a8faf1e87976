using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Reads descriptors from a link through Stream.ReadAsync only. The announced payload length is checked against
    /// the limit before anything is allocated for it, so a peer cannot make us allocate more than the limit. Not
    /// thread-safe: one read loop owns it.
    /// </summary>
    public sealed class GnutellaFrameReader
    {
        public const int DefaultMaxPayloadLength = 64 * 1024;
        // Small on purpose: a simulation may hold hundreds of thousands of links, each with a pending read. Payloads
        // are read straight into their own arrays, so this only batches headers and small descriptors (a header and a
        // query or pong fit; 512 bytes cost 2 KB per node of a simulated network for no measurable speed).
        const int ReadBufferSize = 128;
        /// <summary>
        /// Live links read this much at once: a flood brings many descriptors per read, decoded without another system
        /// call (<see cref="TryReadBuffered"/>), where 128 bytes took a read for every descriptor or two.
        /// </summary>
        public const int LiveReadBufferSize = 16 * 1024;

        readonly Stream _stream;
        readonly int _maxPayloadLength;
        byte[] _buffer;
        int _start, _count;   // buffered, unconsumed bytes are _buffer[_start .. _start + _count)

        public GnutellaFrameReader(Stream stream, int maxPayloadLength = DefaultMaxPayloadLength) : this(stream, maxPayloadLength, null) { }

        /// <summary><paramref name="alreadyRead"/>: bytes read past the handshake (HandshakeHead.Remainder), decoded first.</summary>
        public GnutellaFrameReader(Stream stream, int maxPayloadLength, byte[] alreadyRead) : this(stream, maxPayloadLength, alreadyRead, ReadBufferSize) { }

        /// <summary><paramref name="readBufferSize"/>: bytes asked of each read (at least 128).</summary>
        public GnutellaFrameReader(Stream stream, int maxPayloadLength, byte[] alreadyRead, int readBufferSize)
        {
            _stream = stream ?? throw new ArgumentNullException(nameof(stream));
            if (maxPayloadLength < 0) throw new ArgumentOutOfRangeException(nameof(maxPayloadLength));
            _maxPayloadLength = maxPayloadLength;
            int initial = alreadyRead?.Length ?? 0;
            _buffer = new byte[Math.Max(Math.Max(ReadBufferSize, readBufferSize), initial)];
            if (initial > 0)
            {
                Buffer.BlockCopy(alreadyRead, 0, _buffer, 0, initial);
                _count = initial;
            }
        }

        public int MaxPayloadLength => _maxPayloadLength;

        /// <summary>
        /// The next descriptor; null when the stream ends cleanly between descriptors. Throws
        /// <see cref="GnutellaProtocolException"/> on an oversized length, an unknown payload type, a malformed payload
        /// or a stream that ends inside a descriptor. Vendor messages and HSEP come back as <see cref="IgnoredExtension"/>
        /// with empty PayloadBytes (their bytes are skipped, within the same length limit). Cancelling throws
        /// OperationCanceledException.
        /// </summary>
        public async Task<GnutellaMessage> ReadAsync(CancellationToken cancellationToken)
        {
            // The header is filled here rather than in a helper: an idle link waits in this one async frame, not in two
            // (a simulation holds hundreds of thousands of idle links, each with its read pending).
            if (_count < DescriptorHeader.Size)
            {
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _count);
                    _start = 0;
                }
                while (_count < DescriptorHeader.Size)
                {
                    int n = await _stream.ReadAsync(_buffer, _count, _buffer.Length - _count, cancellationToken);
                    if (n <= 0)
                    {
                        if (_count == 0) return null;
                        throw new GnutellaProtocolException("the connection closed inside a descriptor header");
                    }
                    _count += n;
                }
            }
            var header = ReadHeader(out bool ignored);
            Consume(DescriptorHeader.Size);
            if (ignored)
            {
                await SkipAsync(header, cancellationToken);
                return new GnutellaMessage(header, new IgnoredExtension(header.Type, header.PayloadLength), new byte[0]);
            }

            var payload = new byte[header.PayloadLength];
            int have = Math.Min(_count, payload.Length);
            Buffer.BlockCopy(_buffer, _start, payload, 0, have);
            Consume(have);
            while (have < payload.Length)
            {
                int n = await _stream.ReadAsync(payload, have, payload.Length - have, cancellationToken);
                if (n <= 0) throw new GnutellaProtocolException($"the connection closed inside a {header.Type} payload ({have} of {payload.Length} bytes)");
                have += n;
            }
            var decoded = GnutellaCodec.DecodePayload(header, payload, 0, payload.Length);
            return new GnutellaMessage(header, decoded, payload);
        }

        /// <summary>
        /// The next descriptor when it is already whole in the buffer (no read needed); false otherwise, and then
        /// <see cref="ReadAsync"/> reads it. Throws <see cref="GnutellaProtocolException"/> as ReadAsync does. A read
        /// loop drains what one read brought with it before it waits again, so the sends those descriptors cause can go
        /// out together.
        /// </summary>
        public bool TryReadBuffered(out GnutellaMessage message)
        {
            message = null;
            if (_count < DescriptorHeader.Size) return false;
            var header = ReadHeader(out bool ignored);
            int total = DescriptorHeader.Size + header.PayloadLength;
            if (_count < total) return false;
            Consume(DescriptorHeader.Size);
            if (ignored)
            {
                Consume(header.PayloadLength);
                message = new GnutellaMessage(header, new IgnoredExtension(header.Type, header.PayloadLength), new byte[0]);
                return true;
            }
            var payload = new byte[header.PayloadLength];
            Buffer.BlockCopy(_buffer, _start, payload, 0, payload.Length);
            Consume(payload.Length);
            message = new GnutellaMessage(header, GnutellaCodec.DecodePayload(header, payload, 0, payload.Length), payload);
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

        // An ignored extension's payload is read through the small buffer and dropped: nothing is allocated for it.
        async Task SkipAsync(DescriptorHeader header, CancellationToken cancellationToken)
        {
            int left = header.PayloadLength;
            while (true)
            {
                int n = Math.Min(_count, left);
                Consume(n);
                left -= n;
                if (left == 0) return;
                int read = await _stream.ReadAsync(_buffer, 0, _buffer.Length, cancellationToken);
                if (read <= 0) throw new GnutellaProtocolException($"the connection closed inside a {header.Type} payload ({header.PayloadLength - left} of {header.PayloadLength} bytes)");
                _start = 0;
                _count = read;
            }
        }

        /// <summary>Hands out (and forgets) whatever is buffered but not yet decoded.</summary>
        public byte[] TakeBufferedBytes()
        {
            var bytes = new byte[_count];
            Buffer.BlockCopy(_buffer, _start, bytes, 0, _count);
            _start = 0;
            _count = 0;
            return bytes;
        }

        void Consume(int n)
        {
            _start += n;
            _count -= n;
            if (_count == 0) _start = 0;
        }
    }
}
