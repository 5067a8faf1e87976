namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// One descriptor as read from a link. <see cref="Header"/> is a field so a router can change Ttl/Hops in place;
    /// <see cref="PayloadBytes"/> keeps the payload exactly as received, so forwarding does not re-encode (and keeps
    /// extensions PSPeer does not understand).
    /// </summary>
    public sealed class GnutellaMessage
    {
        public DescriptorHeader Header;
        public GnutellaPayload Payload { get; set; }
        public byte[] PayloadBytes { get; set; }

        public GnutellaMessage() { }
        public GnutellaMessage(DescriptorHeader header, GnutellaPayload payload, byte[] payloadBytes)
        {
            Header = header; Payload = payload; PayloadBytes = payloadBytes;
        }
    }
}
