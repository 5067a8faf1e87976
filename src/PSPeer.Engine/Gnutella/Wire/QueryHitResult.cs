using PSPeer.Engine.Core;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>One entry of a QueryHit's result set.</summary>
    public sealed class QueryHitResult
    {
        public uint FileIndex { get; set; }
        /// <summary>u32 on the wire; sizes of 4 GiB and more travel in a GGEP "LF" extension (the u32 field then holds 0xFFFFFFFF).</summary>
        public long FileSize { get; set; }
        public string Name { get; set; } = "";
        /// <summary>From the "urn:sha1:" entry of the result's extension block, when there is one.</summary>
        public ContentHash? Hash { get; set; }
    }
}
