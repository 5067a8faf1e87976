using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Core
{
    /// <summary>
    /// Only the one way an IPv4 address is written back is read as one, so a host kept as its address is said again
    /// exactly as it was heard; any other spelling stays text.
    /// </summary>
    public class Ipv4LiteralTests
    {
        [Theory]
        [InlineData("10.0.0.1", 0x0A000001u)]
        [InlineData("0.0.0.0", 0u)]
        [InlineData("255.255.255.255", 0xFFFFFFFFu)]
        [InlineData("192.168.100.7", 0xC0A86407u)]
        [InlineData("1.20.255.0", 0x0114FF00u)]
        public void Reads_a_literal_and_writes_it_back_as_it_was(string text, uint value)
        {
            Assert.True(Ipv4Literal.TryParse(text, 0, text.Length, out uint address));
            Assert.Equal(value, address);
            var bytes = System.Text.Encoding.ASCII.GetBytes("x" + text + "y");
            Assert.True(Ipv4Literal.TryParse(bytes, 1, text.Length, out uint fromBytes));
            Assert.Equal(value, fromBytes);
            Assert.Equal(text, Ipv4Literal.Format(address));
            var written = new byte[Ipv4Literal.MaxLength + 2];
            int length = Ipv4Literal.Write(address, written, 2);
            Assert.Equal(text, System.Text.Encoding.ASCII.GetString(written, 2, length));
        }

        [Theory]
        [InlineData("010.0.0.1")]      // a leading zero: written back it would lose it
        [InlineData("10.0.0.01")]
        [InlineData("00.0.0.0")]
        [InlineData("256.0.0.1")]
        [InlineData("1000.0.0.1")]
        [InlineData("10.0.0")]
        [InlineData("10.0.0.1.")]
        [InlineData("10.0.0.1.5")]
        [InlineData("10..0.1")]
        [InlineData(".10.0.0")]
        [InlineData(" 10.0.0.1")]
        [InlineData("10.0.0.1 ")]
        [InlineData("10.0.0.1a")]
        [InlineData("+1.0.0.1")]
        [InlineData("host.example")]
        [InlineData("fe80::1")]
        [InlineData("")]
        public void Refuses_every_other_spelling(string text)
        {
            Assert.False(Ipv4Literal.TryParse(text, 0, text.Length, out uint address));
            Assert.Equal(0u, address);
            Assert.False(Ipv4Literal.TryParse(System.Text.Encoding.ASCII.GetBytes(text), 0, text.Length, out _));
        }

        [Fact]
        public void Reads_only_the_range_it_is_given()
        {
            const string list = "10.0.0.1:6346,10.0.0.12:6346";
            Assert.True(Ipv4Literal.TryParse(list, 14, 9, out uint address));
            Assert.Equal(0x0A00000Cu, address);
            Assert.True(Ipv4Literal.TryParse(list, 14, 8, out address));   // "10.0.0.1" of "10.0.0.12"
            Assert.Equal(0x0A000001u, address);
            Assert.False(Ipv4Literal.TryParse(list, 0, 13, out _));       // "10.0.0.1:6346"
        }
    }
}
