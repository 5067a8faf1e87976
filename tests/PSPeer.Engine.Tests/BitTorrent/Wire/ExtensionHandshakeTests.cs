using System.Text;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Bencoding;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Wire
{
    /// <summary>BEP 10 extension handshake: what we send, and the one key (reqq) we read from a peer's.</summary>
    public class ExtensionHandshakeTests
    {
        static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

        [Fact]
        public void Ours_offers_no_extension_messages_and_says_its_request_queue_and_client()
        {
            var bytes = ExtensionHandshake.Encode(2048, "PSPeer 0.1.0.0");
            Assert.Equal("d1:mde4:reqqi2048e1:v14:PSPeer 0.1.0.0e", Encoding.ASCII.GetString(bytes));
            var d = Assert.IsType<BDictionary>(Bencode.Decode(bytes));
            Assert.Equal(0, d.GetDictionary("m").Count);
        }

        [Fact]
        public void The_request_queue_of_a_libtorrent_handshake_is_read_and_the_rest_ignored()
        {
            // Shaped like libtorrent 2.0's (keys in the order it writes them; other clients leave some out).
            var lt = Ascii("d12:complete_agoi-1e1:md11:lt_donthavei7e10:share_modei8e11:upload_onlyi3e12:ut_holepunchi4e11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei5000e4:reqqi2000e1:v18:libtorrent/2.0.8.06:yourip4:\u007f\u0000\u0000\u0001e");
            Assert.Equal(2000, ExtensionHandshake.ReadRequestQueue(lt, 0, lt.Length));
        }

        [Theory]
        [InlineData("d1:v5:aria2e")]                 // no reqq: the peer said nothing
        [InlineData("d4:reqqi0ee")]                  // not a queue
        [InlineData("d4:reqqi-5ee")]
        [InlineData("d4:reqq3:abce")]                // not an integer
        [InlineData("li250ee")]                      // not a dictionary
        [InlineData("d4:reqqi250e")]                 // cut short
        [InlineData("d4:reqqi250e4:reqqi9ee")]       // a key twice
        [InlineData("")]
        public void A_handshake_without_a_usable_reqq_gives_0(string payload)
        {
            var bytes = Ascii(payload);
            Assert.Equal(0, ExtensionHandshake.ReadRequestQueue(bytes, 0, bytes.Length));
        }

        [Fact]
        public void A_reqq_beyond_an_int_is_read_as_the_largest_int()
        {
            var bytes = Ascii("d4:reqqi99999999999ee");
            Assert.Equal(int.MaxValue, ExtensionHandshake.ReadRequestQueue(bytes, 0, bytes.Length));
        }

        [Fact]
        public void Only_the_given_range_is_read()
        {
            var bytes = Ascii("xxd4:reqqi7eeyy");
            Assert.Equal(7, ExtensionHandshake.ReadRequestQueue(bytes, 2, bytes.Length - 4));
        }
    }
}
