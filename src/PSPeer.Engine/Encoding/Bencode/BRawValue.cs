namespace PSPeer.Engine.Bencoding
{
    /// <summary>
    /// Already-bencoded bytes written verbatim by the encoder. Lets a torrent be written back with its info dictionary
    /// exactly as read, so re-saving never changes the info-hash.
    /// </summary>
    internal sealed class BRawValue : BValue
    {
        public BRawValue(byte[] encoded) { Encoded = encoded; }
        public byte[] Encoded { get; }
    }
}
