using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// Reads descriptors from a stream through Stream.ReadAsync only: <see cref="GnutellaFrameDecoder"/> over a stream,
    /// for callers that want one descriptor per await (tests, transcripts). A link's read loop drives the decoder
    /// itself. Not thread-safe: one reader owns it.
    /// </summary>
    public sealed class GnutellaFrameReader
    {
        public const int DefaultMaxPayloadLength = 64 * 1024;
        /// <summary>
        /// Small on purpose: a simulation may hold hundreds of thousands of links, each with a pending read. Payloads
        /// are read straight into their own arrays, so this only batches headers and small descriptors (a header and a
        /// query or pong fit; 512 bytes cost 2 KB per node of a simulated network for no measurable speed).
        /// </summary>
        public const int ReadBufferSize = 128;
        /// <summary>
        /// Live links read this much at once: a flood brings many descriptors per read, decoded without another system
        /// call, where 128 bytes took a read for every descriptor or two.
        /// </summary>
        public const int LiveReadBufferSize = 16 * 1024;

        readonly Stream _stream;
        GnutellaFrameDecoder _decoder;   // mutable struct: used in place, never copied

        public GnutellaFrameReader(Stream stream, int maxPayloadLength = DefaultMaxPayloadLength) : this(stream, maxPayloadLength, null) { }

        /// <summary><paramref name="alreadyRead"/>: bytes read past the handshake (HandshakeHead.Remainder), decoded first.</summary>
        public GnutellaFrameReader(Stream stream, int maxPayloadLength, byte[] alreadyRead) : this(stream, maxPayloadLength, alreadyRead, ReadBufferSize) { }

        /// <summary><paramref name="readBufferSize"/>: bytes asked of each read (at least 128).</summary>
        public GnutellaFrameReader(Stream stream, int maxPayloadLength, byte[] alreadyRead, int readBufferSize)
        {
            _stream = stream ?? throw new ArgumentNullException(nameof(stream));
            _decoder = new GnutellaFrameDecoder(maxPayloadLength, alreadyRead, Math.Max(ReadBufferSize, readBufferSize));
        }

        public int MaxPayloadLength => _decoder.MaxPayloadLength;

        /// <summary>
        /// The next descriptor; null when the stream ends cleanly between descriptors. Throws
        /// <see cref="GnutellaProtocolException"/> on an oversized length, an unknown payload type, a malformed payload
        /// or a stream that ends inside a descriptor. Vendor messages and HSEP come back as <see cref="IgnoredExtension"/>
        /// with empty PayloadBytes (their bytes are skipped, within the same length limit). Cancelling throws
        /// OperationCanceledException.
        /// </summary>
        public async Task<GnutellaMessage> ReadAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                if (_decoder.TryDecode(out var message)) return message;
                var target = _decoder.PrepareRead();
                int n = await _stream.ReadAsync(target.Array, target.Offset, target.Count, cancellationToken);
                if (n <= 0)
                {
                    _decoder.EndOfStream();
                    return null;
                }
                _decoder.Advance(n);
            }
        }

        /// <summary>
        /// The next descriptor when it is already whole in what was read (no read needed); false otherwise, and then
        /// <see cref="ReadAsync"/> reads it. Throws <see cref="GnutellaProtocolException"/> as ReadAsync does.
        /// </summary>
        public bool TryReadBuffered(out GnutellaMessage message) => _decoder.TryDecode(out message);

        /// <summary>Hands out (and forgets) whatever is buffered but not yet decoded.</summary>
        public byte[] TakeBufferedBytes() => _decoder.TakeBufferedBytes();
    }
}
