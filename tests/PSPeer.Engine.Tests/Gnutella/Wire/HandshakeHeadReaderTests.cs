// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using Xunit;
using static PSPeer.Engine.Tests.Runtime.Simulated.SimulatedStreamHelpers;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// The handshake's head reader: heads that arrive in pieces or several in one write, the bound, the first bytes of a
    /// connection, cancellation of a waiting read, and lent heads that refuse to be read once their bytes were reused.
    /// </summary>
    public class HandshakeHeadReaderTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);
        const string Connect = "GNUTELLA CONNECT/0.6\r\nUser-Agent: Test/1.0\r\nX-Ultrapeer: False\r\n\r\n";
        const string Confirm = "GNUTELLA/0.6 200 OK\r\n\r\n";

        static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

        static async Task TakeAsync(HandshakeHeadReader reader, Action<HandshakeHead> use, CancellationToken token = default)
        {
            HandshakeHead head;
            while (!reader.TryTakeHead(out head)) await reader.WaitAsync(token);
            use(head);
            HandshakeHeadReader.Release(ref head);
        }

        [Fact]
        public void Reads_a_head_that_arrives_in_pieces_and_keeps_what_came_behind_it_for_the_next()
        {
            var (sim, _, _, client, server) = Pair();
            var bytes = Ascii(Connect + Confirm + "MSG");
            var result = sim.Run(async () =>
            {
                var reader = new HandshakeHeadReader(server.Stream, GnutellaHandshake.DefaultMaxHeadBytes, 64);
                var reading = TakeAsync(reader, h => Assert.Equal("Test/1.0", h.Headers["User-Agent"]));
                // The CONNECT in three writes, each its own segment: the reader waits between them.
                await client.Stream.WriteAsync(bytes, 0, 10);
                await sim.Clock.Delay(TimeSpan.FromMilliseconds(50));
                Assert.False(reading.IsCompleted);
                await client.Stream.WriteAsync(bytes, 10, 30);
                await sim.Clock.Delay(TimeSpan.FromMilliseconds(50));
                await client.Stream.WriteAsync(bytes, 40, bytes.Length - 40);   // the rest, the confirmation and "MSG" with it
                await reading;
                bool confirmed = false;
                await TakeAsync(reader, h => confirmed = !h.IsConnect && h.Status == 200);
                return (confirmed, rest: Encoding.ASCII.GetString(reader.TakeBuffered()));
            }, Limit);
            Assert.True(result.confirmed);
            Assert.Equal("MSG", result.rest);
        }

        [Fact]
        public void Looks_at_the_first_bytes_without_taking_more_from_the_stream()
        {
            var (sim, _, _, client, server) = Pair();
            var result = sim.Run(async () =>
            {
                var request = Ascii("GET /get/1/a.mp3 HTTP/1.1\r\n\r\n");
                await client.Stream.WriteAsync(request, 0, request.Length);
                var reader = new HandshakeHeadReader(server.Stream, GnutellaHandshake.DefaultMaxHeadBytes, 512);
                while (!reader.Has(4)) await reader.WaitAsync(CancellationToken.None);
                bool isGet = reader.StartsWith("GET ") && !reader.StartsWith("GNUT");
                var first = reader.TakeBuffered();
                // Whoever the connection is handed to reads the rest from the stream itself.
                var rest = await ReadExactlyAsync(server.Stream, request.Length - first.Length);
                return (isGet, text: Encoding.ASCII.GetString(first) + Encoding.ASCII.GetString(rest));
            }, Limit);
            Assert.True(result.isGet);
            Assert.Equal("GET /get/1/a.mp3 HTTP/1.1\r\n\r\n", result.text);
        }

        [Fact]
        public void A_head_past_the_bound_and_a_stream_that_ends_first_are_protocol_errors()
        {
            var (sim, _, _, client, server) = Pair();
            var tooLarge = sim.Run(async () =>
            {
                var big = Ascii("GNUTELLA CONNECT/0.6\r\nX-Pad: " + new string('a', 300) + "\r\n\r\n");
                await client.Stream.WriteAsync(big, 0, big.Length);
                var reader = new HandshakeHeadReader(server.Stream, 256, 64);
                try { await TakeAsync(reader, _ => { }); return null; }
                catch (GnutellaProtocolException e) { return e.Message; }
            }, Limit);
            Assert.Equal("handshake head larger than 256 bytes", tooLarge);

            var (sim2, _, _, client2, server2) = Pair();
            var cut = sim2.Run(async () =>
            {
                var half = Ascii("GNUTELLA CONNECT/0.6\r\nUser-");
                await client2.Stream.WriteAsync(half, 0, half.Length);
                client2.Dispose();
                var reader = new HandshakeHeadReader(server2.Stream, 1024, 64);
                try { await TakeAsync(reader, _ => { }); return null; }
                catch (GnutellaProtocolException e) { return e.Message; }
            }, Limit);
            Assert.Equal("the connection closed inside a handshake head", cut);
        }

        [Fact]
        public void A_waiting_read_ends_as_cancelled_by_its_token_or_by_its_owner()
        {
            var (sim, _, _, _, server) = Pair();
            var outcome = sim.Run(async () =>
            {
                // Registered with the token.
                var byToken = new HandshakeHeadReader(server.Stream, 1024, 64);
                using (var cts = new CancellationTokenSource())
                {
                    var waiting = TakeAsync(byToken, _ => { }, cts.Token);
                    await sim.Clock.Delay(TimeSpan.FromMilliseconds(20));
                    Assert.False(waiting.IsCompleted);
                    cts.Cancel();
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
                }
                return true;
            }, Limit);
            Assert.True(outcome);

            var (sim2, _, _, _, server2) = Pair();
            var owner = sim2.Run(async () =>
            {
                // Woken by whoever cancels the token (a handshake's deadline), nothing registered with it.
                var reader = new HandshakeHeadReader(server2.Stream, 1024, 64) { CancelledByOwner = true };
                using (var cts = new CancellationTokenSource())
                {
                    var waiting = TakeAsync(reader, _ => { }, cts.Token);
                    await sim2.Clock.Delay(TimeSpan.FromMilliseconds(20));
                    cts.Cancel();
                    Assert.False(waiting.IsCompleted);   // the token alone does not wake it
                    reader.Cancel();
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
                }
                return true;
            }, Limit);
            Assert.True(owner);
        }

        [Fact]
        public void A_lent_head_refuses_to_be_read_once_another_connection_reused_its_bytes()
        {
            var (sim, _, _, client, server) = Pair();
            var (sim2, _, _, client2, server2) = Pair();
            HandshakeHead first = null;
            sim.Run(async () =>
            {
                var bytes = Ascii(Connect);
                await client.Stream.WriteAsync(bytes, 0, bytes.Length);
                var reader = new HandshakeHeadReader(server.Stream, 1024, 64);
                while (!reader.TryTakeHead(out first)) await reader.WaitAsync(CancellationToken.None);
                return true;
            }, Limit);
            Assert.Equal("Test/1.0", first.Headers["User-Agent"]);
            // Another connection's head read on this thread refills the same lent buffer.
            sim2.Run(async () =>
            {
                var bytes = Ascii("GNUTELLA CONNECT/0.6\r\nUser-Agent: Other/2.0\r\n\r\n");
                await client2.Stream.WriteAsync(bytes, 0, bytes.Length);
                var reader = new HandshakeHeadReader(server2.Stream, 1024, 64);
                await TakeAsync(reader, h => Assert.Equal("Other/2.0", h.Headers["User-Agent"]));
                return true;
            }, Limit);
            Assert.Throws<InvalidOperationException>(() => first.Headers["User-Agent"]);
            Assert.Throws<InvalidOperationException>(() => first.Headers.ContainsKey("X-Ultrapeer"));
        }

        [Fact]
        public void A_released_head_refuses_to_be_read_and_is_made_over_for_the_next()
        {
            var (sim, _, _, client, server) = Pair();
            var (released, next) = sim.Run(async () =>
            {
                var bytes = Ascii(Connect + Confirm);
                await client.Stream.WriteAsync(bytes, 0, bytes.Length);
                var reader = new HandshakeHeadReader(server.Stream, 1024, 64);
                HandshakeHead head;
                while (!reader.TryTakeHead(out head)) await reader.WaitAsync(CancellationToken.None);
                var kept = head;
                HandshakeHeadReader.Release(ref head);
                Assert.Null(head);
                Assert.Throws<InvalidOperationException>(() => kept.Headers.Count);
                while (!reader.TryTakeHead(out head)) await reader.WaitAsync(CancellationToken.None);
                return (kept, head);
            }, Limit);
            Assert.Same(released, next);
            Assert.False(next.IsConnect);
            Assert.Equal(200, next.Status);
            Assert.Equal("OK", next.Reason);
            Assert.Empty(next.Headers);
        }

        [Fact]
        public void On_a_stream_without_waits_it_reads_into_a_buffer_of_its_own()
        {
            // Three bytes per read, as a slow socket might deliver them.
            var stream = new TrickleStream(Ascii(Connect + Confirm + "MSG"), 3);
            Assert.False(stream is IValueReadStream);
            var reader = new HandshakeHeadReader(stream, 1024, 16);
            string agent = null;
            int status = 0;
            TakeAsync(reader, h => agent = h.Headers["User-Agent"]).GetAwaiter().GetResult();
            TakeAsync(reader, h => status = h.Status).GetAwaiter().GetResult();
            Assert.Equal("Test/1.0", agent);
            Assert.Equal(200, status);
            // What the last read brought past the confirmation (the reads do not stop at a head's end).
            var rest = Encoding.ASCII.GetString(reader.TakeBuffered());
            Assert.StartsWith(rest, "MSG");
        }

        /// <summary>A stream that hands out its bytes a few at a time (completed tasks: no waits of its own).</summary>
        sealed class TrickleStream : MemoryStream
        {
            readonly int _chunk;
            public TrickleStream(byte[] bytes, int chunk) : base(bytes) => _chunk = chunk;
            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, _chunk));
            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                Task.FromResult(Read(buffer, offset, count));
        }
    }
}
