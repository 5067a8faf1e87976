namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// A vendor message (0x31, 0x32) or HSEP (0xCD) descriptor that was read and skipped: only its type and length are
    /// kept. Real servents send these right after the handshake; answering none of them is allowed, closing the link
    /// on them is not (it would make PSPeer useless next to LimeWire- and gtk-gnutella-era peers).
    /// </summary>
    public sealed class IgnoredExtension : GnutellaPayload
    {
        public IgnoredExtension(GnutellaPayloadType type, int length)
        {
            ExtensionType = type;
            Length = length;
        }

        public override GnutellaPayloadType Type => ExtensionType;
        GnutellaPayloadType ExtensionType { get; }
        /// <summary>Payload bytes skipped.</summary>
        public int Length { get; }
    }
}
