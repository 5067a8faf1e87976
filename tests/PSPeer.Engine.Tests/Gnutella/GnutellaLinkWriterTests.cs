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
using PSPeer.Engine.Tests.Support;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// A link's writer: writes that complete at once are done within Send (no async frame), a write that has to wait
    /// keeps the writer's turn and what is sent meanwhile follows it in order, and a failed write closes the link.
    /// </summary>
    public class GnutellaLinkWriterTests
    {
        static readonly GnutellaGuid A = GnutellaGuid.Parse("0102030405060708FF0A0B0C0D0E0F00");

        /// <summary>Records writes and flushes; a write may be held (its task completes when the test says).</summary>
        sealed class GatedStream : Stream
        {
            public readonly List<byte[]> Writes = new List<byte[]>();
            int _flushes;
            public int Flushes { get { lock (Writes) return _flushes; } }
            public TaskCompletionSource<bool> Held;   // set: the next write waits for it
            public bool Fail;                         // set: the next write fails
            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                lock (Writes) Writes.Add(buffer.Skip(offset).Take(count).ToArray());
                if (Fail) return Task.FromException(new IOException("connection reset"));
                var held = Held;
                Held = null;
                return held?.Task ?? Task.CompletedTask;
            }
            public override Task FlushAsync(CancellationToken cancellationToken) { lock (Writes) _flushes++; return Task.CompletedTask; }
            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => new TaskCompletionSource<int>().Task;
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

        sealed class StreamConnection : IConnection
        {
            public StreamConnection(Stream stream) { Stream = stream; }
            public Stream Stream { get; }
            public string LocalEndPoint => "127.0.0.2:1000";
            public string RemoteEndPoint => "127.0.0.3:2000";
            public void Dispose() { }
        }

        static GnutellaLink Link(GatedStream stream, GnutellaCounters counters = null) =>
            new GnutellaLink(new StreamConnection(stream), new HostPort("127.0.0.3", 2000), true, true, null,
                GnutellaFrameReader.DefaultMaxPayloadLength, new QueryRateLimiter(LiveRuntime.Loopback.Clock, 1000), counters ?? new GnutellaCounters(), live: false);

        static byte[] Frame(int i) => GnutellaCodec.Encode(A, 7, (byte)i, new Query { Criteria = "q" + i });

        [Fact]
        public void A_write_that_completes_at_once_is_done_and_flushed_before_send_returns()
        {
            var stream = new GatedStream();
            var counters = new GnutellaCounters();
            var link = Link(stream, counters);
            Assert.True(link.Send(Frame(1), GnutellaPayloadType.Query));
            Assert.Equal(new[] { Frame(1) }, stream.Writes);
            Assert.Equal(1, stream.Flushes);
            Assert.True(link.Send(Frame(2), GnutellaPayloadType.Query));   // the writer's turn ended: this one writes at once too
            Assert.Equal(new[] { Frame(1), Frame(2) }, stream.Writes);
            Assert.Equal(2, stream.Flushes);
            Assert.Equal(2, counters.LinkWrites);
        }

        [Fact]
        public async Task What_is_sent_while_a_write_waits_follows_it_in_order_in_one_write()
        {
            var stream = new GatedStream { Held = new TaskCompletionSource<bool>() };
            var held = stream.Held;
            var link = Link(stream);
            link.Send(Frame(1), GnutellaPayloadType.Query);
            link.Send(Frame(2), GnutellaPayloadType.Query);
            link.Send(Frame(3), GnutellaPayloadType.Query);
            Assert.Equal(new[] { Frame(1) }, stream.Writes);   // the others wait behind the held write
            Assert.Equal(0, stream.Flushes);
            held.SetResult(true);
            await Poll.UntilAsync(() => { lock (stream.Writes) return stream.Writes.Count == 2 && stream.Flushes == 1; }, "the waiting frames written after the held one");
            Assert.Equal(Frame(2).Concat(Frame(3)).ToArray(), stream.Writes[1]);
            // The writer's turn has ended: the next send writes at once.
            await Poll.UntilAsync(() => { link.Send(Frame(4), GnutellaPayloadType.Query); lock (stream.Writes) return stream.Writes.Last().SequenceEqual(Frame(4)); }, "a send written at once again");
        }

        [Fact]
        public async Task A_failed_write_closes_the_link()
        {
            var stream = new GatedStream { Fail = true };
            var link = Link(stream);
            link.Send(Frame(1), GnutellaPayloadType.Query);
            await Poll.UntilAsync(() => link.IsClosed, "the link closed");
            Assert.False(link.Send(Frame(2), GnutellaPayloadType.Query));
        }

        [Fact]
        public async Task A_held_write_that_fails_closes_the_link_and_drops_what_waited()
        {
            var stream = new GatedStream { Held = new TaskCompletionSource<bool>() };
            var held = stream.Held;
            var link = Link(stream);
            link.Send(Frame(1), GnutellaPayloadType.Query);
            link.Send(Frame(2), GnutellaPayloadType.Query);
            held.SetException(new IOException("connection reset"));
            await Poll.UntilAsync(() => link.IsClosed, "the link closed");
            Assert.Single(stream.Writes);
        }
    }
}
