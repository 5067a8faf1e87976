using System;
using System.Linq;
using System.Text;
using PSPeer.Engine.Bencoding;
using Xunit;

namespace PSPeer.Engine.Tests.Bencoding
{
    public class BencodeTests
    {
        static byte[] A(string s) => Encoding.ASCII.GetBytes(s);
        static string S(byte[] b) => Encoding.ASCII.GetString(b);
        static BValue Decode(string s) => Bencode.Decode(A(s));
        static string Encode(BValue v) => S(Bencode.Encode(v));

        [Theory]
        [InlineData("i0e", 0L)]
        [InlineData("i42e", 42L)]
        [InlineData("i-42e", -42L)]
        [InlineData("i9223372036854775807e", long.MaxValue)]
        [InlineData("i-9223372036854775808e", long.MinValue)]
        public void DecodesIntegers(string text, long expected)
        {
            var value = Assert.IsType<BInteger>(Decode(text));
            Assert.Equal(expected, value.Value);
            Assert.Equal(text, Encode(value));
        }

        [Theory]
        [InlineData("0:", "")]
        [InlineData("4:spam", "spam")]
        [InlineData("11:hello world", "hello world")]
        public void DecodesStrings(string text, string expected)
        {
            var value = Assert.IsType<BString>(Decode(text));
            Assert.Equal(expected, value.Text);
            Assert.Equal(text, Encode(value));
        }

        [Fact]
        public void StringsKeepBinaryBytes()
        {
            var bytes = new byte[] { (byte)'3', (byte)':', 0, 0xff, 0x80 };
            var value = Assert.IsType<BString>(Bencode.Decode(bytes));
            Assert.Equal(new byte[] { 0, 0xff, 0x80 }, value.Bytes);
            Assert.Equal(bytes, Bencode.Encode(value));
        }

        [Fact]
        public void DecodesTheBep3Examples()
        {
            var list = Assert.IsType<BList>(Decode("l4:spam4:eggse"));
            Assert.Equal(new[] { "spam", "eggs" }, list.Cast<BString>().Select(s => s.Text));

            var dict = Assert.IsType<BDictionary>(Decode("d3:cow3:moo4:spam4:eggse"));
            Assert.Equal("moo", dict.GetText("cow"));
            Assert.Equal("eggs", dict.GetText("spam"));

            var nested = Assert.IsType<BDictionary>(Decode("d4:spaml1:a1:bee"));
            Assert.Equal(2, nested.GetList("spam").Count);
            Assert.Empty(Assert.IsType<BList>(Decode("le")));
            Assert.Equal(0, Assert.IsType<BDictionary>(Decode("de")).Count);
        }

        [Fact]
        public void DictionaryAccessorsReturnNullForAbsentOrWrongTypes()
        {
            var dict = Assert.IsType<BDictionary>(Decode("d1:ai1e1:b1:x1:cle1:ddee"));
            Assert.Equal(1L, dict.GetInteger("a"));
            Assert.Null(dict.GetInteger("b"));
            Assert.Null(dict.GetText("a"));
            Assert.Null(dict.GetText("missing"));
            Assert.Null(dict["missing"]);
            Assert.NotNull(dict.GetList("c"));
            Assert.Null(dict.GetList("d"));
            Assert.NotNull(dict.GetDictionary("d"));
            Assert.True(dict.ContainsKey("b"));
            Assert.False(dict.ContainsKey("z"));
            Assert.Equal(new byte[] { (byte)'x' }, dict.GetBytes("b"));
        }

        [Fact]
        public void EncodesDictionaryKeysInRawByteOrder()
        {
            var dict = new BDictionary();
            dict["zebra"] = new BInteger(1);
            dict["Apple"] = new BInteger(2);   // 'A' (0x41) sorts before 'a' (0x61)
            dict["apple"] = new BInteger(3);
            dict["app"] = new BInteger(4);     // a prefix sorts first
            dict[new BString(new byte[] { 0xc3, 0xa9 })] = new BInteger(5);  // é, high bytes last
            Assert.Equal("d5:Applei2e3:appi4e5:applei3e5:zebrai1e2:\u00c3\u00a9i5ee", Encoding.GetEncoding("ISO-8859-1").GetString(Bencode.Encode(dict)));
        }

        [Fact]
        public void SettingNullRemovesAKey()
        {
            var dict = new BDictionary();
            dict["a"] = new BInteger(1);
            dict["a"] = null;
            Assert.Equal("de", Encode(dict));
        }

        [Fact]
        public void UnsortedInputIsAcceptedAndSourceOffsetsPointAtTheExactBytes()
        {
            const string text = "d4:infod1:zi1e1:ai2ee3:fooi7ee";
            var dict = Assert.IsType<BDictionary>(Decode(text));
            var info = dict.GetDictionary("info");
            Assert.Equal("d1:zi1e1:ai2ee", text.Substring(info.SourceOffset, info.SourceLength));
            Assert.Equal(0, dict.SourceOffset);
            Assert.Equal(text.Length, dict.SourceLength);
            // Re-encoding sorts the keys: that is why the info-hash must use the source bytes.
            Assert.Equal("d1:ai2e1:zi1ee", Encode(info));
        }

        [Fact]
        public void OffsetsAreIndexesIntoTheWholeBufferWhenDecodingASlice()
        {
            var data = A("xxxl4:spami3eeyy");
            var list = Assert.IsType<BList>(Bencode.Decode(data, 3, 11));
            Assert.Equal(3, list.SourceOffset);
            Assert.Equal(11, list.SourceLength);
            Assert.Equal(4, list[0].SourceOffset);
            Assert.Equal(10, list[1].SourceOffset);
            var e = Assert.Throws<BencodeException>(() => Bencode.Decode(data, 3, 12));
            Assert.Equal(14, e.Offset);
        }

        [Fact]
        public void DecodePrefixReportsHowManyBytesTheValueTook()
        {
            var data = A("d1:ai1ee-trailing");
            var value = Bencode.DecodePrefix(data, 0, data.Length, out int consumed);
            Assert.Equal(8, consumed);
            Assert.IsType<BDictionary>(value);
        }

        [Fact]
        public void BuiltValuesHaveNoSource()
        {
            var s = new BString("x");
            Assert.Equal(-1, s.SourceOffset);
            Assert.Equal(0, s.SourceLength);
        }

        [Theory]
        [InlineData("", 0, "Empty input")]
        [InlineData("i01e", 1, "leading zero")]
        [InlineData("i-0e", 0, "Negative zero")]
        [InlineData("i-01e", 2, "leading zero")]
        [InlineData("ie", 0, "without digits")]
        [InlineData("i-e", 0, "without digits")]
        [InlineData("i12", 3, "end of data")]
        [InlineData("i1.5e", 2, "'.'")]
        [InlineData("i9223372036854775808e", 0, "out of range")]
        [InlineData("i-9223372036854775809e", 0, "out of range")]
        [InlineData("i99999999999999999999999e", 0, "out of range")]
        [InlineData("5:abc", 0, "past the end")]
        [InlineData("03:abc", 0, "leading zero")]
        [InlineData("3abc", 1, "'a'")]
        [InlineData("4", 1, "end of data")]
        [InlineData("x", 0, "'x'")]
        [InlineData("l4:spam", 0, "inside a list")]
        [InlineData("d3:cow", 6, "has no value")]
        [InlineData("d3:cowe", 6, "has no value")]
        [InlineData("di1ei2ee", 1, "not a string")]
        [InlineData("d1:ai1e1:ai2ee", 7, "Duplicate dictionary key 'a'")]
        [InlineData("i1ei2e", 3, "after the end")]
        [InlineData("le ", 2, "after the end")]
        public void RefusesMalformedInputSayingWhatAndWhere(string text, long offset, string fragment)
        {
            var e = Assert.Throws<BencodeException>(() => Decode(text));
            Assert.Equal(offset, e.Offset);
            Assert.Contains(fragment, e.Message);
            Assert.Contains("at byte " + offset, e.Message);
        }

        [Fact]
        public void BencodeExceptionIsAFormatException()
        {
            Assert.IsAssignableFrom<FormatException>(Assert.Throws<BencodeException>(() => Decode("q")));
        }

        [Fact]
        public void DepthLimitStopsDeepNesting()
        {
            var deep = new string('l', 100_000) + new string('e', 100_000);
            var e = Assert.Throws<BencodeException>(() => Decode(deep));
            Assert.Equal(64, e.Offset);
            Assert.Contains("nested deeper than 64", e.Message);

            var ok = new string('l', 64) + new string('e', 64);
            Assert.IsType<BList>(Decode(ok));
        }

        [Fact]
        public void StringLengthIsBoundedBeforeAllocating()
        {
            var limits = new BencodeLimits { MaxStringLength = 10 };
            var e = Assert.Throws<BencodeException>(() => Bencode.Decode(A("11:hello world"), limits));
            Assert.Contains("longer than the limit of 10", e.Message);
            // A huge claimed length with little data fails fast, not with an OutOfMemoryException.
            e = Assert.Throws<BencodeException>(() => Decode("1000000:x"));
            Assert.Contains("past the end", e.Message);
            e = Assert.Throws<BencodeException>(() => Decode("99999999999999999999999:x"));
            Assert.Contains("longer than the limit", e.Message);
        }

        [Fact]
        public void ItemAndTotalSizeLimitsApply()
        {
            var items = new BencodeLimits { MaxItems = 3 };
            Assert.IsType<BList>(Bencode.Decode(A("li1ei2ee"), items));
            var e = Assert.Throws<BencodeException>(() => Bencode.Decode(A("li1ei2ei3ee"), items));
            Assert.Contains("More than 3 values", e.Message);

            var total = new BencodeLimits { MaxTotalBytes = 5 };
            e = Assert.Throws<BencodeException>(() => Bencode.Decode(A("4:spam"), total));
            Assert.Contains("larger than the limit of 5", e.Message);
        }

        [Fact]
        public void RoundTripsNestedValues()
        {
            var root = new BDictionary();
            var list = new BList { new BInteger(-1), new BString("x"), new BList(), new BDictionary() };
            root["list"] = list;
            root["n"] = new BInteger(0);
            root["bin"] = new BString(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
            var bytes = Bencode.Encode(root);
            var back = Bencode.Decode(bytes);
            Assert.Equal(bytes, Bencode.Encode(back));
            Assert.Equal(256, ((BDictionary)back).GetBytes("bin").Length);
        }
    }
}
