using System.Text;
using PSPeer.Engine.Bencoding;
using Xunit;

namespace PSPeer.Engine.Tests.Bencoding
{
    /// <summary>The streaming writer and reader: same bytes as the tree codec, same strictness token by token.</summary>
    public class BencodeReaderWriterTests
    {
        static byte[] A(string s) => Encoding.ASCII.GetBytes(s);

        [Fact]
        public void The_writer_writes_what_the_tree_encoder_writes()
        {
            var w = new BencodeWriter(16);
            w.BeginDictionary().Key("a").Integer(-42).Key("b").BeginList().Text("héllo").String(new byte[] { 0, 255 }).Integer(0).End()
             .Key("c").Integer(long.MinValue).End();
            var tree = new BDictionary
            {
                ["a"] = new BInteger(-42),
                ["b"] = new BList { new BString("héllo"), new BString(new byte[] { 0, 255 }), new BInteger(0) },
                ["c"] = new BInteger(long.MinValue),
            };
            Assert.Equal(Bencode.Encode(tree), w.ToArray());
        }

        [Fact]
        public void The_reader_walks_tokens_and_skips_whole_values()
        {
            var data = A("xxd1:ali1eli2eee1:bi-7e1:c3:abce");
            var r = new BencodeReader(data, 2, data.Length - 2);
            r.EnterDictionary();
            r.ReadString(out int ks, out int kl);
            Assert.True(r.Equals(ks, kl, "a"));
            r.Skip();
            r.ReadString(out _, out _);
            Assert.Equal(-7, r.ReadInteger());
            r.ReadString(out _, out _);
            Assert.Equal(A("abc"), r.ReadBytes());
            Assert.True(r.TryReadEnd());
            Assert.True(r.AtEnd);
        }

        [Theory]
        [InlineData("i-0e")]
        [InlineData("i03e")]
        [InlineData("ie")]
        [InlineData("i9223372036854775808e")]
        [InlineData("03:abc")]
        [InlineData("5:abc")]
        [InlineData("l")]
        [InlineData("x")]
        public void The_reader_refuses_what_the_tree_decoder_refuses(string bad)
        {
            Assert.Throws<BencodeException>(() => Bencode.Decode(A(bad)));
            Assert.Throws<BencodeException>(() => new BencodeReader(A(bad), 0, bad.Length, 16).Skip());
        }

        [Fact]
        public void Skipping_is_bounded_in_depth()
        {
            var deep = A(new string('l', 17) + new string('e', 17));
            Assert.Throws<BencodeException>(() => new BencodeReader(deep, 0, deep.Length, 16).Skip());
            new BencodeReader(deep, 0, deep.Length, 17).Skip();
        }
    }
}
