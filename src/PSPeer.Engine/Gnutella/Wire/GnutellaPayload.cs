namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>A decoded descriptor payload; <see cref="GnutellaCodec"/> turns it into bytes and back.</summary>
    public abstract class GnutellaPayload
    {
        public abstract GnutellaPayloadType Type { get; }
    }
}
