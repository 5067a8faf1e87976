using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella.Compression;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Compression
{
    /// <summary>
    /// The two halves of a compressed link wired together with no transport: batches of descriptors through
    /// <see cref="LinkDeflater"/>, the bytes into <see cref="InflatingStream"/>, descriptors out of the frame reader.
    /// </summary>
    public class LinkDeflaterTests
    {
        static byte[] QueryFrame(int i, string text) =>
            GnutellaCodec.Encode(new GnutellaGuid(Enumerable.Range(0, 16).Select(b => (byte)(b * 7 + i)).ToArray()), 3, 0,
                new Query { Flags = PSPeer.Engine.Gnutella.Wire.Query.NewSemantics, Criteria = text });

        static List<byte[]> Batch(int from, int count) => Enumerable.Range(from, count).Select(i => QueryFrame(i, "hey jude beatles " + i)).ToList();

        static byte[] Join(IEnumerable<byte[]> parts) => parts.SelectMany(p => p).ToArray();

        /// <summary>Every descriptor the stream holds, reading until it ends.</summary>
        static async Task<List<GnutellaMessage>> DecodeAllAsync(byte[] wire, byte[] alreadyRead = null)
        {
            var reader = new GnutellaFrameReader(new InflatingStream(new MemoryStream(wire), alreadyRead), 64 * 1024, null);
            var messages = new List<GnutellaMessage>();
            while (true)
            {
                var m = await reader.ReadAsync(CancellationToken.None);
                if (m == null) return messages;
                messages.Add(m);
            }
        }

        [Fact]
        public async Task Each_batch_is_decodable_on_its_own_as_soon_as_it_arrives()
        {
            var deflater = new LinkDeflater();
            var first = Batch(0, 5);
            var wire1 = deflater.Compress(Join(first), 0, Join(first).Length);
            Assert.Equal(0x78, wire1[0]);                                   // the zlib header leads the stream
            Assert.Equal(new byte[] { 0, 0, 0xFF, 0xFF }, wire1.Skip(wire1.Length - 4));   // and a sync flush ends the batch

            // Only the first batch's bytes have arrived: all five queries come out, nothing is held back.
            var decoded = await DecodeAllAsync(wire1);
            Assert.Equal(first.Select(q => q.Length), decoded.Select(m => m.PayloadBytes.Length + DescriptorHeader.Size));
            Assert.Equal("hey jude beatles 4", ((Query)decoded[4].Payload).Criteria);

            var second = Batch(5, 40);
            var wire2 = deflater.Compress(Join(second), 0, Join(second).Length);
            Assert.NotEqual(0x78, wire2[0]);                                // one header per stream, not per batch
            var all = await DecodeAllAsync(wire1.Concat(wire2).ToArray());
            Assert.Equal(45, all.Count);
            Assert.True(deflater.CompressedBytes < deflater.PlainBytes / 2, $"{deflater.CompressedBytes} of {deflater.PlainBytes} bytes: similar queries should compress well");
        }

        [Fact]
        public async Task A_released_compressor_starts_afresh_and_the_stream_stays_one_valid_stream()
        {
            var deflater = new LinkDeflater();
            var parts = new List<byte[]>();
            for (int round = 0; round < 4; round++)
            {
                var batch = Join(Batch(round * 10, 10));
                parts.Add(deflater.Compress(batch, 0, batch.Length));
                Assert.True(deflater.HoldsCompressor);
                deflater.Release();
                Assert.False(deflater.HoldsCompressor);
            }
            var wire = Join(parts);
            Assert.Equal(40, (await DecodeAllAsync(wire)).Count);
            // An independent inflater (zlib's own, through ZLibStream) reads the same stream.
            using var z = new ZLibStream(new MemoryStream(wire), CompressionMode.Decompress);
            var plain = new MemoryStream();
            try { z.CopyTo(plain); } catch (InvalidDataException) { /* the stream is never finished: it ends without a final block */ }
            Assert.Equal(Join(Enumerable.Range(0, 4).Select(r => Join(Batch(r * 10, 10)))), plain.ToArray());
        }

        [Fact]
        public async Task Bytes_read_past_the_handshake_are_the_start_of_the_compressed_stream()
        {
            var deflater = new LinkDeflater();
            var batch = Join(Batch(0, 8));
            var wire = deflater.Compress(batch, 0, batch.Length);
            // The handshake reader took the first 7 bytes along with the head.
            var decoded = await DecodeAllAsync(wire.Skip(7).ToArray(), wire.Take(7).ToArray());
            Assert.Equal(8, decoded.Count);
        }

        [Fact]
        public async Task A_raw_deflate_stream_without_the_zlib_wrapper_is_read_too()
        {
            var batch = Join(Batch(0, 3));
            var raw = new MemoryStream();
            using (var d = new DeflateStream(raw, CompressionLevel.Optimal, leaveOpen: true)) { d.Write(batch); d.Flush(); }
            Assert.Equal(3, (await DecodeAllAsync(raw.ToArray())).Count);
        }

        [Fact]
        public async Task A_compression_bomb_is_malformed_input_not_memory()
        {
            // 16 MiB of zeros: Pings with TTL 0 as far as the framing goes, but ~1000:1 on the wire.
            var bomb = new MemoryStream();
            bomb.Write(new byte[] { 0x78, 0x9C });
            using (var d = new DeflateStream(bomb, CompressionLevel.Optimal, leaveOpen: true)) d.Write(new byte[16 * 1024 * 1024]);
            Assert.True(bomb.Length < 64 * 1024);
            var stream = new InflatingStream(new MemoryStream(bomb.ToArray()), null);
            var reader = new GnutellaFrameReader(stream, 64 * 1024, null);
            var e = await Assert.ThrowsAsync<GnutellaProtocolException>(async () => { while (await reader.ReadAsync(CancellationToken.None) != null) { } });
            Assert.Contains("compression bomb", e.Message);
            Assert.True(stream.PlainBytes <= InflatingStream.FreeAllowance + InflatingStream.MaxRatio * stream.CompressedBytes + 64 * 1024);
        }

        [Fact]
        public async Task Corrupt_compressed_bytes_are_a_protocol_error()
        {
            var batch = Join(Batch(0, 3));
            var wire = new LinkDeflater().Compress(batch, 0, batch.Length);
            var corrupt = wire.Take(2).Concat(Enumerable.Repeat((byte)0xFF, 64)).ToArray();   // BTYPE 11 is reserved
            await Assert.ThrowsAsync<GnutellaProtocolException>(() => DecodeAllAsync(corrupt));
        }

        /// <summary>A deflater as .NET Framework's behaves: Flush passes nothing on until the stream is closed.</summary>
        sealed class FlushlessDeflater : Stream
        {
            readonly Stream _output;
            readonly MemoryStream _held = new MemoryStream();
            public FlushlessDeflater(Stream output) => _output = output;
            public override void Write(byte[] buffer, int offset, int count) => _held.Write(buffer, offset, count);
            public override void Flush() { }
            protected override void Dispose(bool disposing)
            {
                if (disposing)
                    using (var d = new DeflateStream(_output, CompressionLevel.Optimal, leaveOpen: true)) d.Write(_held.ToArray());
                base.Dispose(disposing);
            }
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }

        [Fact]
        public void The_flush_probe_turns_compression_off_where_Flush_does_not_flush()
        {
            Assert.False(LinkCompression.ProbeFlush(output => new FlushlessDeflater(output)));
            Assert.True(LinkCompression.ProbeFlush(output => new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true)));
        }

        [Fact]
        public void This_runtime_can_sync_flush_so_links_may_compress()
        {
            // .NET (Core) 3.0 and later sync-flush; only .NET Framework would say otherwise, and then say why.
            Assert.True(LinkCompression.IsSupported, LinkCompression.UnsupportedReason);
            Assert.Null(LinkCompression.UnsupportedReason);
        }
    }
}
