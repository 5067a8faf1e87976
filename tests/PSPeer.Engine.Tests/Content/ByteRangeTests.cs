using PSPeer.Engine.Content;
using Xunit;

namespace PSPeer.Engine.Tests.Content
{
    public class ByteRangeTests
    {
        [Theory]
        [InlineData(null, "Whole", 0, 1000)]
        [InlineData("bytes=0-499", "Partial", 0, 500)]
        [InlineData("bytes=500-", "Partial", 500, 500)]
        [InlineData("bytes=-10", "Partial", 990, 10)]
        [InlineData("bytes=-5000", "Partial", 0, 1000)]
        [InlineData("bytes=990-5000", "Partial", 990, 10)]
        [InlineData("BYTES = 1-1", "Whole", 0, 1000)]
        [InlineData("bytes=1-1", "Partial", 1, 1)]
        [InlineData("bytes=1000-", "Unsatisfiable", 0, 0)]
        [InlineData("bytes=-0", "Unsatisfiable", 0, 0)]
        [InlineData("bytes=99999999999999999999999-", "Unsatisfiable", 0, 0)]
        [InlineData("bytes=5-1", "Whole", 0, 1000)]
        [InlineData("bytes=0-1,4-5", "Whole", 0, 1000)]
        [InlineData("items=0-1", "Whole", 0, 1000)]
        [InlineData("bytes=a-b", "Whole", 0, 1000)]
        [InlineData("bytes=+1-2", "Whole", 0, 1000)]
        public void Resolves_against_a_1000_byte_file(string header, string kind, long start, long length)
        {
            var r = ByteRange.Resolve(header, 1000);
            Assert.Equal(kind, r.Kind.ToString());
            Assert.Equal(start, r.Start);
            Assert.Equal(length, r.Length);
        }

        [Fact]
        public void Any_range_of_an_empty_file_is_unsatisfiable() =>
            Assert.Equal(ByteRange.Kinds.Unsatisfiable, ByteRange.Resolve("bytes=0-", 0).Kind);
    }
}
