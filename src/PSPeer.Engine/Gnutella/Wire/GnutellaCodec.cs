using System;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>Sans-IO encoding and decoding of whole descriptors (header + payload).</summary>
    public static class GnutellaCodec
    {
        /// <summary>Header and payload as one array, ready to write to a link.</summary>
        public static byte[] Encode(GnutellaGuid id, byte ttl, byte hops, GnutellaPayload payload) => throw new NotImplementedException();

        /// <summary>Decodes a payload of the header's type; <see cref="GnutellaProtocolException"/> when it is malformed.</summary>
        public static GnutellaPayload DecodePayload(DescriptorHeader header, byte[] payload, int offset, int count) => throw new NotImplementedException();
    }
}
