namespace PSPeer.Engine.Chord.Krpc
{
    /// <summary>KRPC error codes: BEP 5's 201-204 and Chord's own 301-305 (issue 12).</summary>
    public static class KrpcErrorCode
    {
        public const int Generic = 201;
        public const int Server = 202;
        /// <summary>A malformed query: bad bencode, a missing field, an id of the wrong length.</summary>
        public const int Protocol = 203;
        public const int UnknownMethod = 204;
        /// <summary>This node neither owns nor replicates the target.</summary>
        public const int NotResponsible = 301;
        public const int ValueTooBig = 302;
        public const int TooManyValues = 303;
        /// <summary>A recursive lookup ran out of ttl.</summary>
        public const int HopLimit = 304;
        /// <summary>A store without a token this node gave the same source address within ten minutes.</summary>
        public const int BadToken = 305;
    }
}
