using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// Live links coalesce the sends of one read's descriptors into one write per link (SendBatch); order is kept, and
    /// simulated links and sends outside a batch write as before.
    /// </summary>
    public class SendBatchTests
    {
        static readonly GnutellaGuid A = GnutellaGuid.Parse("0102030405060708FF0A0B0C0D0E0F00");

        /// <summary>Reads fixed bytes (then end of stream) and records every write as one entry.</summary>
        sealed class RecordingStream : Stream
        {
            readonly byte[] _input;
            int _position;
            public RecordingStream(byte[] input = null) { _input = input ?? new byte[0]; }
            public List<byte[]> Writes { get; } = new List<byte[]>();
            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                int n = Math.Min(count, _input.Length - _position);
                Buffer.BlockCopy(_input, _position, buffer, offset, n);
                _position += n;
                return Task.FromResult(n);
            }
            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                lock (Writes) Writes.Add(buffer.Skip(offset).Take(count).ToArray());
                return Task.CompletedTask;
            }
            public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }

        sealed class FakeConnection : IConnection
        {
            public FakeConnection(Stream stream) { Stream = stream; }
            public Stream Stream { get; }
            public string LocalEndPoint => "127.0.0.2:1000";
            public string RemoteEndPoint => "127.0.0.3:2000";
            public void Dispose() { }
        }

        static GnutellaLink Link(RecordingStream stream, bool live) =>
            new GnutellaLink(new FakeConnection(stream), new HostPort("127.0.0.3", 2000), true, true, null,
                GnutellaFrameReader.DefaultMaxPayloadLength, new QueryRateLimiter(LiveRuntime.Loopback.Clock, 1000), new GnutellaCounters(), live: live);

        /// <summary>Waits (bounded) until the stream holds <paramref name="count"/> writes: the batch's writes start from the thread pool.</summary>
        static void WaitForWrites(RecordingStream stream, int count)
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (DateTime.UtcNow < until) { lock (stream.Writes) if (stream.Writes.Count >= count) return; Thread.Sleep(5); }
        }

        static byte[] Frame(int i) => GnutellaCodec.Encode(A, 7, (byte)i, new Query { Criteria = "q" + i });

        [Fact]
        public void Sends_inside_a_batch_leave_as_one_write_in_order_when_it_closes()
        {
            var stream = new RecordingStream();
            var link = Link(stream, live: true);
            var batch = SendBatch.Open();
            for (int i = 0; i < 3; i++) Assert.True(link.Send(Frame(i), GnutellaPayloadType.Query));
            Assert.Empty(stream.Writes);
            batch.Close();
            WaitForWrites(stream, 1);
            Thread.Sleep(50);
            Assert.Single(stream.Writes);
            Assert.Equal(Frame(0).Concat(Frame(1)).Concat(Frame(2)), stream.Writes[0]);
            // After the batch, a send writes at once again.
            link.Send(Frame(3), GnutellaPayloadType.Query);
            Assert.Equal(2, stream.Writes.Count);
        }

        [Fact]
        public void Sends_made_while_the_write_is_scheduled_keep_their_order()
        {
            var stream = new RecordingStream();
            var link = Link(stream, live: true);
            // Hold the pool's attention: the flush runs from the thread pool, so sends made right after Close (from
            // this thread, outside any batch) find the link still deferred and queue behind the first ones.
            var batch = SendBatch.Open();
            link.Send(Frame(0), GnutellaPayloadType.Query);
            lock (stream.Writes)
            {
                batch.Close();
                link.Send(Frame(1), GnutellaPayloadType.Query);
                link.Send(Frame(2), GnutellaPayloadType.Query);
            }
            WaitForWrites(stream, 1);
            var all = stream.Writes.SelectMany(w => w).ToArray();
            Assert.Equal(Frame(0).Concat(Frame(1)).Concat(Frame(2)), all);
        }

        [Fact]
        public void A_nested_open_leaves_the_flush_to_the_outer_batch()
        {
            var stream = new RecordingStream();
            var link = Link(stream, live: true);
            var outer = SendBatch.Open();
            Assert.Null(SendBatch.Open());
            link.Send(Frame(0), GnutellaPayloadType.Query);
            Assert.Empty(stream.Writes);
            outer.Close();
            WaitForWrites(stream, 1);
            Assert.Single(stream.Writes);
        }

        [Fact]
        public void Simulated_links_write_each_send_even_inside_a_batch()
        {
            var stream = new RecordingStream();
            var link = Link(stream, live: false);
            var batch = SendBatch.Open();
            try
            {
                for (int i = 0; i < 3; i++) link.Send(Frame(i), GnutellaPayloadType.Query);
                Assert.Equal(3, stream.Writes.Count);
            }
            finally { batch.Close(); }
        }

        [Fact]
        public void A_link_closed_before_its_batch_closes_writes_nothing()
        {
            var stream = new RecordingStream();
            var link = Link(stream, live: true);
            var batch = SendBatch.Open();
            link.Send(Frame(0), GnutellaPayloadType.Query);
            link.Close("test");
            batch.Close();
            Thread.Sleep(100);
            Assert.Empty(stream.Writes);
        }

        [Fact]
        public async Task A_read_of_many_descriptors_makes_one_write_per_neighbour()
        {
            // Ten queries arrive in one read; the handler passes each on to two other links.
            var input = Enumerable.Range(0, 10).SelectMany(Frame).ToArray();
            var from = Link(new RecordingStream(input), live: true);
            var outA = new RecordingStream();
            var outB = new RecordingStream();
            var a = Link(outA, live: true);
            var b = Link(outB, live: true);
            var end = await from.RunToEndAsync((link, m) =>
            {
                var frame = GnutellaCodec.Encode(m.Header, m.PayloadBytes);
                a.Send(frame, GnutellaPayloadType.Query);
                b.Send(frame, GnutellaPayloadType.Query);
            });
            Assert.Equal("closed by the other servent", end.Reason);
            WaitForWrites(outA, 1);
            WaitForWrites(outB, 1);
            await Task.Delay(50);
            Assert.Single(outA.Writes);
            Assert.Single(outB.Writes);
            Assert.Equal(input, outA.Writes[0]);
            Assert.Equal(input, outB.Writes[0]);
        }
    }
}
