using System.Text;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Chord.Krpc;
using Xunit;

namespace PSPeer.Engine.Tests.Chord.Krpc
{
    /// <summary>
    /// Values as byte strings and PSPeer's optional keys (which other KRPC clients ignore as unknown keys), against
    /// hand-written bytes: "v" and "values" keep every byte (≥ 0x80 too, UTF-8 or not); store_value's "left", transfer's
    /// "left" (seconds each value has left), notify's "leaving" and its answer's "taken".
    /// </summary>
    public class KrpcExtensionTests
    {
        const string A = "aaaaaaaaaaaaaaaaaaaa", B = "bbbbbbbbbbbbbbbbbbbb", C = "cccccccccccccccccccc", K = "kkkkkkkkkkkkkkkkkkkk";
        const string NodeB = B + "\u007f\u0000\u0000\u0001\u001a\u00e1", NodeC = C + "\u000a\u0000\u0000\u0002\u0000\u0050";

        /// <summary>
        /// A file pointer {a, h, n, s} full of bytes ≥ 0x80, written by hand as Latin-1 (one char per byte): address
        /// 192.168.1.200 port 50000 (C3 50), SHA-1 EC..FF, name "Ça.mp3" in UTF-8 (C3 87 …), size 300000.
        /// </summary>
        public const string Pointer = "d1:a6:\u00c0\u00a8\u0001\u00c8\u00c3\u0050"
            + "1:h20:\u00ec\u00ed\u00ee\u00ef\u00f0\u00f1\u00f2\u00f3\u00f4\u00f5\u00f6\u00f7\u00f8\u00f9\u00fa\u00fb\u00fc\u00fd\u00fe\u00ff"
            + "1:n7:\u00c3\u0087a.mp3" + "1:si300000ee";

        static ChordId Id(string s) => ChordId.FromBytes(Encoding.ASCII.GetBytes(s));
        public static byte[] Bytes(string latin1) => Encoding.GetEncoding("ISO-8859-1").GetBytes(latin1);

        static KrpcMessage RoundTrip(string wire)
        {
            var bytes = Bytes(wire);
            var status = KrpcCodec.Decode(bytes, 0, bytes.Length, out var message, out string problem);
            Assert.True(status == KrpcDecodeStatus.Ok, $"{status}: {problem}");
            Assert.Equal(bytes, KrpcCodec.Encode(message));
            return message;
        }

        [Fact]
        public void A_binary_value_travels_byte_for_byte_in_store_value_and_get_values()
        {
            Assert.Equal(62, Pointer.Length);
            var q = RoundTrip($"d1:ad2:id20:{A}6:target20:{K}5:token8:TOKEN1231:v62:{Pointer}e1:q11:store_value1:t2:sv1:y1:qe");
            Assert.Equal(Bytes(Pointer), q.Value);
            var r = RoundTrip($"d1:rd2:id20:{B}6:valuesl62:{Pointer}2:\u00ff\u00feee1:t2:gv1:y1:re");
            Assert.Equal(new[] { Bytes(Pointer), new byte[] { 0xFF, 0xFE } }, r.Values);
        }

        [Fact]
        public void A_value_that_is_not_UTF_8_is_a_value_like_any_other()
        {
            var q = RoundTrip($"d1:ad2:id20:{A}6:target20:{K}5:token8:TOKEN1231:v3:\u00c3\u0028\u00ffe1:q11:store_value1:t2:sv1:y1:qe");
            Assert.Equal(new byte[] { 0xC3, 0x28, 0xFF }, q.Value);
        }

        [Fact]
        public void Store_value_may_say_how_many_seconds_a_handed_on_copy_has_left()
        {
            var q = RoundTrip($"d1:ad2:id20:{A}4:lefti1200e6:target20:{K}5:token8:TOKEN1231:v1:xe1:q11:store_value1:t2:sv1:y1:qe");
            Assert.Equal(1200, q.Left);
            Assert.Null(RoundTrip($"d1:ad2:id20:{A}6:target20:{K}5:token8:TOKEN1231:v1:xe1:q11:store_value1:t2:sv1:y1:qe").Left);
        }

        [Fact]
        public void Transfer_answers_carry_each_values_remaining_lifetime_in_left()
        {
            var r = RoundTrip($"d1:rd2:id20:{B}5:itemsll20:{K}l1:x1:yeel20:{C}l1:zeee4:leftlli3599ei12eeli7eee4:more20:{C}e1:t2:tr1:y1:re");
            Assert.Equal(new long[] { 3599, 12 }, r.Items[0].Left);
            Assert.Equal(new long[] { 7 }, r.Items[1].Left);
            Assert.Equal(new[] { Bytes("z") }, r.Items[1].Values);
        }

        [Theory]
        [InlineData("4:leftlli1eee")]            // one lifetime for two values
        [InlineData("4:leftlli1ei2eee")]         // one list for two items
        public void A_left_that_does_not_match_the_items_is_ignored(string left)
        {
            var bytes = Bytes($"d1:rd2:id20:{B}5:itemsll20:{K}l1:x1:yeel20:{C}l1:zeee{left}e1:t2:tr1:y1:re");
            Assert.Equal(KrpcDecodeStatus.Ok, KrpcCodec.Decode(bytes, 0, bytes.Length, out var r, out _));
            Assert.All(r.Items, item => Assert.Null(item.Left));
        }

        [Fact]
        public void A_left_of_the_wrong_shape_is_refused_like_any_bad_field()
        {
            var bytes = Bytes($"d1:rd2:id20:{B}5:itemsll20:{K}l1:xeee4:leftl1:xee1:t2:tr1:y1:re");
            Assert.Equal(KrpcDecodeStatus.Dropped, KrpcCodec.Decode(bytes, 0, bytes.Length, out _, out _));
            var negative = Bytes($"d1:ad2:id20:{A}4:lefti-1e6:target20:{K}5:token8:TOKEN1231:v1:xe1:q11:store_value1:t2:sv1:y1:qe");
            Assert.Equal(KrpcDecodeStatus.Malformed, KrpcCodec.Decode(negative, 0, negative.Length, out _, out _));
        }

        [Fact]
        public void Notify_may_say_the_sender_is_leaving_and_who_takes_its_place()
        {
            var q = RoundTrip($"d1:ad2:id20:{A}7:leaving52:{NodeB}{NodeC}e1:q6:notify1:t2:nt1:y1:qe");
            Assert.Equal(new[] { Id(B), Id(C) }, new[] { q.Leaving[0].Id, q.Leaving[1].Id });
            Assert.Equal(1, q.Leaving[0].EndPoint.Port >> 12); // 6881 = 0x1AE1
            var none = RoundTrip($"d1:ad2:id20:{A}7:leaving0:e1:q6:notify1:t2:nt1:y1:qe");
            Assert.Empty(none.Leaving);
            Assert.Null(RoundTrip($"d1:ad2:id20:{A}e1:q6:notify1:t2:nt1:y1:qe").Leaving);
            var answer = RoundTrip($"d1:rd2:id20:{B}5:takeni7ee1:t2:nt1:y1:re");
            Assert.Equal(7, answer.Taken);
        }
    }
}
