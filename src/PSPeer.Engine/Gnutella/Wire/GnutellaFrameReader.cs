using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>Reads descriptors from a link (Stream.ReadAsync only).</summary>
    public sealed class GnutellaFrameReader
    {
        public const int DefaultMaxPayloadLength = 64 * 1024;

        public GnutellaFrameReader(Stream stream, int maxPayloadLength = DefaultMaxPayloadLength) : this(stream, maxPayloadLength, null) { }

        /// <summary><paramref name="alreadyRead"/>: bytes read past the handshake (HandshakeHead.Remainder), decoded first.</summary>
        public GnutellaFrameReader(Stream stream, int maxPayloadLength, byte[] alreadyRead) => throw new NotImplementedException();

        public Task<GnutellaMessage> ReadAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

        public byte[] TakeBufferedBytes() => throw new NotImplementedException();
    }
}
