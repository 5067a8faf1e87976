using System;
using System.Linq;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Core
{
    public class InfoHashTests
    {
        static readonly byte[] Bytes = Enumerable.Range(0, 20).Select(i => (byte)(i * 13)).ToArray();
        const string Hex = "000d1a2734414e5b6875828f9ca9b6c3d0ddeaf7";

        [Fact]
        public void HexIsLowercaseAndRoundTrips()
        {
            var hash = new InfoHash(Bytes);
            Assert.Equal(Hex, hash.Hex);
            Assert.Equal(Hex, hash.ToString());
            Assert.Equal(hash, InfoHash.Parse(Hex.ToUpperInvariant()));
            Assert.Equal(Bytes, hash.ToArray());
        }

        [Fact]
        public void ParsesBase32()
        {
            var hash = new InfoHash(Bytes);
            Assert.Equal(hash, InfoHash.Parse(hash.Base32Text));
            Assert.Equal(hash, InfoHash.Parse(hash.Base32Text.ToLowerInvariant()));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("000d1a2734414e5b6875828f9ca9b6c3d0ddeaf")]
        [InlineData("000d1a2734414e5b6875828f9ca9b6c3d0ddeafg")]
        [InlineData("0x0d1a2734414e5b6875828f9ca9b6c3d0ddeaf7")]
        [InlineData("+00d1a2734414e5b6875828f9ca9b6c3d0ddeaf7")]
        [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ23456!")]
        public void RefusesWhatIsNotAHash(string text)
        {
            Assert.False(InfoHash.TryParse(text, out _));
            if (text != null) Assert.Throws<FormatException>(() => InfoHash.Parse(text));
        }

        [Fact]
        public void NeedsExactlyTwentyBytes()
        {
            Assert.Throws<ArgumentException>(() => new InfoHash(new byte[19]));
            Assert.Throws<ArgumentException>(() => new InfoHash((byte[])null));
        }

        [Fact]
        public void EqualityIsByValueAndTheArrayIsCopied()
        {
            var copy = (byte[])Bytes.Clone();
            var a = new InfoHash(copy);
            copy[0] = 99;
            Assert.Equal(new InfoHash(Bytes), a);
            Assert.True(new InfoHash(Bytes) == a);
            Assert.Equal(new InfoHash(Bytes).GetHashCode(), a.GetHashCode());
            Assert.NotEqual(new InfoHash(new byte[20]), a);
            var buffer = new byte[30];
            Buffer.BlockCopy(Bytes, 0, buffer, 5, 20);
            Assert.Equal(a, new InfoHash(buffer, 5));
        }
    }
}
