// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System.Linq;
using System.Threading;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// What an ultrapeer's CONNECT says it can do (X-Degree, X-Max-TTL, X-Dynamic-Querying, X-Ultrapeer-Query-Routing,
    /// X-Ext-Probes), read from the head's bytes: the same as int.TryParse and Trim read the strings.
    /// </summary>
    public class RemoteCapabilitiesTests
    {
        static GnutellaLink LinkFrom(string extraHeaders)
        {
            var world = new GnutellaWorld();
            var node = world.Add("up");
            var peer = world.Sim.AddHost("peer");
            var address = world.Address(node);
            world.Run(async () =>
            {
                var c = await peer.Transport.ConnectAsync(address.Host, address.Port);
                var hello = System.Text.Encoding.ASCII.GetBytes("GNUTELLA CONNECT/0.6\r\nUser-Agent: Test/1.0\r\nX-Ultrapeer: True\r\n" +
                    "Listen-IP: " + peer.HostAddress + ":6346\r\n" + extraHeaders + "\r\n");
                await c.Stream.WriteAsync(hello, 0, hello.Length);
                var answer = await GnutellaHandshake.ReadHeadAsync(c.Stream, null, 8192, CancellationToken.None);
                Assert.Equal(200, answer.Status);
                var ok = System.Text.Encoding.ASCII.GetBytes("GNUTELLA/0.6 200 OK\r\n\r\n");
                await c.Stream.WriteAsync(ok, 0, ok.Length);
                return c;
            });
            world.Settle(1);
            return node.Links.Single();
        }

        [Fact]
        public void Numbers_and_flags_are_read_as_the_strings_were()
        {
            var link = LinkFrom("X-Degree:  0012 \r\nX-Max-TTL: 4\r\nX-Dynamic-Querying: 0.1\r\nX-Ultrapeer-Query-Routing:   \r\nX-Ext-Probes: x\r\n");
            Assert.Equal(12, link.AdvertisedDegree);
            Assert.Equal(4, link.AdvertisedMaxTtl);
            Assert.True(link.DynamicQuerying);
            Assert.False(link.UltrapeerQueryRouting);   // only white space
            Assert.True(link.ExtProbes);
        }

        [Theory]
        [InlineData("X-Degree: 12a\r\nX-Max-TTL: 300\r\n")]                  // not a number; above 255
        [InlineData("X-Degree: 99999999999\r\nX-Max-TTL: -4\r\n")]           // beyond an int; a sign
        [InlineData("X-Degree: 12\r\nX-Degree: 13\r\nX-Max-TTL: 0\r\n")]     // repeated lines join into "12,13"; 0
        [InlineData("")]                                                     // nothing said
        public void What_is_not_a_number_in_range_falls_back(string headers)
        {
            var link = LinkFrom(headers);
            Assert.Equal(8, link.AdvertisedDegree);   // the pre-X-Degree era's
            Assert.Equal(0, link.AdvertisedMaxTtl);   // not said
            Assert.False(link.DynamicQuerying);
        }
    }
}
