using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Wire
{
    public class PeerWireCodecTests
    {
        static readonly InfoHash Hash = new InfoHash(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
        static readonly byte[] PeerId = Encoding.ASCII.GetBytes("-PS0100-abcdefghijkl");

        static byte[] Block(int length, int seed)
        {
            var data = new byte[length];
            new Random(seed).NextBytes(data);
            return data;
        }

        static byte[] Encode(params PeerMessage[] messages)
        {
            var stream = new RecordingWriteStream();
            var writer = new PeerWireWriter(stream);
            foreach (var m in messages) writer.Enqueue(m);
            writer.FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
            return stream.ToArray();
        }

        static byte[] Raw(params int[] bytes) => bytes.Select(b => (byte)b).ToArray();

        static async Task<List<PeerMessage>> ReadAll(PeerWireReader reader)
        {
            var list = new List<PeerMessage>();
            PeerMessage m;
            while ((m = await reader.ReadMessageAsync(CancellationToken.None)) != null) list.Add(m);
            return list;
        }

        static PeerWireReader Reader(byte[] bytes, int chunk = int.MaxValue, int pieceCount = 0) =>
            new PeerWireReader(new ChunkedReadStream(bytes, chunk)) { PieceCount = pieceCount };

        static byte[] Slice(PeerMessage m) => m.Data.Skip(m.DataOffset).Take(m.DataCount).ToArray();

        [Theory]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(1000)]
        [InlineData(int.MaxValue)]
        public async Task Every_message_survives_writer_then_reader_however_the_bytes_are_split(int chunk)
        {
            var have = new Bitfield(21);
            have.Set(0); have.Set(9); have.Set(20);
            var block = Block(BitTorrentConstants.BlockSize, 1);
            var bigBlock = Block(BitTorrentConstants.MaxRequestLength, 2);
            var extension = Encoding.ASCII.GetBytes("d1:md6:ut_pexi1eee");
            var stream = new RecordingWriteStream();
            var writer = new PeerWireWriter(stream);
            var sent = new Handshake(Hash, PeerId) { SupportsExtensionProtocol = true };
            writer.EnqueueHandshake(sent);
            writer.Enqueue(PeerMessage.BitfieldOf(have));
            writer.Enqueue(PeerMessage.KeepAlive);
            writer.Enqueue(PeerMessage.Choke);
            writer.Enqueue(PeerMessage.Unchoke);
            writer.Enqueue(PeerMessage.Interested);
            writer.Enqueue(PeerMessage.NotInterested);
            writer.Enqueue(PeerMessage.Have(20));
            writer.Enqueue(PeerMessage.Request(3, 16384, 16384));
            writer.Enqueue(PeerMessage.Cancel(3, 16384, 16384));
            writer.Enqueue(PeerMessage.Piece(20, 32768, block, 0, block.Length));
            writer.Enqueue(PeerMessage.Piece(1, 0, bigBlock, 0, bigBlock.Length));
            writer.Enqueue(PeerMessage.Port(6881));
            writer.Enqueue(PeerMessage.Extended(0, extension, 0, extension.Length));
            await writer.FlushAsync(CancellationToken.None);
            Assert.Single(stream.Writes);   // the whole burst left in one write
            Assert.Equal(stream.Writes[0], writer.BytesWritten);

            var reader = Reader(stream.ToArray(), chunk);
            var got = await reader.ReadHandshakeAsync(CancellationToken.None);
            Assert.Equal(Hash, got.InfoHash);
            Assert.Equal(PeerId, got.PeerId);
            Assert.True(got.SupportsExtensionProtocol);
            reader.PieceCount = 21;
            var messages = await ReadAll(reader);

            Assert.Equal(new[]
            {
                PeerMessageType.Bitfield, PeerMessageType.KeepAlive, PeerMessageType.Choke, PeerMessageType.Unchoke,
                PeerMessageType.Interested, PeerMessageType.NotInterested, PeerMessageType.Have, PeerMessageType.Request,
                PeerMessageType.Cancel, PeerMessageType.Piece, PeerMessageType.Piece, PeerMessageType.Port, PeerMessageType.Extended,
            }, messages.Select(m => m.Type));
            var bits = Bitfield.FromBytes(messages[0].Data, messages[0].DataOffset, messages[0].DataCount, 21);
            Assert.Equal(new[] { 0, 9, 20 }, Enumerable.Range(0, 21).Where(i => bits[i]));
            Assert.Equal(20, messages[6].Index);
            Assert.Equal((3, 16384, 16384), (messages[7].Index, messages[7].Begin, messages[7].Length));
            Assert.Equal((3, 16384, 16384), (messages[8].Index, messages[8].Begin, messages[8].Length));
            Assert.Equal((20, 32768, block.Length), (messages[9].Index, messages[9].Begin, messages[9].Length));
            Assert.Equal(block, Slice(messages[9]));
            Assert.Equal(bigBlock, Slice(messages[10]));
            Assert.Equal(6881, messages[11].Index);
            Assert.Equal(0, messages[12].Index);
            Assert.Equal(extension, Slice(messages[12]));
            Assert.Equal(stream.ToArray().Length, reader.BytesRead);
        }

        [Fact]
        public void Wire_layout_is_length_prefix_big_endian_then_id_then_fields()
        {
            Assert.Equal(Raw(0, 0, 0, 0), Encode(PeerMessage.KeepAlive));
            Assert.Equal(Raw(0, 0, 0, 1, 2), Encode(PeerMessage.Interested));
            Assert.Equal(Raw(0, 0, 0, 5, 4, 0, 0, 1, 2), Encode(PeerMessage.Have(258)));
            Assert.Equal(Raw(0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0x40, 0, 0, 0, 0x40, 0), Encode(PeerMessage.Request(1, 16384, 16384)));
            Assert.Equal(Raw(0, 0, 0, 11, 7, 0, 0, 0, 2, 0, 0, 0, 0, 0xAA, 0xBB), Encode(PeerMessage.Piece(2, 0, Raw(9, 0xAA, 0xBB), 1, 2)));
            var b = new Bitfield(10);
            b.Set(0); b.Set(9);
            Assert.Equal(Raw(0, 0, 0, 3, 5, 0x80, 0x40), Encode(PeerMessage.BitfieldOf(b)));
            var handshake = new Handshake(Hash, PeerId).ToBytes();
            Assert.Equal(68, handshake.Length);
            Assert.Equal(19, handshake[0]);
            Assert.Equal("BitTorrent protocol", Encoding.ASCII.GetString(handshake, 1, 19));
            Assert.Equal(new byte[8], handshake.Skip(20).Take(8).ToArray());
            Assert.Equal(Hash.ToArray(), handshake.Skip(28).Take(20).ToArray());
            Assert.Equal(PeerId, handshake.Skip(48).ToArray());
        }

        [Fact]
        public async Task A_handshake_with_another_protocol_string_fails_at_once()
        {
            var bytes = new Handshake(Hash, PeerId).ToBytes();
            bytes[5] = (byte)'X';
            var ex = await Assert.ThrowsAsync<PeerWireException>(() => Reader(bytes).ReadHandshakeAsync(CancellationToken.None));
            Assert.Contains("BitTorrent protocol", ex.Message);

            // An HTTP request is refused on its first byte, without waiting for 68 bytes.
            var http = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n");
            await Assert.ThrowsAsync<PeerWireException>(() => Reader(http).ReadHandshakeAsync(CancellationToken.None));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(40)]
        [InlineData(67)]
        public async Task A_short_handshake_fails(int length)
        {
            var bytes = new Handshake(Hash, PeerId).ToBytes().Take(length).ToArray();
            var ex = await Assert.ThrowsAsync<PeerWireException>(() => Reader(bytes, chunk: 3).ReadHandshakeAsync(CancellationToken.None));
            Assert.Contains("closed", ex.Message);
        }

        [Fact]
        public async Task An_oversized_length_fails_before_its_payload_is_read()
        {
            // Announces 16 MiB but sends nothing more: the reader must not wait for (or allocate) the payload.
            var stream = new ChunkedReadStream(Raw(0x01, 0, 0, 0, 7, 0, 0, 0, 0), int.MaxValue);
            var reader = new PeerWireReader(stream);
            var ex = await Assert.ThrowsAsync<PeerWireException>(() => reader.ReadMessageAsync(CancellationToken.None));
            Assert.Contains("limit", ex.Message);
            Assert.Equal(1, stream.ReadCalls);

            var small = new PeerWireReader(new ChunkedReadStream(Encode(PeerMessage.Piece(0, 0, new byte[200], 0, 200)), int.MaxValue), maxMessageLength: 100);
            await Assert.ThrowsAsync<PeerWireException>(() => small.ReadMessageAsync(CancellationToken.None));
        }

        public static IEnumerable<object[]> WrongLengths() => new[]
        {
            new object[] { "choke with a payload", Raw(0, 0, 0, 2, 0, 0) },
            new object[] { "interested with a payload", Raw(0, 0, 0, 2, 2, 9) },
            new object[] { "have of 6", Raw(0, 0, 0, 6, 4, 0, 0, 0, 1, 0) },
            new object[] { "have of 4", Raw(0, 0, 0, 4, 4, 0, 0, 1) },
            new object[] { "request of 12", Raw(0, 0, 0, 12, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 64) },
            new object[] { "cancel of 14", Raw(0, 0, 0, 14, 8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 64, 0, 0) },
            new object[] { "request for 0 bytes", Raw(0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0) },
            new object[] { "request over 128 KiB", Raw(0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 1) },
            new object[] { "piece shorter than its header", Raw(0, 0, 0, 8, 7, 0, 0, 0, 1, 0, 0, 0) },
            new object[] { "port of 2", Raw(0, 0, 0, 2, 9, 1) },
            new object[] { "extended without an id", Raw(0, 0, 0, 1, 20) },
            new object[] { "bitfield of 3 bytes for 10 pieces", Raw(0, 0, 0, 4, 5, 0, 0, 0) },
            new object[] { "have for piece 10 of 10", Raw(0, 0, 0, 5, 4, 0, 0, 0, 10) },
            new object[] { "request for piece 2^31", Raw(0, 0, 0, 13, 6, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0) },
        };

        [Theory]
        [MemberData(nameof(WrongLengths))]
        public async Task A_message_inconsistent_with_its_id_fails(string what, byte[] bytes)
        {
            Assert.NotNull(what);
            foreach (int chunk in new[] { 1, int.MaxValue })
                await Assert.ThrowsAsync<PeerWireException>(() => ReadAll(Reader(bytes, chunk, pieceCount: 10)));
        }

        [Fact]
        public async Task A_block_over_the_limit_fails()
        {
            var bytes = Encode(PeerMessage.Piece(0, 0, new byte[BitTorrentConstants.MaxRequestLength + 1], 0, BitTorrentConstants.MaxRequestLength + 1));
            var ex = await Assert.ThrowsAsync<PeerWireException>(() => ReadAll(Reader(bytes)));
            Assert.Contains("block", ex.Message);
        }

        [Fact]
        public async Task A_bitfield_with_spare_bits_set_fails_once_the_piece_count_is_known()
        {
            var bytes = Raw(0, 0, 0, 3, 5, 0xFF, 0xFF);   // 16 bits set for 10 pieces
            await Assert.ThrowsAsync<PeerWireException>(() => ReadAll(Reader(bytes, pieceCount: 10)));
            var unknownCount = await ReadAll(Reader(bytes));   // before the torrent is known, nothing to check
            Assert.Equal(PeerMessageType.Bitfield, unknownCount.Single().Type);
            Assert.Throws<PeerWireException>(() => Bitfield.FromBytes(Raw(0xFF, 0xE0), 0, 2, 10));
            Assert.Throws<PeerWireException>(() => Bitfield.FromBytes(Raw(0xFF, 0xC0, 0), 0, 3, 10));
            Assert.Equal(10, Bitfield.FromBytes(Raw(0xFF, 0xC0), 0, 2, 10).SetCount);
        }

        [Fact]
        public async Task The_stream_ending_between_messages_is_a_clean_end_but_inside_one_is_an_error()
        {
            var two = Encode(PeerMessage.Have(1), PeerMessage.Piece(0, 0, new byte[1000], 0, 1000));
            var messages = await ReadAll(Reader(two, chunk: 100));
            Assert.Equal(2, messages.Count);

            int[] cuts = { 2, 4, 5, 8, 9 + 4 + 5, 9 + 4 + 9 + 500, two.Length - 1 };
            foreach (int cut in cuts)
                foreach (int chunk in new[] { 3, int.MaxValue })
                {
                    var reader = Reader(two.Take(cut).ToArray(), chunk);
                    var ex = await Assert.ThrowsAsync<PeerWireException>(() => ReadAll(reader));
                    Assert.Contains("closed", ex.Message);
                }
        }

        [Fact]
        public async Task Unknown_message_ids_are_skipped_small_or_larger_than_the_receive_buffer()
        {
            var bytes = Raw(0, 0, 0, 4, 99, 1, 2, 3)
                .Concat(Encode(PeerMessage.Have(7)))
                .Concat(Raw(0, 1, 0, 1, 13)).Concat(new byte[65536])   // 64 KiB + 1: bigger than the receive buffer
                .Concat(Encode(PeerMessage.Unchoke)).ToArray();
            foreach (int chunk in new[] { 5, 4096, int.MaxValue })
            {
                var messages = await ReadAll(Reader(bytes, chunk));
                Assert.Equal(new[] { PeerMessageType.Have, PeerMessageType.Unchoke }, messages.Select(m => m.Type));
            }
        }

        [Fact]
        public async Task A_bitfield_larger_than_the_receive_buffer_is_read_whole()
        {
            var have = new Bitfield(1_000_003);   // 125,001 bytes
            for (int i = 0; i < have.Count; i += 3) have.Set(i);
            have.Set(have.Count - 1);
            var bytes = Encode(PeerMessage.BitfieldOf(have), PeerMessage.Interested);
            var messages = await ReadAll(Reader(bytes, chunk: 10_000, pieceCount: have.Count));
            var read = Bitfield.FromBytes(messages[0].Data, messages[0].DataOffset, messages[0].DataCount, have.Count);
            Assert.Equal(have.ToBytes(), read.ToBytes());
            Assert.Equal(have.SetCount, read.SetCount);
            Assert.Equal(PeerMessageType.Interested, messages[1].Type);
        }

        [Fact]
        public async Task Blocks_land_in_the_buffer_the_caller_chooses()
        {
            const int pieceLength = 4 * BitTorrentConstants.BlockSize;
            var piece = Block(pieceLength, 3);
            var msgs = Enumerable.Range(0, 4).Reverse()
                .Select(b => PeerMessage.Piece(5, b * BitTorrentConstants.BlockSize, piece, b * BitTorrentConstants.BlockSize, BitTorrentConstants.BlockSize))
                .ToArray();
            var assembled = new byte[pieceLength + 10];
            foreach (int chunk in new[] { 1000, int.MaxValue })
            {
                Array.Clear(assembled, 0, assembled.Length);
                var reader = Reader(Encode(msgs), chunk);
                reader.BlockBuffer = (index, begin, length) => new ArraySegment<byte>(assembled, 10 + begin, length);
                var messages = await ReadAll(reader);
                Assert.All(messages, m => Assert.Same(assembled, m.Data));
                Assert.Equal(piece, assembled.Skip(10).ToArray());
            }
        }

        [Fact]
        public async Task Buffered_messages_are_drained_without_awaiting()
        {
            var bytes = Encode(PeerMessage.Have(1), PeerMessage.Have(2), PeerMessage.Choke);
            var reader = Reader(bytes);
            Assert.False(reader.TryReadBuffered(out _));   // nothing received yet
            var first = await reader.ReadMessageAsync(CancellationToken.None);
            Assert.Equal(1, first.Index);
            Assert.True(reader.TryReadBuffered(out var second));
            Assert.Equal(2, second.Index);
            Assert.True(reader.TryReadBuffered(out var third));
            Assert.Same(PeerMessage.Choke, third);
            Assert.False(reader.TryReadBuffered(out _));
            Assert.Null(await reader.ReadMessageAsync(CancellationToken.None));
        }

        [Fact]
        public async Task Messages_enqueued_while_a_write_is_in_flight_leave_in_the_next_write_in_order()
        {
            var stream = new RecordingWriteStream { Gate = new TaskCompletionSource<bool>() };
            var writer = new PeerWireWriter(stream);
            writer.Enqueue(PeerMessage.Have(1));
            var firstFlush = writer.FlushAsync(CancellationToken.None);
            Assert.False(firstFlush.IsCompleted);
            writer.Enqueue(PeerMessage.Have(2));
            writer.Enqueue(PeerMessage.Have(3));
            var secondFlush = writer.FlushAsync(CancellationToken.None);
            Assert.Equal(18, writer.PendingBytes);   // waiting behind the first flush
            stream.Gate.SetResult(true);
            await Task.WhenAll(firstFlush, secondFlush);

            Assert.Equal(new[] { 9, 18 }, stream.Writes);
            var messages = await ReadAll(Reader(stream.ToArray()));
            Assert.Equal(new[] { 1, 2, 3 }, messages.Select(m => m.Index));
            Assert.Equal(27, writer.BytesWritten);
        }

        [Fact]
        public async Task Enqueue_copies_so_the_caller_may_reuse_its_block_buffer()
        {
            var block = Block(100, 4);
            var original = (byte[])block.Clone();
            var stream = new RecordingWriteStream();
            var writer = new PeerWireWriter(stream);
            writer.Enqueue(PeerMessage.Piece(0, 0, block, 0, block.Length));
            Array.Clear(block, 0, block.Length);
            await writer.FlushAsync(CancellationToken.None);
            var message = (await ReadAll(Reader(stream.ToArray()))).Single();
            Assert.Equal(original, Slice(message));
        }
    }
}
