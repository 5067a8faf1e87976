using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// A link's read loop decodes a query equal, byte for byte, to the one before it (a flood's next copy) as that same
    /// object; anything else, and every public decode, gets a query of its own.
    /// </summary>
    public class SharedQueryDecodingTests
    {
        static readonly GnutellaGuid Id = GnutellaGuid.Parse("0102030405060708FF0A0B0C0D0E0F00");

        static byte[] Payload(string criteria) => GnutellaCodec.EncodePayload(new Query { Flags = Query.NewSemantics, Criteria = criteria });

        static Query Owned(byte[] payload) =>
            (Query)GnutellaCodec.DecodeOwnedPayload(new DescriptorHeader(Id, GnutellaPayloadType.Query, 3, 1, payload.Length), payload, 0, payload.Length);

        static Query Public(byte[] payload) =>
            (Query)GnutellaCodec.DecodePayload(new DescriptorHeader(Id, GnutellaPayloadType.Query, 3, 1, payload.Length), payload, 0, payload.Length);

        [Fact]
        public void Equal_copies_decode_to_one_query_and_different_ones_to_their_own()
        {
            var first = Owned(Payload("hey jude"));
            var again = Owned(Payload("hey jude"));   // another array, the same bytes
            Assert.Same(first, again);
            Assert.Equal("hey jude", again.Criteria);
            var other = Owned(Payload("let it be"));
            Assert.NotSame(first, other);
            Assert.Equal("let it be", other.Criteria);
            // Flags are part of the bytes: the same criteria with other flags is another query.
            var firewalled = GnutellaCodec.EncodePayload(new Query { Flags = Query.NewSemantics | Query.SearcherFirewalled, Criteria = "let it be" });
            var fromFirewall = Owned(firewalled);
            Assert.NotSame(other, fromFirewall);
            Assert.True(fromFirewall.IsFromFirewalledServent);
            Assert.False(other.IsFromFirewalledServent);
        }

        [Fact]
        public void A_query_with_a_urn_is_shared_only_with_the_same_urn()
        {
            var a = ContentHash.Parse("urn:sha1:PLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB");
            var b = ContentHash.Parse("urn:sha1:QLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB");
            var withA = Owned(GnutellaCodec.EncodePayload(new Query { Flags = Query.NewSemantics, Criteria = "", Urns = new[] { a } }));
            var withB = Owned(GnutellaCodec.EncodePayload(new Query { Flags = Query.NewSemantics, Criteria = "", Urns = new[] { b } }));
            Assert.NotSame(withA, withB);
            Assert.Equal(b, Assert.Single(withB.Urns));
        }

        [Fact]
        public void Public_decoding_never_shares()
        {
            var payload = Payload("hey jude");
            Assert.NotSame(Public(payload), Public(payload));
        }
    }
}
