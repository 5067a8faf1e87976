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
    /// A descriptor sent from the thread's reusable frame: a link whose writes are copied is written from the frame's
    /// buffer (nothing of it is kept), any other link gets an array of the frame's own, shared by every such link, and a
    /// copying link that has to queue it keeps a copy. Whatever the frame holds next, what went out stays what it was.
    /// </summary>
    public class OutgoingFrameTests
    {
        static readonly GnutellaGuid A = GnutellaGuid.Parse("0102030405060708FF0A0B0C0D0E0F00");
        static readonly GnutellaGuid B = GnutellaGuid.Parse("1112131415161718191A1B1C1D1E1F10");

        /// <summary>Keeps the buffers it is given (as a socket may until its write completes); one write may be held.</summary>
        class KeepingStream : Stream
        {
            public readonly List<(byte[] buffer, int count)> Writes = new List<(byte[], int)>();
            public TaskCompletionSource<bool> Held;
            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                lock (Writes) Writes.Add((buffer, count));
                var held = Held;
                Held = null;
                return held?.Task ?? Task.CompletedTask;
            }
            public byte[] Written(int i) { lock (Writes) return Writes[i].buffer.Take(Writes[i].count).ToArray(); }
            public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
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

        /// <summary>Copies what it is given before WriteAsync returns, as the simulated stream does.</summary>
        sealed class CopyingStream : KeepingStream, ICopyingWriteStream
        {
            public readonly List<byte[]> Given = new List<byte[]>();   // the buffers as they were handed in
            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                lock (Writes) Given.Add(buffer);
                return base.WriteAsync(buffer.Skip(offset).Take(count).ToArray(), 0, count, cancellationToken);
            }
        }

        sealed class StreamConnection : IConnection
        {
            public StreamConnection(Stream stream) { Stream = stream; }
            public Stream Stream { get; }
            public string LocalEndPoint => "127.0.0.2:1000";
            public string RemoteEndPoint => "127.0.0.3:2000";
            public void Dispose() { }
        }

        static GnutellaLink Link(Stream stream) =>
            new GnutellaLink(new StreamConnection(stream), new HostPort("127.0.0.3", 2000), true, true, null,
                GnutellaFrameReader.DefaultMaxPayloadLength, new QueryRateLimiter(LiveRuntime.Loopback.Clock, 1000), new GnutellaCounters());

        static byte[] Payload(string criteria) => GnutellaCodec.EncodePayload(new Query { Criteria = criteria });
        static DescriptorHeader Header(GnutellaGuid id) => new DescriptorHeader(id, GnutellaPayloadType.Query, 3, 1, 0);
        static byte[] Expected(GnutellaGuid id, string criteria) => GnutellaCodec.Encode(Header(id), Payload(criteria));

        [Fact]
        public void A_copying_link_is_written_from_the_frame_and_keeps_nothing_of_it()
        {
            var stream = new CopyingStream();
            var link = Link(stream);
            Assert.True(link.CopiesWrites);
            Assert.True(OutgoingFrame.Send(link, Header(A), Payload("hey jude"), GnutellaPayloadType.Query));
            Assert.True(OutgoingFrame.Send(link, Header(B), Payload("let it be"), GnutellaPayloadType.Query));   // the same buffer, laid out anew
            Assert.Equal(Expected(A, "hey jude"), stream.Written(0));
            Assert.Equal(Expected(B, "let it be"), stream.Written(1));
            Assert.Same(stream.Given[0], stream.Given[1]);   // no array per descriptor: both came from the thread's buffer
        }

        [Fact]
        public void Other_links_share_one_array_of_the_frame_s_own_and_never_its_buffer()
        {
            var one = new KeepingStream();
            var two = new KeepingStream();
            var first = Link(one);
            var second = Link(two);
            Assert.False(first.CopiesWrites);
            Assert.Throws<InvalidOperationException>(() => first.SendFrom(new byte[64], 30, GnutellaPayloadType.Query));
            var frame = OutgoingFrame.Rent().Of(Header(A), Payload("hey jude"));
            Assert.True(frame.SendTo(first, GnutellaPayloadType.Query));
            Assert.True(frame.SendTo(second, GnutellaPayloadType.Query));
            frame.Return();
            Assert.Same(one.Writes[0].buffer, two.Writes[0].buffer);
            Assert.Equal(one.Writes[0].buffer.Length, one.Writes[0].count);   // an array of exactly the frame
            // The thread's frame is laid out again: what the links were given does not change.
            OutgoingFrame.Rent().Of(Header(B), Payload("let it be")).Return();
            Assert.Equal(Expected(A, "hey jude"), one.Written(0));
        }

        [Fact]
        public async Task A_copying_link_that_has_to_queue_the_frame_keeps_a_copy()
        {
            var stream = new CopyingStream { Held = new TaskCompletionSource<bool>() };
            var held = stream.Held;
            var link = Link(stream);
            OutgoingFrame.Send(link, Header(A), Payload("hey jude"), GnutellaPayloadType.Query);   // written; its write waits
            OutgoingFrame.Send(link, Header(B), Payload("let it be"), GnutellaPayloadType.Query);  // queued behind it
            OutgoingFrame.Rent().Of(Header(A), Payload("something else entirely")).Return();
            held.SetResult(true);
            await Poll.UntilAsync(() => { lock (stream.Writes) return stream.Writes.Count == 2; }, "the queued frame written");
            Assert.Equal(Expected(A, "hey jude"), stream.Written(0));
            Assert.Equal(Expected(B, "let it be"), stream.Written(1));
        }

        /// <summary>Copies nothing anywhere and keeps nothing: a write costs the stream nothing.</summary>
        sealed class SinkStream : KeepingStream, ICopyingWriteStream
        {
            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.CompletedTask;
        }

        [Fact]
        public void Sending_to_a_copying_link_allocates_nothing_per_descriptor()
        {
            var link = Link(new SinkStream());
            var header = Header(A);
            var payload = Payload("hey jude");
            for (int i = 0; i < 100; i++) OutgoingFrame.Send(link, header, payload, GnutellaPayloadType.Query);   // the JIT, the thread's frame
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) OutgoingFrame.Send(link, header, payload, GnutellaPayloadType.Query);
            long perSend = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
            Assert.True(perSend < 8, $"{perSend} bytes per descriptor (its own array would be {24 + DescriptorHeader.Size + payload.Length})");
        }

        [Fact]
        public void A_frame_rented_while_another_is_out_is_a_different_one()
        {
            var outer = OutgoingFrame.Rent().Of(Header(A), Payload("hey jude"));
            var inner = OutgoingFrame.Rent();
            Assert.NotSame(outer, inner);
            inner.Return();
            outer.Return();
            Assert.Same(inner, OutgoingFrame.Rent());   // the first one given back is the thread's
        }
    }
}
