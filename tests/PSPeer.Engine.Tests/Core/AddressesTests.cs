using System.Net;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Core
{
    public class AddressesTests
    {
        [Theory]
        [InlineData("127.0.0.2", "127.0.0.2")]
        [InlineData(" 198.18.0.1 ", "198.18.0.1")]
        [InlineData("::1", "::1")]
        [InlineData("[::1]", "::1")]
        public void An_ip_literal_is_read_as_typed_with_or_without_brackets(string text, string expected)
        {
            Assert.True(Addresses.TryParseLiteral(text, out var address));
            Assert.Equal(IPAddress.Parse(expected), address);
        }

        [Theory]
        [InlineData("localhost")]
        [InlineData("tracker.example")]
        [InlineData("")]
        [InlineData(null)]
        public void A_host_name_or_nothing_is_not_a_literal(string text) => Assert.False(Addresses.TryParseLiteral(text, out _));

        [Fact]
        public void An_ipv4_mapped_address_is_the_ipv4_it_carries_and_others_are_unchanged()
        {
            Assert.Equal(IPAddress.Parse("127.0.0.2"), IPAddress.Parse("::ffff:127.0.0.2").Unmapped());
            Assert.Equal(IPAddress.Parse("::1"), IPAddress.Parse("::1").Unmapped());
            Assert.Equal(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.1").Unmapped());
            var mapped = new IPEndPoint(IPAddress.Parse("::ffff:198.18.0.1"), 6346).Unmapped();
            Assert.Equal(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 6346), mapped);
            Assert.Null(((IPAddress)null).Unmapped());
        }
    }
}
