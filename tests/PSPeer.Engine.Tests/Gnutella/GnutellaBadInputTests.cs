using System;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>What a servent does with a peer that breaks the rules: clamp, drop and count, close that link only.</summary>
    public class GnutellaBadInputTests
    {
        /// <summary>A line n0 - n1 - ... - n(count-1), each sharing "song from nI.mp3", and a raw client host.</summary>
        static GnutellaWorld Line(int count)
        {
            var world = new GnutellaWorld();
            for (int i = 0; i < count; i++) world.Add("n" + i, files: "song from n" + i + ".mp3");
            for (int i = 0; i + 1 < count; i++) world.Link(world.Nodes[i], world.Nodes[i + 1]);
            return world;
        }

        static RawGnutellaClient Attach(GnutellaWorld world, GnutellaServent to)
        {
            var host = world.Sim.AddHost("raw-" + Guid.NewGuid().ToString("N").Substring(0, 6));
            var client = world.Run(() => RawGnutellaClient.ConnectAsync(host, world.Address(to)));
            Assert.Equal(200, client.Answer.Status);
            world.Settle();
            return client;
        }

        [Fact]
        public void Bytes_sent_right_behind_the_connect_head_are_not_lost()
        {
            // An eager peer writes CONNECT, its confirmation and a first query in one go; the servent reads them in one
            // chunk. The confirmation and the query must still be taken from what was read past the CONNECT head.
            var world = Line(2);
            var host = world.Sim.AddHost("eager");
            var hello = GnutellaHandshake.Connect(new System.Collections.Generic.Dictionary<string, string>
            {
                ["User-Agent"] = "RawTest/1.0", ["X-Ultrapeer"] = "True", ["Listen-IP"] = host.HostAddress + ":1",
            });
            var confirm = GnutellaHandshake.Response(200, "OK", null);
            var query = GnutellaCodec.Encode(GnutellaGuid.New(world.Sim.Random), 3, 0, new Query { Criteria = "song" });
            var all = hello.Concat(confirm).Concat(query).ToArray();
            var answer = world.Run(async () =>
            {
                var connection = await host.Transport.ConnectAsync(world.Address(world.Nodes[0]).Host, GnutellaWorld.Port);
                await connection.Stream.WriteAsync(all, 0, all.Length);
                return await GnutellaHandshake.ReadHeadAsync(connection.Stream, null, 8192, System.Threading.CancellationToken.None);
            });
            Assert.Equal(200, answer.Status);
            world.Settle();
            Assert.Equal(2, world.Nodes[0].ConnectionCount);
            Assert.Equal(1, GnutellaWorld.FirstCopies(world.Nodes[0]));
            Assert.Equal(1, GnutellaWorld.FirstCopies(world.Nodes[1]));
        }

        [Fact]
        public void Descriptors_dribbled_a_byte_per_segment_arrive_whole_and_a_bad_one_closes_only_that_link()
        {
            // The simulated link's read loop waits for each segment with no buffer of its own and picks a header and a
            // payload up across many arrivals; then an unknown type ends that link as malformed, with a Bye.
            var world = Line(2);
            var raw = Attach(world, world.Nodes[0]);
            var queries = Enumerable.Range(0, 3).SelectMany(i =>
                GnutellaCodec.Encode(GnutellaGuid.New(world.Sim.Random), 3, 0, new Query { Criteria = "song " + i })).ToArray();
            world.Run(async () =>
            {
                for (int i = 0; i < queries.Length; i++)
                {
                    await raw.SendAsync(new[] { queries[i] });
                    await world.Sim.Clock.Delay(TimeSpan.FromMilliseconds(1), System.Threading.CancellationToken.None);
                }
            });
            world.Settle();
            Assert.Equal(3, GnutellaWorld.FirstCopies(world.Nodes[0]));
            Assert.Equal(3, GnutellaWorld.FirstCopies(world.Nodes[1]));
            var bad = new byte[23];
            new DescriptorHeader(GnutellaGuid.New(world.Sim.Random), (GnutellaPayloadType)0x77, 1, 0, 0).Write(bad, 0);
            world.Run(() => raw.SendAsync(bad));
            world.Settle();
            var malformed = Assert.Single(world.Events, e => e.Type == PeerEventTypes.MalformedMessage);
            Assert.Contains("unknown payload type 0x77", malformed.Message);
            Assert.Equal(1, world.Nodes[0].ConnectionCount);   // the link to n1 stays
            var bye = world.Sim.Spawn(() => RawGnutellaClient.ReadToEndAsync(raw.Connection));
            world.Settle();
            Assert.True(bye.IsCompleted);
        }

        [Fact]
        public void A_ttl_above_the_limit_is_clamped()
        {
            var world = Line(10);
            var raw = Attach(world, world.Nodes[0]);
            var id = GnutellaGuid.New(world.Sim.Random);
            world.Run(() => raw.SendAsync(id, 50, 0, new Query { Criteria = "song" }));
            world.Settle(3);
            // n0 is one hop from the raw peer; TTL + hops clamped to 7 leaves it six more hops: n1 .. n6.
            var reached = world.Nodes.Select(GnutellaWorld.FirstCopies).ToArray();
            Assert.Equal(new long[] { 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 }, reached);
        }

        [Fact]
        public void A_hit_for_an_unknown_query_is_dropped_and_counted()
        {
            var world = Line(3);
            var raw = Attach(world, world.Nodes[1]);
            var hit = new QueryHit
            {
                Address = "10.9.9.9", Port = 6346, ServentId = GnutellaGuid.New(world.Sim.Random),
                Results = new[] { new QueryHitResult { FileIndex = 0, FileSize = 10, Name = "spam.exe" } },
            };
            world.Run(() => raw.SendAsync(GnutellaGuid.New(world.Sim.Random), 7, 0, hit));
            world.Settle();
            Assert.Equal(1, world.Nodes[1].Counters.HitsDroppedUnknownQuery);
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.HitDropped && e.Node == "n1");
            // Never flooded: nobody else saw it.
            Assert.Equal(0, GnutellaWorld.Received(world.Nodes[0], GnutellaPayloadType.QueryHit));
            Assert.Equal(0, GnutellaWorld.Received(world.Nodes[2], GnutellaPayloadType.QueryHit));
        }

        [Fact]
        public void A_link_that_floods_queries_is_rate_limited()
        {
            var world = Line(2);
            var raw = Attach(world, world.Nodes[0]);
            world.Run(async () =>
            {
                for (int i = 0; i < 60; i++)
                    await raw.SendAsync(GnutellaGuid.New(world.Sim.Random), 3, 0, new Query { Criteria = "nothing " + i });
            });
            world.Settle();
            var n0 = world.Nodes[0];
            // The burst allowance is QueriesPerSecondPerLink (20); sent within the same instant, the rest is dropped.
            Assert.InRange(n0.Counters.QueriesRateLimited, 35, 40);
            Assert.Equal(60 - n0.Counters.QueriesRateLimited, GnutellaWorld.FirstCopies(world.Nodes[1]));
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.RateLimited && e.Node == "n0");
            // The link itself stays up: rate limiting is not a punishment.
            Assert.Equal(2, n0.ConnectionCount);
        }

        public static TheoryData<string> BadDescriptors => new TheoryData<string> { "oversized", "unknown type", "truncated", "garbled query" };

        static byte[] Bad(string kind, GnutellaGuid id)
        {
            var header = new DescriptorHeader(id, GnutellaPayloadType.Query, 3, 0, 0);
            byte[] frame;
            switch (kind)
            {
                case "oversized":
                    header.PayloadLength = 10 * 1024 * 1024;
                    frame = new byte[DescriptorHeader.Size];
                    break;
                case "unknown type":
                    header.Type = (GnutellaPayloadType)0x77;
                    header.PayloadLength = 4;
                    frame = new byte[DescriptorHeader.Size + 4];
                    break;
                case "truncated":
                    header.PayloadLength = 100;
                    frame = new byte[DescriptorHeader.Size + 10];   // and then the sender closes
                    break;
                default:
                    // A query whose criteria never ends (no NUL) is not a query.
                    header.PayloadLength = 6;
                    frame = new byte[DescriptorHeader.Size + 6];
                    for (int i = 0; i < 6; i++) frame[DescriptorHeader.Size + i] = (byte)'a';
                    break;
            }
            header.Write(frame, 0);
            return frame;
        }

        [Theory]
        [MemberData(nameof(BadDescriptors))]
        public void A_malformed_descriptor_closes_that_link_only(string kind)
        {
            var world = Line(2);
            var n0 = world.Nodes[0];
            var raw = Attach(world, n0);
            Assert.Equal(2, n0.ConnectionCount);
            world.Run(async () =>
            {
                await raw.SendAsync(Bad(kind, GnutellaGuid.New(world.Sim.Random)));
                if (kind == "truncated") raw.Connection.Dispose();
                else await RawGnutellaClient.ReadToEndAsync(raw.Connection);   // returns when n0 closes it
            });
            world.Settle();
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.MalformedMessage && e.Node == "n0");
            Assert.Equal(1, n0.ConnectionCount);
            Assert.Equal(NodeState.Running, n0.State);
            // The good link still works.
            var hits = world.Search(world.Nodes[1], "song", 2);
            Assert.Single(hits);
        }

        [Fact]
        public void A_leaf_with_a_broken_qrp_sequence_loses_its_link_only()
        {
            var world = Line(2);
            var n0 = world.Nodes[0];
            var host = world.Sim.AddHost("raw-leaf");
            var leaf = world.Run(() => RawGnutellaClient.ConnectAsync(host, world.Address(n0), ultrapeer: false));
            Assert.Equal(200, leaf.Answer.Status);
            world.Settle();
            Assert.Equal(1, n0.LeafLinkCount);
            world.Run(async () =>
            {
                // Patch 2 of 3 with no patch 1 before it.
                await leaf.SendAsync(GnutellaGuid.New(world.Sim.Random), 1, 0,
                    new QrpPatch { SequenceNumber = 2, SequenceSize = 3, Compressor = 0, EntryBits = 4, Data = new byte[16] });
                await RawGnutellaClient.ReadToEndAsync(leaf.Connection);
            });
            world.Settle();
            Assert.Equal(0, n0.LeafLinkCount);
            Assert.Equal(1, n0.UltrapeerLinkCount);
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.MalformedMessage && e.Node == "n0");
        }

        [Theory]
        [InlineData("HELLO THERE\r\n\r\n")]
        [InlineData("GNUTELLA CONNECT/0.4\n\n")]
        [InlineData("GNUTELLA OK\r\n\r\n")]
        [InlineData("\u0001\u0002\u0003\u0004garbage")]
        public void A_handshake_that_is_not_gnutella_0_6_gets_a_4xx(string opening)
        {
            var world = Line(1);
            var host = world.Sim.AddHost("raw");
            string answer = world.Run(() => RawGnutellaClient.ExchangeAsync(host, world.Address(world.Nodes[0]), opening));
            Assert.StartsWith("GNUTELLA/0.6 4", answer);
            Assert.Equal(0, world.Nodes[0].ConnectionCount);
        }

        [Fact]
        public void Full_slots_get_a_503_with_other_ultrapeers_to_try()
        {
            var world = new GnutellaWorld();
            var a = world.Add("a", configure: o => o.MaxUltrapeerLinks = 1);
            var b = world.Add("b");
            var c = world.Add("c");
            world.Link(b, a);
            var ex = Assert.Throws<PeerException>(() => world.Run(() => c.ConnectAsync(world.Address(a))));
            Assert.Equal(PeerErrorIds.HandshakeRefused, ex.ErrorId);
            Assert.Contains("503", ex.Message);
            Assert.Contains("listed 1", ex.Message);   // a told c about b
            Assert.Equal(1, c.KnownHostCount);
        }
    }
}
