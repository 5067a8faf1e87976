using System;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// The other end broke the Gnutella protocol (oversized, truncated or unparseable descriptor, unknown payload type,
    /// bad handshake, bad QRP sequence). The servent that catches it closes that one connection with a MalformedMessage
    /// event and keeps serving every other link.
    /// </summary>
    public sealed class GnutellaProtocolException : Exception
    {
        public GnutellaProtocolException(string reason) : base(reason) { }
        public GnutellaProtocolException(string reason, Exception inner) : base(reason, inner) { }
    }
}
