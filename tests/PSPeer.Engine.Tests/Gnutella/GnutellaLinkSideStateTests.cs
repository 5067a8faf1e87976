using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using PSPeer.Engine.Tests.Support;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// What only some links need (why we closed, keepalive's last-heard time, the pong cache's turn, eviction) is kept
    /// aside and made when first needed: a quiet link is one object of 192 bytes, and each of those reads as before.
    /// </summary>
    public class GnutellaLinkSideStateTests
    {
        sealed class QuietConnection : IConnection
        {
            public Stream Stream { get; } = new MemoryStream();
            public string LocalEndPoint => "10.0.0.1:6346";
            public string RemoteEndPoint => "10.0.0.2:6346";
            public void Dispose() { }
        }

        static readonly SimulatedHost Host = new Simulation(new SimulationOptions { Seed = 1 }).AddHost("h");
        static readonly DateTimeOffset T0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

        static GnutellaLink NewLink(QuietConnection connection = null, HostPort listen = null, GnutellaCounters counters = null) =>
            new GnutellaLink(connection ?? new QuietConnection(), listen ?? HostPort.Parse("10.0.0.2:6346"), true, true,
                null, 65536, new QueryRateLimiter(Host.Clock, 20), counters ?? new GnutellaCounters());

        [Fact]
        public void A_quiet_link_is_one_object_of_192_bytes()
        {
            var connection = new QuietConnection();
            var listen = HostPort.Parse("10.0.0.2:6346");
            var counters = new GnutellaCounters();
            NewLink(connection, listen, counters);   // the JIT, once
            long before = GC.GetAllocatedBytesForCurrentThread();
            NewLink(connection, listen, counters);
            long size = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(size <= 192, $"a link takes {size} bytes");   // 224 with the rarely used fields on every link
        }

        [Fact]
        public void Last_heard_is_when_the_link_came_up_until_keepalive_records_a_descriptor()
        {
            var link = NewLink();
            link.ConnectedAt = T0;
            Assert.Equal(T0, link.LastHeard);
            link.LastHeard = T0.AddSeconds(20);
            Assert.Equal(T0.AddSeconds(20), link.LastHeard);
            Assert.Equal(T0, link.ConnectedAt);
        }

        [Fact]
        public void The_pong_cache_turn_comes_once_per_interval()
        {
            var link = NewLink();
            Assert.True(link.TakeCachedPongTurn(T0, TimeSpan.FromSeconds(1)));
            Assert.False(link.TakeCachedPongTurn(T0.AddMilliseconds(999), TimeSpan.FromSeconds(1)));
            Assert.True(link.TakeCachedPongTurn(T0.AddSeconds(1), TimeSpan.FromSeconds(1)));
        }

        [Fact]
        public void Eviction_is_claimed_once_and_a_close_keeps_its_reason()
        {
            var link = NewLink();
            Assert.False(link.IsEvicted);
            Assert.Null(link.CloseReason);
            Assert.True(link.TryClaimEviction());
            Assert.False(link.TryClaimEviction());
            Assert.True(link.IsEvicted);
            link.Close("evicted: useless");
            Assert.Equal("evicted: useless", link.CloseReason);
            Assert.True(link.IsClosed);
        }

        /// <summary>Its first write waits until the test lets it go; the rest complete at once.</summary>
        sealed class HeldStream : MemoryStream
        {
            public readonly TaskCompletionSource<bool> Held = new TaskCompletionSource<bool>();
            readonly int[] _writes = new int[1];   // in an array: a stream is marshal-by-reference, its fields no refs
            public int Writes => Volatile.Read(ref _writes[0]);
            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                Interlocked.Increment(ref _writes[0]) == 1 ? Held.Task : Task.CompletedTask;
        }

        sealed class HeldConnection : IConnection
        {
            public HeldConnection(Stream stream) { Stream = stream; }
            public Stream Stream { get; }
            public string LocalEndPoint => "10.0.0.1:6346";
            public string RemoteEndPoint => "10.0.0.2:6346";
            public void Dispose() { }
        }

        [Fact]
        public async Task A_link_that_waits_queues_up_to_its_bound_drops_the_rest_and_takes_more_once_written()
        {
            var stream = new HeldStream();
            var counters = new GnutellaCounters();
            var link = new GnutellaLink(new HeldConnection(stream), HostPort.Parse("10.0.0.2:6346"), true, true,
                null, 65536, new QueryRateLimiter(Host.Clock, 20), counters);
            var half = new byte[GnutellaLink.MaxQueuedBytes / 2];
            Assert.True(link.Send(new byte[10], GnutellaPayloadType.Query));   // written; the write waits
            Assert.True(link.Send(half, GnutellaPayloadType.Query));           // queued
            Assert.True(link.Send(half, GnutellaPayloadType.Query));           // queued: the bound exactly
            Assert.False(link.Send(new byte[1], GnutellaPayloadType.Query));   // over it: dropped
            Assert.Equal(1, counters.MessagesDroppedQueueFull);
            stream.Held.SetResult(true);
            await Poll.UntilAsync(() => stream.Writes >= 3, "the queued frames written");
            Assert.True(link.Send(half, GnutellaPayloadType.Query));   // the queue's bytes went with them
            Assert.True(link.Send(half, GnutellaPayloadType.Query));
            Assert.Equal(1, counters.MessagesDroppedQueueFull);
        }
    }
}
