namespace PSPeer.Engine.Chord.Krpc
{
    /// <summary>The "y" of a KRPC message.</summary>
    public enum KrpcKind
    {
        /// <summary>"q"</summary>
        Query,
        /// <summary>"r"</summary>
        Response,
        /// <summary>"e"</summary>
        Error,
    }
}
