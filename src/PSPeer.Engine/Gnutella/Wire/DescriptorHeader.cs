using System;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// The 23-byte descriptor header: GUID (16), payload type (1), TTL (1), hops (1), payload length (4, little-endian).
    /// Public fields so a router can adjust TTL and hops in place on a message it forwards.
    /// </summary>
    public struct DescriptorHeader
    {
        public const int Size = 23;

        public GnutellaGuid Id;
        public GnutellaPayloadType Type;
        public byte Ttl;
        public byte Hops;
        public int PayloadLength;

        public DescriptorHeader(GnutellaGuid id, GnutellaPayloadType type, byte ttl, byte hops, int payloadLength)
        {
            Id = id; Type = type; Ttl = ttl; Hops = hops; PayloadLength = payloadLength;
        }

        /// <summary>
        /// Parses a header. The type byte is taken as is (the frame reader refuses unknown types); a length beyond
        /// int.MaxValue throws <see cref="GnutellaProtocolException"/>, any smaller bound is the reader's job.
        /// </summary>
        public static DescriptorHeader Read(byte[] buffer, int offset)
        {
            if (buffer == null || offset < 0 || offset + Size > buffer.Length) throw new ArgumentOutOfRangeException(nameof(offset));
            uint length = LittleEndian.ReadUInt32(buffer, offset + 19);
            if (length > int.MaxValue) throw new GnutellaProtocolException($"a descriptor announces {length} payload bytes");
            return new DescriptorHeader(GnutellaGuid.Read(buffer, offset), (GnutellaPayloadType)buffer[offset + 16],
                buffer[offset + 17], buffer[offset + 18], (int)length);
        }

        public void Write(byte[] buffer, int offset)
        {
            if (buffer == null || offset < 0 || offset + Size > buffer.Length) throw new ArgumentOutOfRangeException(nameof(offset));
            if (PayloadLength < 0) throw new InvalidOperationException("PayloadLength is negative.");
            Id.CopyTo(buffer, offset);
            buffer[offset + 16] = (byte)Type;
            buffer[offset + 17] = Ttl;
            buffer[offset + 18] = Hops;
            LittleEndian.WriteUInt32(buffer, offset + 19, (uint)PayloadLength);
        }

        public override string ToString() => $"{Type} {Id} ttl={Ttl} hops={Hops} len={PayloadLength}";
    }
}
