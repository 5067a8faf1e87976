using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// What sending and receiving QRP tables leaves behind: a sender reads the table's own array of updates (no copy per
    /// link), a new GUID costs no array, and a receiver keeps one patch's data without a list. What goes on the wire and
    /// the table a receiver ends up with are as before.
    /// </summary>
    public class QrpSendAndReceiveGarbageTests
    {
        static QueryRouteTable Leaf(params string[] files)
        {
            var t = new QueryRouteTable(13);
            foreach (var f in files) t.AddFileName(f);
            t.Compact();
            return t;
        }

        static void Receive(QueryRouteTable into, IEnumerable<RouteTableUpdate> updates)
        {
            foreach (var u in updates)
            {
                var bytes = GnutellaCodec.EncodePayload(u);
                into.Apply((RouteTableUpdate)GnutellaCodec.DecodePayload(new DescriptorHeader(default, GnutellaPayloadType.RouteTableUpdate, 1, 0, bytes.Length), bytes, 0, bytes.Length));
            }
        }

        [Fact]
        public void Shared_updates_are_the_tables_own_array_and_ToUpdates_still_hands_out_a_copy()
        {
            var leaf = Leaf("hey jude.mp3", "let it be.ogg");
            var shared = leaf.SharedUpdates(4096);
            Assert.Same(shared, leaf.SharedUpdates(4096));
            var copy = (RouteTableUpdate[])leaf.ToUpdates(4096);
            Assert.NotSame(shared, copy);
            Assert.Equal(shared, copy);   // the same update objects, in the same order
            copy[0] = null;               // a caller's copy is its own
            Assert.NotNull(leaf.SharedUpdates(4096)[0]);
            Assert.Throws<ArgumentOutOfRangeException>(() => leaf.SharedUpdates(0));
        }

        [Fact]
        public void Each_update_s_payload_is_encoded_once_and_shared_by_every_table_of_the_same_slots()
        {
            var leaf = Leaf("hey jude.mp3", "let it be.ogg");
            var payloads = leaf.SharedUpdatePayloads(4096);
            var updates = leaf.SharedUpdates(4096);
            Assert.Equal(updates.Length, payloads.Length);
            for (int i = 0; i < updates.Length; i++) Assert.Equal(GnutellaCodec.EncodePayload(updates[i]), payloads[i]);
            Assert.Same(payloads, leaf.SharedUpdatePayloads(4096));
            Assert.Same(payloads, Leaf("hey jude.mp3", "let it be.ogg").SharedUpdatePayloads(4096));   // sparse: one per process
            leaf.AddFileName("yesterday.flac");
            Assert.NotSame(payloads, leaf.SharedUpdatePayloads(4096));
        }

        [Fact]
        public void A_table_that_changes_gets_new_shared_updates()
        {
            var leaf = Leaf("hey jude.mp3");
            var before = leaf.SharedUpdates(4096);
            leaf.AddFileName("yesterday.flac");
            var after = leaf.SharedUpdates(4096);
            Assert.NotSame(before, after);
            var up = new QueryRouteTable(13);
            Receive(up, after);
            Assert.True(up.MayMatch("yesterday"));
            Assert.True(up.MayMatch("jude"));
        }

        [Theory]
        [InlineData(4096)]   // one patch
        [InlineData(8)]      // many patches: the data of each is kept until the last
        public void A_sequence_of_one_or_many_patches_rebuilds_the_table_and_the_next_sequence_starts_afresh(int maxPatchBytes)
        {
            var leaf = Leaf("hey jude.mp3", "let it be.ogg");
            var updates = leaf.ToUpdates(maxPatchBytes).ToList();
            Assert.Equal(maxPatchBytes == 8, updates.OfType<QrpPatch>().Count() > 1);
            var up = new QueryRouteTable(13);
            Receive(up, updates);
            Assert.True(up.IsComplete);
            Assert.True(up.MayMatch("jude"));
            Assert.True(up.MayMatch("let"));
            Assert.False(up.MayMatch("yesterday"));

            // The same receiver takes a second, different table: nothing of the first sequence's data is left in it.
            var other = Leaf("yesterday.flac");
            Receive(up, other.ToUpdates(maxPatchBytes));
            Assert.True(up.IsComplete);
            Assert.True(up.MayMatch("yesterday"));
            Assert.False(up.MayMatch("jude"));
        }

        [Fact]
        public void A_patch_a_read_loop_decodes_keeps_its_data_in_the_payload_and_still_rebuilds_the_table()
        {
            var leaf = Leaf("hey jude.mp3", "let it be.ogg");
            var up = new QueryRouteTable(13);
            foreach (var u in leaf.SharedUpdates(4096))
            {
                var bytes = GnutellaCodec.EncodePayload(u);
                var header = new DescriptorHeader(default, GnutellaPayloadType.RouteTableUpdate, 1, 0, bytes.Length);
                var decoded = (RouteTableUpdate)GnutellaCodec.DecodeOwnedPayload(header, bytes, 0, bytes.Length);
                if (decoded is QrpPatch patch)
                {
                    Assert.Same(bytes, patch.DataBuffer);   // no copy of the data
                    Assert.Equal(5, patch.DataOffset);
                    Assert.Equal(((QrpPatch)u).Data, patch.Data);   // asked for, an array of exactly the data
                    Assert.Equal(GnutellaCodec.EncodePayload(u), GnutellaCodec.EncodePayload(patch));
                }
                up.Apply(decoded);
            }
            Assert.True(up.IsComplete);
            Assert.True(up.MayMatch("jude"));
            Assert.False(up.MayMatch("yesterday"));
            // Decoded for a caller that may reuse its buffer, the data is a copy.
            var payload = GnutellaCodec.EncodePayload(leaf.SharedUpdates(4096)[1]);
            var copied = (QrpPatch)GnutellaCodec.DecodePayload(new DescriptorHeader(default, GnutellaPayloadType.RouteTableUpdate, 1, 0, payload.Length), payload, 0, payload.Length);
            Assert.NotSame(payload, copied.DataBuffer);
        }

        [Fact]
        public void Patches_that_are_slices_of_payloads_rebuild_a_table_of_many_patches()
        {
            const int maxPatchBytes = 8;   // many patches, each a slice of its own payload
            var leaf = Leaf("hey jude.mp3", "let it be.ogg", "yesterday.flac");
            var up = new QueryRouteTable(13);
            foreach (var u in leaf.ToUpdates(maxPatchBytes))
            {
                var bytes = new byte[3].Concat(GnutellaCodec.EncodePayload(u)).ToArray();   // the payload 3 bytes into its array
                up.Apply((RouteTableUpdate)GnutellaCodec.DecodeOwnedPayload(new DescriptorHeader(default, GnutellaPayloadType.RouteTableUpdate, 1, 0, bytes.Length - 3), bytes, 3, bytes.Length - 3));
            }
            Assert.True(up.IsComplete);
            Assert.True(up.SameSlots(leaf));
        }

        [Fact]
        public void A_table_is_one_object_of_64_bytes()
        {
            new QueryRouteTable(13);   // the JIT, once
            long before = GC.GetAllocatedBytesForCurrentThread();
            new QueryRouteTable(13);
            long size = GC.GetAllocatedBytesForCurrentThread() - before;
            // An ultrapeer holds one per leaf link: sizes and sequence numbers in bytes, not ints (80 bytes).
            Assert.True(size <= 64, $"an empty table takes {size} bytes");
        }

        [Fact]
        public void A_patch_decoded_without_data_has_none_and_a_patch_made_without_data_shares_the_empty_array()
        {
            Assert.Empty(new QrpPatch().Data);
            Assert.Same(new QrpPatch().Data, new QrpPatch().Data);
        }

        [Fact]
        public void A_new_guid_is_the_random_sources_next_16_bytes_with_the_modern_marks_and_keeps_its_value()
        {
            var random = new SeededRandom(42);
            var same = new Random(42);
            var earlier = GnutellaGuid.New(random);
            var expected = new byte[16];
            same.NextBytes(expected);
            expected[8] = 0xFF;
            expected[15] = 0x00;
            Assert.Equal(expected, earlier.ToArray());

            // Later GUIDs (made in the same scratch) do not change one made before.
            var later = GnutellaGuid.New(random);
            same.NextBytes(expected);
            expected[8] = 0xFF;
            expected[15] = 0x00;
            Assert.Equal(expected, later.ToArray());
            Assert.NotEqual(earlier, later);
            var first = new byte[16];
            new Random(42).NextBytes(first);
            first[8] = 0xFF;
            first[15] = 0x00;
            Assert.Equal(first, earlier.ToArray());
        }

        [Fact]
        public void A_new_guid_allocates_nothing_on_the_heap()
        {
            var random = new SeededRandom(7);
            for (int i = 0; i < 100; i++) GnutellaGuid.New(random);   // the thread's scratch, and the JIT, once
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) GnutellaGuid.New(random);
            long perGuid = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
            Assert.True(perGuid < 16, $"{perGuid} bytes per GUID (an array of 16 bytes is 40)");
        }
    }
}
