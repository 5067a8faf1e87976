using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// Tables many servents share (every leaf without files sends the same empty table) are compressed and decoded once
    /// per process. What each servent sees must not change: its own updates, the slots a receiver ends up with, the
    /// errors a bad sequence gets, and one receiver's later patches never reach another's table.
    /// </summary>
    public class QrpTableCacheTests
    {
        static QueryRouteTable Leaf(int bits, params string[] files)
        {
            var t = new QueryRouteTable(bits);
            foreach (var f in files) t.AddFileName(f);
            t.Compact();
            return t;
        }

        static QueryRouteTable Receive(IEnumerable<RouteTableUpdate> updates, QueryRouteTable into = null)
        {
            var t = into ?? new QueryRouteTable(13);
            foreach (var u in updates)
            {
                var bytes = GnutellaCodec.EncodePayload(u);
                t.Apply((RouteTableUpdate)GnutellaCodec.DecodePayload(new DescriptorHeader(default, GnutellaPayloadType.RouteTableUpdate, 1, 0, bytes.Length), bytes, 0, bytes.Length));
            }
            return t;
        }

        [Theory]
        [InlineData("")]
        [InlineData("hey jude.mp3|let it be.ogg")]
        public void Equal_tables_send_the_same_updates_and_decode_to_the_same_slots(string names)
        {
            var files = names.Length == 0 ? new string[0] : names.Split('|');
            var a = Leaf(13, files);
            var b = Leaf(13, files);
            var fromA = a.ToUpdates(4096).ToList();
            var fromB = b.ToUpdates(4096).ToList();
            Assert.Equal(fromA.Count, fromB.Count);
            for (int i = 0; i < fromA.Count; i++) Assert.Equal(GnutellaCodec.EncodePayload(fromA[i]), GnutellaCodec.EncodePayload(fromB[i]));

            var first = Receive(fromA);
            var second = Receive(fromB);
            Assert.True(first.SameSlots(a));
            Assert.True(second.SameSlots(a));
            Assert.Equal(files.Length == 0 ? 0 : a.PresentCount, second.PresentCount);
            if (files.Length > 0) Assert.True(second.MayMatch("hey jude"));
        }

        [Fact]
        public void A_later_patch_on_one_receiver_leaves_another_with_the_same_first_table_alone()
        {
            var leaf = Leaf(6, "hey jude.mp3");
            var updates = leaf.ToUpdates(4096).ToList();
            var one = Receive(updates);
            var two = Receive(updates);
            int before = two.PresentCount;
            Assert.True(before > 0);

            // An incremental sequence (no reset) that clears every slot of `one`: 4-bit deltas of +6 from distance 1.
            var clear = new byte[32];
            for (int i = 0; i < clear.Length; i++) clear[i] = 0x66;
            one.Apply(new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = QrpPatch.NoCompressor, EntryBits = 4, Data = clear });
            Assert.Equal(0, one.PresentCount);
            Assert.Equal(before, two.PresentCount);
            Assert.True(two.SameSlots(leaf));
            // And a table built locally from a received one (Add turns it dense) does not write into the shared slots.
            two.Add("stones");
            var three = Receive(updates);
            Assert.True(three.SameSlots(leaf));
        }

        [Fact]
        public void The_same_bytes_with_other_parameters_get_the_errors_they_always_got()
        {
            var updates = Leaf(13).ToUpdates(4096).ToList();
            Receive(updates);   // decoded once: remembered for these parameters
            var patch = (QrpPatch)updates[1];
            var t = new QueryRouteTable(13);
            t.Apply(new QrpReset { TableLength = 8192, Infinity = 7 });
            var e = Assert.Throws<GnutellaProtocolException>(() =>
                t.Apply(new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = QrpPatch.ZlibCompressor, EntryBits = 8, Data = patch.Data }));
            Assert.Contains("8192 expected", e.Message);
            // A different table size with the same bytes is not a hit either.
            t.Apply(new QrpReset { TableLength = 16384, Infinity = 7 });
            Assert.Throws<GnutellaProtocolException>(() =>
                t.Apply(new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = QrpPatch.ZlibCompressor, EntryBits = 4, Data = patch.Data }));
        }

        [Fact]
        public void A_full_table_after_a_reset_decodes_dense_and_whole()
        {
            // Every one of 64 slots present: 4-bit deltas of -6 (0xA) throughout.
            var all = new byte[32];
            for (int i = 0; i < all.Length; i++) all[i] = 0xAA;
            var t = new QueryRouteTable(13);
            t.Apply(new QrpReset { TableLength = 64, Infinity = 7 });
            t.Apply(new QrpPatch { SequenceNumber = 1, SequenceSize = 1, Compressor = QrpPatch.NoCompressor, EntryBits = 4, Data = all });
            Assert.Equal(64, t.PresentCount);
            Assert.True(t.MayMatch("anything at all"));
        }

        [Fact]
        public void Only_small_patches_that_decode_to_few_slots_are_remembered_so_strangers_cannot_fill_the_cache()
        {
            var small = new byte[64];
            QrpTableCache.RememberDecoded(16, 7, 4, QrpPatch.NoCompressor, small, 0, small.Length, new[] { 1, 2, 3 });
            Assert.True(QrpTableCache.TryDecoded(16, 7, 4, QrpPatch.NoCompressor, small, 0, small.Length, out var slots));
            Assert.Equal(new[] { 1, 2, 3 }, slots);

            var big = new byte[4097];
            QrpTableCache.RememberDecoded(16, 7, 4, QrpPatch.NoCompressor, big, 0, big.Length, new[] { 1 });
            Assert.False(QrpTableCache.TryDecoded(16, 7, 4, QrpPatch.NoCompressor, big, 0, big.Length, out _));

            var many = new byte[65];
            QrpTableCache.RememberDecoded(16, 7, 4, QrpPatch.NoCompressor, many, 0, many.Length, new int[1025]);
            Assert.False(QrpTableCache.TryDecoded(16, 7, 4, QrpPatch.NoCompressor, many, 0, many.Length, out _));
        }

        [Fact]
        public void A_slice_of_a_payload_finds_what_the_same_bytes_were_remembered_as()
        {
            var data = new byte[] { 9, 8, 7, 6, 5 };
            QrpTableCache.RememberDecoded(15, 7, 4, QrpPatch.ZlibCompressor, data, 1, 3, new[] { 4, 5 });
            data[2] = 0;   // what is kept is a copy
            var payload = new byte[] { 1, 2, 3, 4, 5, 8, 7, 6, 0 };
            Assert.True(QrpTableCache.TryDecoded(15, 7, 4, QrpPatch.ZlibCompressor, payload, 5, 3, out var slots));
            Assert.Equal(new[] { 4, 5 }, slots);
            Assert.False(QrpTableCache.TryDecoded(15, 7, 4, QrpPatch.ZlibCompressor, payload, 4, 3, out _));
            Assert.False(QrpTableCache.TryDecoded(15, 7, 4, QrpPatch.ZlibCompressor, payload, 5, 4, out _));
        }
    }
}
