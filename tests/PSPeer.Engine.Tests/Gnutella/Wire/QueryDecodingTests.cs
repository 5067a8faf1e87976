using System;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>Queries decoded one after another (a flood's copies share their criteria text) each keep their own criteria and urns.</summary>
    public class QueryDecodingTests
    {
        static Query Decode(Query query)
        {
            var payload = GnutellaCodec.EncodePayload(query);
            return Assert.IsType<Query>(GnutellaCodec.DecodePayload(new DescriptorHeader(default, GnutellaPayloadType.Query, 1, 0, payload.Length), payload, 0, payload.Length));
        }

        [Fact]
        public void Successive_queries_read_their_own_criteria_and_urns()
        {
            var hash = ContentHash.Compute(new byte[] { 1, 2, 3 });
            var criteria = new[] { "hey jude", "hey jude", "hey judy", "hey jud", "", "héy jüde", "hey jude", new string('x', 300), new string('x', 300), "hey jude" };
            foreach (var text in criteria)
            {
                var back = Decode(new Query { Criteria = text, Flags = Query.NewSemantics });
                Assert.Equal(text, back.Criteria);
                Assert.Empty(back.Urns);
            }
            var withUrn = Decode(new Query { Criteria = "hey jude", Urns = new[] { hash } });
            Assert.Equal("hey jude", withUrn.Criteria);
            Assert.Equal(hash, Assert.Single(withUrn.Urns));
            Assert.Empty(Decode(new Query { Criteria = "hey jude" }).Urns);   // the urns of the query before are not kept
        }
    }
}
