using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// Live links read many descriptors at once and decode the ones already buffered without another read
    /// (TryReadBuffered), with the same checks as ReadAsync.
    /// </summary>
    public class GnutellaFrameReaderBufferedTests
    {
        static readonly GnutellaGuid A = GnutellaGuid.Parse("0102030405060708FF0A0B0C0D0E0F00");

        static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

        static byte[] Queries(int n) => Concat(Enumerable.Range(0, n).Select(i => GnutellaCodec.Encode(A, 7, (byte)i, new Query { Criteria = "q" + i })).ToArray());

        [Fact]
        public async Task One_large_read_yields_every_whole_descriptor_it_brought()
        {
            var stream = new ChunkedReadStream(Queries(50));
            var reader = new GnutellaFrameReader(stream, GnutellaFrameReader.DefaultMaxPayloadLength, null, GnutellaFrameReader.LiveReadBufferSize);
            var first = await reader.ReadAsync(CancellationToken.None);
            int reads = stream.ReadCalls;
            var criteria = new System.Collections.Generic.List<string> { ((Query)first.Payload).Criteria };
            while (reader.TryReadBuffered(out var m)) criteria.Add(((Query)m.Payload).Criteria);
            Assert.Equal(Enumerable.Range(0, 50).Select(i => "q" + i), criteria);
            Assert.Equal(reads, stream.ReadCalls);   // no read after the first one
            Assert.Equal(1, reads);
            Assert.Null(await reader.ReadAsync(CancellationToken.None));
        }

        [Fact]
        public async Task A_descriptor_cut_by_the_read_waits_for_ReadAsync()
        {
            var bytes = Queries(3);
            int cut = bytes.Length - 5;   // the third descriptor is five bytes short in the first read
            var stream = new ChunkedReadStream(bytes, cut);
            var reader = new GnutellaFrameReader(stream, GnutellaFrameReader.DefaultMaxPayloadLength, null, GnutellaFrameReader.LiveReadBufferSize);
            Assert.Equal("q0", ((Query)(await reader.ReadAsync(CancellationToken.None)).Payload).Criteria);
            Assert.True(reader.TryReadBuffered(out var second));
            Assert.Equal("q1", ((Query)second.Payload).Criteria);
            Assert.False(reader.TryReadBuffered(out _));
            Assert.Equal("q2", ((Query)(await reader.ReadAsync(CancellationToken.None)).Payload).Criteria);
            Assert.False(reader.TryReadBuffered(out _));
        }

        [Fact]
        public async Task Buffered_descriptors_are_checked_like_read_ones()
        {
            var oversized = new byte[DescriptorHeader.Size];
            new DescriptorHeader(A, GnutellaPayloadType.Query, 7, 0, 5000).Write(oversized, 0);
            var reader = new GnutellaFrameReader(new ChunkedReadStream(Concat(Queries(1), oversized)), 1024, null, GnutellaFrameReader.LiveReadBufferSize);
            await reader.ReadAsync(CancellationToken.None);
            Assert.Throws<GnutellaProtocolException>(() => reader.TryReadBuffered(out _));

            var unknown = GnutellaCodec.Encode(A, 7, 0, new Ping());
            unknown[16] = 0x77;
            reader = new GnutellaFrameReader(new ChunkedReadStream(Concat(Queries(1), unknown)), 1024, null, GnutellaFrameReader.LiveReadBufferSize);
            await reader.ReadAsync(CancellationToken.None);
            Assert.Throws<GnutellaProtocolException>(() => reader.TryReadBuffered(out _));

            // A vendor message whose payload is buffered is skipped as ReadAsync skips it.
            var vendor = new byte[DescriptorHeader.Size + 40];
            new DescriptorHeader(A, GnutellaPayloadType.VendorMessage, 1, 0, 40).Write(vendor, 0);
            reader = new GnutellaFrameReader(new ChunkedReadStream(Concat(Queries(1), vendor, Queries(1))), 1024, null, GnutellaFrameReader.LiveReadBufferSize);
            await reader.ReadAsync(CancellationToken.None);
            Assert.True(reader.TryReadBuffered(out var skipped));
            Assert.Equal(40, Assert.IsType<IgnoredExtension>(skipped.Payload).Length);
            Assert.True(reader.TryReadBuffered(out var after));
            Assert.IsType<Query>(after.Payload);
        }
    }
}
