using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Wire
{
    /// <summary>PeerWireWriter.TryEnqueuePiece: a block read straight into the send buffer is the same piece message.</summary>
    public class PeerWireWriterPieceTests
    {
        static readonly byte[] Block = Enumerable.Range(0, 16384).Select(i => (byte)(i * 31)).ToArray();

        [Fact]
        public async Task A_block_filled_in_place_goes_out_exactly_as_an_enqueued_piece_message()
        {
            var direct = new RecordingWriteStream();
            var writer = new PeerWireWriter(direct);
            writer.Enqueue(PeerMessage.Have(3));
            Assert.True(writer.TryEnqueuePiece(7, 32768, Block.Length, Block, (block, buffer, offset) =>
            {
                Buffer.BlockCopy(block, 0, buffer, offset, block.Length);
                return true;
            }));
            writer.Enqueue(PeerMessage.Have(4));
            await writer.FlushAsync(CancellationToken.None);

            var copied = new RecordingWriteStream();
            var reference = new PeerWireWriter(copied);
            reference.Enqueue(PeerMessage.Have(3));
            reference.Enqueue(PeerMessage.Piece(7, 32768, Block, 0, Block.Length));
            reference.Enqueue(PeerMessage.Have(4));
            await reference.FlushAsync(CancellationToken.None);

            Assert.Equal(copied.ToArray(), direct.ToArray());
        }

        [Fact]
        public async Task A_fill_that_declines_or_throws_leaves_nothing_queued()
        {
            var stream = new RecordingWriteStream();
            var writer = new PeerWireWriter(stream);
            writer.Enqueue(PeerMessage.Have(1));
            int before = writer.PendingBytes;

            Assert.False(writer.TryEnqueuePiece(0, 0, 16384, 0, (state, buffer, offset) => false));
            Assert.Equal(before, writer.PendingBytes);
            Assert.Throws<InvalidOperationException>(() =>
                writer.TryEnqueuePiece(0, 0, 16384, 0, (state, buffer, offset) => throw new InvalidOperationException("disk gone")));
            Assert.Equal(before, writer.PendingBytes);

            writer.Enqueue(PeerMessage.Have(2));
            await writer.FlushAsync(CancellationToken.None);
            var expected = new byte[18];
            PeerWireWriter.Encode(PeerMessage.Have(1), expected, 0);
            PeerWireWriter.Encode(PeerMessage.Have(2), expected, 9);
            Assert.Equal(expected, stream.ToArray());
        }
    }
}
