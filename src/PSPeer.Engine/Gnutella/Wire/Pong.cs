namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>Pong (0x01): port (u16 LE), IPv4 (network order), files shared and kilobytes shared (u32 LE) — 14 bytes.</summary>
    public sealed class Pong : GnutellaPayload
    {
        public override GnutellaPayloadType Type => GnutellaPayloadType.Pong;
        public int Port { get; set; }
        /// <summary>Dotted IPv4, e.g. "127.0.0.1".</summary>
        public string Address { get; set; } = "0.0.0.0";
        public uint FileCount { get; set; }
        public uint KilobytesShared { get; set; }
    }
}
