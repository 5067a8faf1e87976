namespace PSPeer.Engine.BitTorrent
{
    /// <summary>Sizes and names fixed by BEP 3 and by what real clients accept.</summary>
    public static class BitTorrentConstants
    {
        /// <summary>The block size every mainstream client requests (16 KiB); larger requests are often refused.</summary>
        public const int BlockSize = 16 * 1024;

        /// <summary>Largest request (and piece block) we accept: clients close connections over 128 KiB, so do we.</summary>
        public const int MaxRequestLength = 128 * 1024;

        /// <summary>
        /// Default bound on one message: above a 128 KiB block, and above the bitfield of a torrent with 8 million
        /// pieces (1 MiB), so no honest peer reaches it.
        /// </summary>
        public const int DefaultMaxMessageLength = 1 << 20;

        /// <summary>"BitTorrent protocol", the handshake's protocol string.</summary>
        public const string ProtocolName = "BitTorrent protocol";

        /// <summary>Bytes before a piece block's data: id (1), index (4), begin (4).</summary>
        public const int PieceHeaderLength = 9;
    }
}
