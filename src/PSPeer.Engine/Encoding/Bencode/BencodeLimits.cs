namespace PSPeer.Engine.Bencoding
{
    /// <summary>
    /// Bounds the decoder checks before it allocates or recurses, so bencode from a file or a peer cannot exhaust
    /// memory or the stack. The defaults fit any real torrent (a 1 TB torrent with 256 KiB pieces has an 80 MB
    /// "pieces" string, so very large torrents need larger limits) and every tracker response.
    /// </summary>
    public sealed class BencodeLimits
    {
        /// <summary>Nesting of lists and dictionaries (a torrent needs 4: root, info, files, path).</summary>
        public int MaxDepth { get; set; } = 64;

        /// <summary>Longest byte string (the "pieces" string is the longest in a torrent: 20 bytes a piece).</summary>
        public int MaxStringLength { get; set; } = 64 * 1024 * 1024;

        /// <summary>Largest input accepted at all.</summary>
        public long MaxTotalBytes { get; set; } = 128L * 1024 * 1024;

        /// <summary>Total number of values (strings, integers, lists, dictionaries) in one input.</summary>
        public int MaxItems { get; set; } = 4 * 1024 * 1024;

        /// <summary>The limits used when a caller passes none. Do not modify: create a new instance instead.</summary>
        public static BencodeLimits Default { get; } = new BencodeLimits();
    }
}
