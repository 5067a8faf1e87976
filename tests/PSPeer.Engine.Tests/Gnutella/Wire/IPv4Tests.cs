using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    public class IPv4Tests
    {
        [Theory]
        [InlineData(new byte[] { 0, 0, 0, 0 }, "0.0.0.0")]
        [InlineData(new byte[] { 255, 255, 255, 255 }, "255.255.255.255")]
        [InlineData(new byte[] { 10, 1, 20, 109 }, "10.1.20.109")]
        [InlineData(new byte[] { 1, 100, 99, 9 }, "1.100.99.9")]
        public void Formats_dotted_decimal_and_parses_it_back(byte[] bytes, string text)
        {
            Assert.Equal(text, IPv4.Format(bytes, 0));
            var back = new byte[4];
            Assert.True(IPv4.TryParse(text, back, 0));
            Assert.Equal(bytes, back);
        }

        [Fact]
        public void Addresses_sharing_a_bucket_are_each_formatted_as_themselves()
        {
            // The same last byte puts them in one bucket of the per-thread cache.
            Assert.Equal("1.2.3.7", IPv4.Format(new byte[] { 1, 2, 3, 7 }, 0));
            Assert.Equal("9.9.9.7", IPv4.Format(new byte[] { 9, 9, 9, 7 }, 0));
            Assert.Equal("1.2.3.7", IPv4.Format(new byte[] { 1, 2, 3, 7 }, 0));
            Assert.Equal("5.1.2.3.7", "5." + IPv4.Format(new byte[] { 0, 1, 2, 3, 7 }, 1));
        }

        [Theory]
        [InlineData(" 1.2.3.4 ", true)]
        [InlineData("01.002.3.4", true)]
        [InlineData("1.2.3", false)]
        [InlineData("1.2.3.4.5", false)]
        [InlineData("1..3.4", false)]
        [InlineData("256.1.1.1", false)]
        [InlineData("1.2.3.0004", false)]
        [InlineData("+1.2.3.4", false)]
        [InlineData("1.2.3.4 x", false)]
        [InlineData("1. 2.3.4", false)]
        [InlineData("1.2.3.", false)]
        [InlineData("", false)]
        [InlineData(null, false)]
        [InlineData("١.2.3.4", false)]   // an Arabic-Indic digit is not an ASCII digit
        public void Parses_four_parts_of_one_to_three_ascii_digits_each_at_most_255(string text, bool ok)
        {
            Assert.Equal(ok, IPv4.TryParse(text, new byte[4], 0));
        }
    }
}
