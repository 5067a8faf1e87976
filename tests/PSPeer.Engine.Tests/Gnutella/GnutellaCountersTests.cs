using System;
using System.Linq;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// A servent's counts, each kept once: the messages of all types are the sum of those by type, the queries received
    /// are the Query descriptors received, and a type nobody lists is counted nowhere.
    /// </summary>
    public class GnutellaCountersTests
    {
        static readonly GnutellaPayloadType[] Listed =
        {
            GnutellaPayloadType.Ping, GnutellaPayloadType.Pong, GnutellaPayloadType.Bye, GnutellaPayloadType.RouteTableUpdate,
            GnutellaPayloadType.Push, GnutellaPayloadType.Query, GnutellaPayloadType.QueryHit,
            GnutellaPayloadType.VendorMessage, GnutellaPayloadType.StandardVendorMessage, GnutellaPayloadType.HorizonSizeEstimation,
        };

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void The_messages_of_all_types_are_the_sum_of_those_by_type(bool singleThreaded)
        {
            var counters = new GnutellaCounters(singleThreaded);
            for (int i = 0; i < Listed.Length; i++)
            {
                for (int n = 0; n <= i; n++) counters.CountSent(Listed[i]);
                for (int n = 0; n < 2 * i; n++) counters.CountReceived(Listed[i]);
            }
            int sent = Enumerable.Range(1, Listed.Length).Sum(), received = Enumerable.Range(0, Listed.Length).Sum(i => 2 * i);
            Assert.Equal(sent, counters.MessagesSent);
            Assert.Equal(received, counters.MessagesReceived);
            Assert.Equal(counters.SentByType.Values.Sum(), counters.MessagesSent);
            Assert.Equal(counters.ReceivedByType.Values.Sum(), counters.MessagesReceived);
            Assert.Equal(counters.ReceivedByType[GnutellaPayloadType.Query], counters.QueriesReceived);
        }

        [Fact]
        public void A_type_nobody_lists_is_counted_nowhere()
        {
            var counters = new GnutellaCounters(singleThreaded: true);
            counters.CountSent((GnutellaPayloadType)0x77);
            counters.CountReceived((GnutellaPayloadType)0x77);
            Assert.Equal(0, counters.MessagesSent);
            Assert.Equal(0, counters.MessagesReceived);
            Assert.Empty(counters.SentByType);
            Assert.Empty(counters.ReceivedByType);
        }

        [Fact]
        public void A_servent_s_counters_keep_nothing_twice()
        {
            new GnutellaCounters(singleThreaded: true);   // the JIT, once
            long before = GC.GetAllocatedBytesForCurrentThread();
            new GnutellaCounters(singleThreaded: true);
            long size = GC.GetAllocatedBytesForCurrentThread() - before;
            // 35 counts and the mode (a long): 304 bytes with the object's header (it was 336 with the totals, the queries
            // received twice and a field for types nobody lists).
            Assert.True(size <= 16 + 36 * 8, $"a servent's counters take {size} bytes");
        }

        [Fact]
        public void Sums_by_type_name_are_what_sent_by_type_holds()
        {
            var a = new GnutellaCounters(singleThreaded: true);
            var b = new GnutellaCounters();
            a.CountSent(GnutellaPayloadType.Query);
            a.CountSent(GnutellaPayloadType.Query);
            a.CountSent(GnutellaPayloadType.Pong);
            b.CountSent(GnutellaPayloadType.Query);
            b.CountSent(GnutellaPayloadType.RouteTableUpdate);
            var totals = new System.Collections.Generic.Dictionary<string, long>();
            a.AddSentByName(totals);
            b.AddSentByName(totals);
            var expected = a.SentByType.Concat(b.SentByType).GroupBy(kv => kv.Key.ToString()).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
            Assert.Equal(expected.OrderBy(kv => kv.Key), totals.OrderBy(kv => kv.Key));
            Assert.Equal(3, totals["Query"]);
            Assert.False(totals.ContainsKey("Ping"));   // never sent: left out
        }
    }
}
