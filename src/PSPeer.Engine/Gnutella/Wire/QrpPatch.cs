namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// QRP patch (variant 0x01): sequence number (1-based) and size, compressor (0 none, 1 zlib), bits per entry
    /// (4 or 8), and a slice of the (compressed) array of signed deltas. The slices of one sequence are concatenated
    /// before decompressing.
    /// </summary>
    public sealed class QrpPatch : RouteTableUpdate
    {
        public const byte NoCompressor = 0;
        public const byte ZlibCompressor = 1;
        public byte SequenceNumber { get; set; }
        public byte SequenceSize { get; set; }
        public byte Compressor { get; set; }
        public byte EntryBits { get; set; }
        // Empty until set (one shared empty array: the decoder sets every patch's data at once).
        public byte[] Data { get; set; } = NoData;
        static readonly byte[] NoData = new byte[0];
    }
}
