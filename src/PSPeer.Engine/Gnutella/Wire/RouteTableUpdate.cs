namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>Route table update (0x30) from the Query Routing Protocol: a variant byte, then a reset or a patch.</summary>
    public abstract class RouteTableUpdate : GnutellaPayload
    {
        public const byte ResetVariant = 0x00;
        public const byte PatchVariant = 0x01;
        public override GnutellaPayloadType Type => GnutellaPayloadType.RouteTableUpdate;
    }
}
