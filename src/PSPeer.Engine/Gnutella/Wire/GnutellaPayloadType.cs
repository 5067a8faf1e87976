namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// The payload descriptor byte of the 23-byte header (RFC-Gnutella 0.6; 0x30 from the QRP spec). 0x31, 0x32 and
    /// 0xCD are extensions real servents send unasked right after the handshake: PSPeer reads and ignores them
    /// (<see cref="GnutellaCodec.IsIgnoredExtension"/>); any other type is a protocol error.
    /// </summary>
    public enum GnutellaPayloadType : byte
    {
        Ping = 0x00,
        Pong = 0x01,
        Bye = 0x02,
        RouteTableUpdate = 0x30,
        Push = 0x40,
        Query = 0x80,
        QueryHit = 0x81,
        /// <summary>Vendor-specific message (vendor code, selector, version, data): ignored.</summary>
        VendorMessage = 0x31,
        /// <summary>Standard vendor message (same layout as 0x31): ignored.</summary>
        StandardVendorMessage = 0x32,
        /// <summary>HSEP, the horizon size estimation protocol (64-bit host/file/KiB counts per hop): ignored.</summary>
        HorizonSizeEstimation = 0xCD,
    }
}
