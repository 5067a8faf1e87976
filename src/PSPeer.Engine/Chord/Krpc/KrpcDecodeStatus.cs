namespace PSPeer.Engine.Chord.Krpc
{
    /// <summary>What became of one datagram handed to <see cref="KrpcCodec.Decode"/>.</summary>
    public enum KrpcDecodeStatus
    {
        /// <summary>A well-formed message.</summary>
        Ok,
        /// <summary>Unreadable or not worth an answer (not bencode, no transaction id, oversized, a bad response): drop and count.</summary>
        Dropped,
        /// <summary>A query with a transaction id but bad arguments: answer error 203.</summary>
        Malformed,
        /// <summary>A well-formed query of a method this node does not know: answer error 204.</summary>
        UnknownMethod,
    }
}
