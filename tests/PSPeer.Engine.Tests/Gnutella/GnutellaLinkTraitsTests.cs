using System.IO;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// A link keeps what it is in one byte of bits and its capabilities in narrow fields: each trait reads back as it
    /// was set, whatever the others are; the advertised degree and maximum TTL keep every value the handshake takes
    /// (1..1000 and 1..255); a link with no compression negotiated says so both ways.
    /// </summary>
    public class GnutellaLinkTraitsTests
    {
        sealed class QuietConnection : IConnection
        {
            public Stream Stream { get; } = new MemoryStream();
            public string LocalEndPoint => "10.0.0.1:6346";
            public string RemoteEndPoint => "10.0.0.2:6346";
            public void Dispose() { }
        }

        static GnutellaLink NewLink(bool ultrapeer, bool outgoing)
        {
            var host = new Simulation(new SimulationOptions { Seed = 1 }).AddHost("h");
            return new GnutellaLink(new QuietConnection(), HostPort.Parse("10.0.0.2:6346"), ultrapeer, outgoing,
                new byte[0], 65536, new QueryRateLimiter(host.Clock, 20), new GnutellaCounters());
        }

        [Fact]
        public void Every_trait_reads_back_as_set_whatever_the_others_are()
        {
            for (int bits = 0; bits < 64; bits++)
            {
                bool Bit(int i) => (bits & (1 << i)) != 0;
                var link = NewLink(ultrapeer: Bit(0), outgoing: Bit(1));
                link.ExtProbes = Bit(2);
                link.DynamicQuerying = Bit(3);
                link.UltrapeerQueryRouting = Bit(4);
                link.AcceptsBye = Bit(5);
                Assert.Equal(Bit(0), link.RemoteIsUltrapeer);
                Assert.Equal(!Bit(0), link.RemoteIsLeaf);
                Assert.Equal(Bit(1), link.Outgoing);
                Assert.Equal(Bit(2), link.ExtProbes);
                Assert.Equal(Bit(3), link.DynamicQuerying);
                Assert.Equal(Bit(4), link.UltrapeerQueryRouting);
                Assert.Equal(Bit(5), link.AcceptsBye);
                Assert.False(link.SendsCompressed);
                Assert.False(link.ReceivesCompressed);
            }
        }

        [Fact]
        public void A_trait_turned_off_again_leaves_the_others_on()
        {
            var link = NewLink(ultrapeer: true, outgoing: true);
            link.ExtProbes = link.DynamicQuerying = link.UltrapeerQueryRouting = link.AcceptsBye = true;
            link.DynamicQuerying = false;
            Assert.True(link.RemoteIsUltrapeer && link.Outgoing && link.ExtProbes && link.UltrapeerQueryRouting && link.AcceptsBye);
            Assert.False(link.DynamicQuerying);
        }

        [Theory]
        [InlineData(1, 1)]
        [InlineData(8, 4)]
        [InlineData(1000, 255)]
        public void Advertised_degree_and_max_ttl_keep_every_value_the_handshake_takes(int degree, int maxTtl)
        {
            var link = NewLink(ultrapeer: true, outgoing: false);
            link.AdvertisedDegree = degree;
            link.AdvertisedMaxTtl = maxTtl;
            Assert.Equal(degree, link.AdvertisedDegree);
            Assert.Equal(maxTtl, link.AdvertisedMaxTtl);
        }
    }
}
