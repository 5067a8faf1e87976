namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>QRP reset (variant 0x00): table length in entries (u32 LE) and the "infinity" value (u8); every slot becomes infinity.</summary>
    public sealed class QrpReset : RouteTableUpdate
    {
        public int TableLength { get; set; }
        public byte Infinity { get; set; } = 7;
    }
}
