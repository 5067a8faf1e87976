namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>Push (0x40): servent GUID (16), file index (u32 LE), IPv4 to connect back to, port (u16 LE) — 26 bytes.</summary>
    public sealed class Push : GnutellaPayload
    {
        public override GnutellaPayloadType Type => GnutellaPayloadType.Push;
        public GnutellaGuid ServentId { get; set; }
        public uint FileIndex { get; set; }
        public string Address { get; set; } = "0.0.0.0";
        public int Port { get; set; }
    }
}
