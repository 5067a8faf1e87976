using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Core
{
    public class PluralTests
    {
        [Theory]
        [InlineData(0, "0 hits")]
        [InlineData(1, "1 hit")]
        [InlineData(2, "2 hits")]
        public void Counts_read_as_English(long count, string expected)
        {
            Assert.Equal(expected, Plural.Of(count, "hit"));
        }

        [Fact]
        public void An_irregular_plural_is_given()
        {
            Assert.Equal("1 search, 3 searches", Plural.Of(1, "search", "searches") + ", " + Plural.Of(3, "search", "searches"));
        }
    }
}
