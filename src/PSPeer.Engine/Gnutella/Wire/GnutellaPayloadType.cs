namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>The payload descriptor byte of the 23-byte header (RFC-Gnutella 0.6; 0x30 from the QRP spec).</summary>
    public enum GnutellaPayloadType : byte
    {
        Ping = 0x00,
        Pong = 0x01,
        Bye = 0x02,
        RouteTableUpdate = 0x30,
        Push = 0x40,
        Query = 0x80,
        QueryHit = 0x81,
    }
}
