using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Wire
{
    /// <summary>
    /// The wire buffers' sizes: a connection costs next to nothing until its handshake is done (a flood of strangers
    /// must not each hold 64 KiB twice), and the transfer path after it reads and writes in large buffers it reuses.
    /// Allocations are counted on the test's own thread (GC.GetAllocatedBytesForCurrentThread): every call here
    /// completes synchronously, so nothing else lands in the figure.
    /// </summary>
    public class PeerWireBufferTests
    {
        static readonly InfoHash Hash = new InfoHash(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
        static readonly byte[] PeerId = Encoding.ASCII.GetBytes("-PS0100-abcdefghijkl");

        /// <summary>Takes every write and keeps none of it (a socket that is always ready).</summary>
        sealed class SinkStream : Stream
        {
            public long Written;
            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) { Written += count; return Task.CompletedTask; }
            public override void Write(byte[] buffer, int offset, int count) => Written += count;
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }

        static byte[] HandshakeThen(params PeerMessage[] messages)
        {
            var bytes = new byte[Handshake.Length + messages.Sum(m => m.WireLength)];
            new Handshake(Hash, PeerId).CopyTo(bytes, 0);
            int at = Handshake.Length;
            foreach (var m in messages) { PeerWireWriter.Encode(m, bytes, at); at += m.WireLength; }
            return bytes;
        }

        [Fact]
        public async Task A_reader_and_writer_hold_a_few_hundred_bytes_until_the_handshake_is_done()
        {
            var block = new byte[BitTorrentConstants.BlockSize];
            new Random(5).NextBytes(block);
            var haves = Enumerable.Range(0, 50).Select(i => PeerMessage.Have(i)).ToArray();
            var incoming = new ChunkedReadStream(HandshakeThen(haves.Append(PeerMessage.Piece(3, 0, block, 0, block.Length)).ToArray()));
            var sink = new SinkStream();

            long before = GC.GetAllocatedBytesForCurrentThread();
            var reader = new PeerWireReader(incoming);
            var writer = new PeerWireWriter(sink);
            var theirs = await reader.ReadHandshakeAsync(CancellationToken.None);
            writer.EnqueueHandshake(new Handshake(Hash, PeerId));
            long handshakeCost = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(handshakeCost < 2048, $"a reader and a writer cost {handshakeCost} bytes up to the handshake");
            Assert.Equal(Hash, theirs.InfoHash);
            Assert.Equal(1, incoming.ReadCalls);   // the handshake only, however much more the stream had

            // Past the handshake: the rest arrives in one read of the full buffer, and every message is whole.
            for (int i = 0; i < haves.Length; i++) Assert.Equal(i, (await reader.ReadMessageAsync(CancellationToken.None)).Index);
            var piece = await reader.ReadMessageAsync(CancellationToken.None);
            Assert.Equal(block, piece.Data.Skip(piece.DataOffset).Take(piece.DataCount));
            Assert.Null(await reader.ReadMessageAsync(CancellationToken.None));
            Assert.True(incoming.ReadCalls <= 3, $"{incoming.ReadCalls} reads for 17 KiB after the handshake");
        }

        [Fact]
        public async Task A_transfer_reuses_the_writers_buffers_instead_of_allocating_per_flush()
        {
            var sink = new SinkStream();
            var writer = new PeerWireWriter(sink);
            await writer.WriteHandshakeAsync(new Handshake(Hash, PeerId), CancellationToken.None);
            var block = new byte[BitTorrentConstants.BlockSize];
            // Warm up: the first bursts bring the transfer buffers.
            for (int i = 0; i < 4; i++) { writer.Enqueue(PeerMessage.Piece(0, i * block.Length, block, 0, block.Length)); await writer.FlushAsync(CancellationToken.None); }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++)
            {
                for (int b = 0; b < 3; b++) writer.Enqueue(PeerMessage.Piece(0, b * block.Length, block, 0, block.Length));
                await writer.FlushAsync(CancellationToken.None);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64 * 1024, $"200 flushes of 48 KiB allocated {allocated} bytes");
            Assert.Equal(Handshake.Length + (4 + 600) * (long)PeerMessage.Piece(0, 0, block, 0, block.Length).WireLength, sink.Written);
        }
    }
}
