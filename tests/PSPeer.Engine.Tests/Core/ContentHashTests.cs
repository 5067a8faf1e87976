using System;
using System.Text;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Core
{
    public class ContentHashTests
    {
        [Fact]
        public void Base32MatchesTheRfc4648Vectors()
        {
            Assert.Equal("MZXW6YTBOI", Base32.Encode(Encoding.ASCII.GetBytes("foobar")));
            Assert.Equal("MY", Base32.Encode(Encoding.ASCII.GetBytes("f")));
            Assert.True(Base32.TryDecode("MZXW6YTBOI", out var bytes));
            Assert.Equal("foobar", Encoding.ASCII.GetString(bytes));
            Assert.False(Base32.TryDecode("MZXW6YTB0I", out _)); // '0' is not in the alphabet
        }

        [Fact]
        public void HashOfAKnownTextHasTheKnownUrn()
        {
            // SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d, in base32 as below.
            var hash = ContentHash.Compute(Encoding.ASCII.GetBytes("abc"));
            Assert.Equal("urn:sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5", hash.ToString());
        }

        [Theory]
        [InlineData("urn:sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5")]
        [InlineData("URN:SHA1:vgmt4nsha2awvor6evyxqugcnsonbwe5")]
        [InlineData("sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5")]
        [InlineData("VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5")]
        public void ParsesEveryCommonSpelling(string text)
        {
            Assert.Equal(ContentHash.Compute(Encoding.ASCII.GetBytes("abc")), ContentHash.Parse(text));
        }

        [Theory]
        [InlineData("")]
        [InlineData("urn:sha1:")]
        [InlineData("urn:sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE")]   // 31 characters
        [InlineData("urn:md5:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5")]
        [InlineData("urn:sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBW!5")]
        public void RefusesWhatIsNotASha1Urn(string text)
        {
            Assert.False(ContentHash.TryParse(text, out _));
            Assert.Throws<FormatException>(() => ContentHash.Parse(text));
        }
    }
}
