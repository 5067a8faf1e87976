using System;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Wire
{
    public class BitfieldTests
    {
        [Fact]
        public void Bits_count_and_layout_follow_bep3()
        {
            var b = new Bitfield(12);
            Assert.Equal(2, b.ToBytes().Length);
            b.Set(0);
            b.Set(11);
            b.Set(11);   // setting twice counts once
            Assert.Equal(new byte[] { 0x80, 0x10 }, b.ToBytes());
            Assert.Equal(2, b.SetCount);
            b.Set(0, false);
            Assert.False(b[0]);
            Assert.Equal(1, b.SetCount);
            Assert.Throws<ArgumentOutOfRangeException>(() => b[12]);
            Assert.Throws<ArgumentOutOfRangeException>(() => b.Set(-1));
        }

        [Fact]
        public void SetAll_leaves_the_spare_bits_clear_and_Clone_is_independent()
        {
            var b = new Bitfield(10);
            b.SetAll();
            Assert.True(b.AllSet);
            Assert.Equal(new byte[] { 0xFF, 0xC0 }, b.ToBytes());
            var copy = b.Clone();
            copy.Set(3, false);
            Assert.True(b[3]);
            Assert.Equal(9, copy.SetCount);
            Assert.True(b.HasAnyMissingFrom(copy));
            Assert.False(copy.HasAnyMissingFrom(b));
            var round = Bitfield.FromBytes(copy.ToBytes(), 0, 2, 10);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => copy[i]), Enumerable.Range(0, 10).Select(i => round[i]));
            Assert.Equal(9, round.SetCount);
        }

        [Fact]
        public void An_empty_or_exact_multiple_of_eight_bitfield_has_no_spare_bits()
        {
            var empty = new Bitfield(0);
            Assert.True(empty.AllSet);
            Assert.Empty(empty.ToBytes());
            var sixteen = new Bitfield(16);
            sixteen.SetAll();
            Assert.Equal(new byte[] { 0xFF, 0xFF }, sixteen.ToBytes());
            Assert.Equal(16, Bitfield.FromBytes(new byte[] { 0xFF, 0xFF }, 0, 2, 16).SetCount);
        }
    }
}
