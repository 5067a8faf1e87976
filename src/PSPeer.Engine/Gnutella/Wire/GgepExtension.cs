namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>One extension of a GGEP block: its id and its data after COBS decoding (null when deflate-compressed, which PSPeer does not read).</summary>
    sealed class GgepExtension
    {
        public GgepExtension(string id, byte[] data, bool compressed = false) { Id = id; Data = data; Compressed = compressed; }
        public string Id { get; }
        public byte[] Data { get; }
        public bool Compressed { get; }
    }
}
