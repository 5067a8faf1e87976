namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>Ping (0x00): no payload. Extra bytes a peer sends (GGEP) are ignored on decode.</summary>
    public sealed class Ping : GnutellaPayload
    {
        public override GnutellaPayloadType Type => GnutellaPayloadType.Ping;
    }
}
