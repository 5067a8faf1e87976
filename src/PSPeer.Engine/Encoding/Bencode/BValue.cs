namespace PSPeer.Engine.Bencoding
{
    /// <summary>
    /// One bencoded value: a byte string, an integer, a list or a dictionary. Values read by
    /// <see cref="Bencode.Decode(byte[], BencodeLimits)"/> remember where they were found, so a caller can hash the exact
    /// bytes as read (the info-hash) even when the input was not canonical.
    /// </summary>
    public abstract class BValue
    {
        protected BValue() { SourceOffset = -1; }

        /// <summary>Offset of the value's first byte in the decoded buffer; -1 when the value was built in code.</summary>
        public int SourceOffset { get; internal set; }

        /// <summary>Number of bytes the value took in the decoded buffer; 0 when the value was built in code.</summary>
        public int SourceLength { get; internal set; }

        internal void SetSource(int offset, int length)
        {
            SourceOffset = offset;
            SourceLength = length;
        }
    }
}
