using System.Threading;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>Live servents lock what threads share; simulated ones, run by one loop, lock nothing and count plainly.</summary>
    public class OptionalLockTests
    {
        [Fact]
        public void A_gate_is_held_for_the_span_of_the_using_and_no_gate_holds_nothing()
        {
            var gate = new object();
            using (new OptionalLock(gate)) Assert.True(Monitor.IsEntered(gate));
            Assert.False(Monitor.IsEntered(gate));
            using (new OptionalLock(null)) Assert.False(Monitor.IsEntered(gate));
        }

        [Fact]
        public void Counters_are_plain_only_where_one_thread_updates_them()
        {
            Assert.False(new GnutellaCounters().IsSingleThreaded);
            var world = new GnutellaWorld();
            Assert.True(world.Add("simulated").Counters.IsSingleThreaded);
        }

        [Fact]
        public void Plain_and_interlocked_counters_count_the_same()
        {
            var plain = new GnutellaCounters(singleThreaded: true);
            var shared = new GnutellaCounters();
            foreach (var c in new[] { plain, shared })
            {
                c.CountSent(GnutellaPayloadType.Query);
                c.CountSent(GnutellaPayloadType.Query);
                c.CountReceived(GnutellaPayloadType.QueryHit);
                c.Add(ref c.queriesForwarded, 5);
                c.Add(ref c.queriesForwarded);
            }
            foreach (var c in new[] { plain, shared })
            {
                Assert.Equal(2, c.MessagesSent);
                Assert.Equal(1, c.MessagesReceived);
                Assert.Equal(2, c.SentByType[GnutellaPayloadType.Query]);
                Assert.Equal(1, c.ReceivedByType[GnutellaPayloadType.QueryHit]);
                Assert.Equal(6, c.QueriesForwarded);
            }
        }

        [Fact]
        public void Live_counters_lose_no_count_to_threads_counting_at_once()
        {
            var counters = new GnutellaCounters();
            var threads = new Thread[4];
            for (int i = 0; i < threads.Length; i++)
            {
                threads[i] = new Thread(() => { for (int n = 0; n < 100_000; n++) counters.CountSent(GnutellaPayloadType.Ping); });
                threads[i].Start();
            }
            foreach (var t in threads) Assert.True(t.Join(60_000));
            Assert.Equal(400_000, counters.MessagesSent);
            Assert.Equal(400_000, counters.SentByType[GnutellaPayloadType.Ping]);
        }

        [Fact]
        public void Route_tables_of_simulated_and_live_servents_route_the_same()
        {
            foreach (bool unlocked in new[] { false, true })
            {
                var table = new GuidRouteTable<object>(LiveRuntime.Loopback.Clock, System.TimeSpan.FromMinutes(10), 100, new object(), unlocked);
                var id = GnutellaGuid.Parse("0102030405060708FF0A0B0C0D0E0F00");
                var link = new object();
                Assert.True(table.TryAdd(id, link));
                Assert.False(table.TryAdd(id, new object()));
                Assert.True(table.TryGet(id, out var from));
                Assert.Same(link, from);
                table.RemoveAll(link);
                Assert.Equal(0, table.Count);
            }
        }
    }
}
