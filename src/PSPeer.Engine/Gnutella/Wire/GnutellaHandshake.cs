using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>The Gnutella 0.6 handshake heads: reading them (bounded) and writing them.</summary>
    public sealed class GnutellaHandshake
    {
        public const int DefaultMaxHeadBytes = 8 * 1024;

        public static Task<HandshakeHead> ReadHeadAsync(Stream stream, byte[] alreadyRead, int maxBytes, CancellationToken cancellationToken) =>
            throw new NotImplementedException();

        public static byte[] Connect(IDictionary<string, string> headers) => throw new NotImplementedException();

        public static byte[] Response(int status, string reason, IDictionary<string, string> headers) => throw new NotImplementedException();
    }
}
