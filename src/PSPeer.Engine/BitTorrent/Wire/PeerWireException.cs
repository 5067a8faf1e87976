using System;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// The other peer broke the wire protocol (wrong handshake, oversized or inconsistent message, truncated stream,
    /// request for a piece we do not have). The node that catches it closes that one connection with a
    /// MalformedMessage event and keeps serving everyone else.
    /// </summary>
    public sealed class PeerWireException : Exception
    {
        public PeerWireException(string reason) : base(reason) { }
        public PeerWireException(string reason, Exception inner) : base(reason, inner) { }
    }
}
