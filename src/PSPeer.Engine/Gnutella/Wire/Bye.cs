namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>Bye (0x02): code (u16 LE) and a reason, NUL-terminated (a peer may leave the NUL out or add headers after CRLF).</summary>
    public sealed class Bye : GnutellaPayload
    {
        public override GnutellaPayloadType Type => GnutellaPayloadType.Bye;
        public ushort Code { get; set; }
        public string Reason { get; set; } = "";
    }
}
