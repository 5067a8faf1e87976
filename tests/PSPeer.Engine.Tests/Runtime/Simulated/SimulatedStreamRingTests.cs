// Tasks are read only after the simulation has run them to completion: nothing here blocks a thread.
#pragma warning disable xUnit1031

using System;
using System.IO;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;
using static PSPeer.Engine.Tests.Runtime.Simulated.SimulatedStreamHelpers;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>
    /// Segments wait in the receiving end's ring (no object per segment, pooled bytes): order, buffer reuse, closes and
    /// resets behind unread data, and the host's list of open ends.
    /// </summary>
    public class SimulatedStreamRingTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);


        [Fact]
        public void Many_writes_in_flight_arrive_whole_and_in_order_even_when_the_writer_reuses_its_buffer()
        {
            var (sim, _, _, client, server) = Pair(new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10), SegmentSize = 7 });
            var expected = new MemoryStream();
            sim.Run(async () =>
            {
                var buffer = new byte[50];
                // 40 writes of 50 bytes, cut into 7-byte segments: hundreds in flight at once, far past the ring's first size.
                for (int i = 0; i < 40; i++)
                {
                    var chunk = Pattern(50, seed: i);
                    Buffer.BlockCopy(chunk, 0, buffer, 0, 50);
                    await client.Stream.WriteAsync(buffer, 0, 50);
                    expected.Write(chunk, 0, 50);
                    Array.Clear(buffer, 0, buffer.Length);   // the bytes on the way must be copies
                }
                client.Dispose();
            }, Limit);
            var received = sim.Run(() => ReadToEndAsync(server.Stream), Limit);
            Assert.Equal(expected.ToArray(), received);
        }

        [Fact]
        public void A_close_behind_unread_data_is_read_after_the_data()
        {
            var (sim, _, _, client, server) = Pair();
            sim.Run(async () =>
            {
                await client.Stream.WriteAsync(Pattern(10), 0, 10);
                await client.Stream.WriteAsync(Pattern(5, seed: 1), 0, 5);
                client.Dispose();
            }, Limit);
            sim.RunFor(TimeSpan.FromSeconds(1));   // data and close have both arrived, nothing read yet
            var got = sim.Run(async () =>
            {
                var first = await ReadExactlyAsync(server.Stream, 12);
                var buffer = new byte[10];
                int n = await server.Stream.ReadAsync(buffer, 0, 10);
                int end = await server.Stream.ReadAsync(buffer, 0, 10);
                return (first, n, end);
            }, Limit);
            Assert.Equal(12, got.first.Length);
            Assert.Equal(3, got.n);
            Assert.Equal(0, got.end);
        }

        [Fact]
        public void Data_sent_to_an_end_that_closed_resets_the_sender_and_in_flight_segments_are_dropped_in_order()
        {
            var (sim, a, b, client, server) = Pair();
            sim.Run(async () =>
            {
                server.Dispose();
                // Written before the close arrives: these segments reach an end nobody reads.
                await client.Stream.WriteAsync(Pattern(100), 0, 100);
                await client.Stream.WriteAsync(Pattern(100), 0, 100);
            }, Limit);
            sim.RunFor(TimeSpan.FromSeconds(1));
            var error = sim.Run(async () =>
            {
                try { await client.Stream.WriteAsync(Pattern(1), 0, 1); return null; }
                catch (IOException e) { return e; }
            }, Limit);
            Assert.NotNull(error);
            Assert.Equal(0, a.OpenConnectionCount);
            Assert.Equal(0, b.OpenConnectionCount);
            Assert.Equal(0, sim.PendingWorkItems);
        }

        [Fact]
        public void The_hosts_count_open_ends_until_both_sides_have_closed()
        {
            var (sim, a, b, client, server) = Pair();
            Assert.Equal(1, a.OpenConnectionCount);
            Assert.Equal(1, b.OpenConnectionCount);
            var second = sim.Run(() => a.Transport.ConnectAsync(b.HostAddress, 7000), Limit);
            Assert.Equal(2, a.OpenConnectionCount);
            client.Dispose();
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(2, a.OpenConnectionCount);   // closed here, not yet by the peer
            server.Dispose();
            sim.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, a.OpenConnectionCount);
            a.Crash();
            Assert.Equal(0, a.OpenConnectionCount);
            Assert.Equal(0, b.OpenConnectionCount);
            GC.KeepAlive(second);
        }
    }
}
