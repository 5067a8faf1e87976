using System;
using System.Linq;
using System.Text;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>
    /// Hostile datagrams at a node of a simulated ring: each gets its KRPC error or is dropped and counted, and the
    /// node goes on answering and routing.
    /// </summary>
    public class ChordBadInputTests
    {
        const string A = "aaaaaaaaaaaaaaaaaaaa";

        static ChordWorld Ring(int n = 8, int seed = 21, ChordOptions options = null)
        {
            var world = ChordWorld.Ring(n, seed, options);
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(3)));
            Assert.True(world.RunUntil(world.SuccessorListsRight, TimeSpan.FromMinutes(1)));
            world.RunFor(TimeSpan.FromSeconds(8)); // predecessor chains
            return world;
        }

        static void StillServes(ChordWorld world, ChordNode node)
        {
            var other = world.Nodes.First(n => n != node);
            var result = world.Run(() => other.LookupAsync(node.Self.Id, ChordLookupMode.Iterative));
            Assert.True(result.Succeeded, result.Failure);
            Assert.Equal(node.Self.Id, result.Owner.Id);
            Assert.Equal(NodeState.Running, node.State);
        }

        [Fact]
        public void Malformed_bencode_is_dropped_and_counted_and_a_bad_id_length_gets_203()
        {
            var world = Ring();
            var node = world.Nodes[3];
            var raw = new RawKrpcClient(world, "raw");
            Assert.Null(raw.Ask(node, "d1:ad2:id20:" + A + "e1:q4:ping1:t2:xx1:y1:q"));     // truncated
            Assert.Null(raw.Ask(node, "\x00\x01\x02garbage"));
            Assert.Equal(2, node.Counters.MalformedDropped);
            var e = raw.Ask(node, "d1:ad2:id19:aaaaaaaaaaaaaaaaaaae1:q4:ping1:t2:xx1:y1:qe");
            Assert.Equal(KrpcKind.Error, e.Kind);
            Assert.Equal(KrpcErrorCode.Protocol, e.ErrorCode);
            Assert.Equal(Encoding.ASCII.GetBytes("xx"), e.TransactionId);
            var missing = raw.Ask(node, "d1:ad2:id20:" + A + "e1:q11:store_value1:t2:yy1:y1:qe");
            Assert.Equal(KrpcErrorCode.Protocol, missing.ErrorCode);
            Assert.Equal(2, node.Counters.ErrorsSent(KrpcErrorCode.Protocol));
            StillServes(world, node);
        }

        [Fact]
        public void An_unknown_method_gets_204()
        {
            var world = Ring();
            var raw = new RawKrpcClient(world, "raw");
            var e = raw.Ask(world.Nodes[1], "d1:ad2:id20:" + A + "e1:q9:find_node1:t2:xx1:y1:qe");
            Assert.Equal(KrpcErrorCode.UnknownMethod, e.ErrorCode);
            Assert.Equal(1, world.Nodes[1].Counters.ErrorsSent(KrpcErrorCode.UnknownMethod));
        }

        [Fact]
        public void Find_successor_out_of_ttl_gets_304_and_a_recursive_lookup_has_a_hop_limit()
        {
            // Short successor lists, so routing needs fingers and takes several hops.
            var options = ChordWorld.Fast();
            options.SuccessorListLength = 2;
            options.Replicas = 2;
            var world = Ring(16, 22, options);
            Assert.True(world.RunUntil(world.FingersRight, TimeSpan.FromMinutes(2)));
            var node = world.Nodes[0];
            var raw = new RawKrpcClient(world, "raw");
            // A target the node cannot answer itself: just behind it, far around the ring.
            var far = node.Predecessor.Id;
            var q = raw.Query(KrpcMethod.FindSuccessor, far);
            q.Ttl = 0;
            Assert.Equal(KrpcErrorCode.HopLimit, raw.Ask(node, q).ErrorCode);
            // With ttl 1 the next node runs out: its 304 comes back along the path.
            q = raw.Query(KrpcMethod.FindSuccessor, far);
            q.Ttl = 1;
            var relayed = raw.Ask(node, q);
            Assert.Equal(KrpcKind.Error, relayed.Kind);
            Assert.Equal(KrpcErrorCode.HopLimit, relayed.ErrorCode);
            // Enough ttl: the owner, with a path that starts at the node asked.
            q = raw.Query(KrpcMethod.FindSuccessor, far);
            q.Ttl = 32;
            var answer = raw.Ask(node, q);
            Assert.Equal(world.OwnerOf(far).Self.Id, answer.Owner.Id);
            Assert.Equal(node.Self.Id, answer.Path[0].Id);
            Assert.Equal(answer.Path.Count - 1, answer.Hops);
            Assert.NotNull(answer.Token);
            Assert.True(answer.Hops >= 2, $"{answer.Hops} hops");
            // A node's own recursive lookup with too small a ttl fails with the hop limit.
            options.RecursiveTtl = 1;
            var limited = world.Run(() => node.LookupAsync(far, ChordLookupMode.Recursive));
            options.RecursiveTtl = 32;
            Assert.False(limited.Succeeded);
            Assert.Contains("hop limit", limited.Failure);
        }

        [Fact]
        public void Notify_from_an_id_that_is_not_its_address_is_ignored_and_an_honest_one_is_heard()
        {
            var world = Ring();
            var node = world.Nodes[2];
            var before = node.Predecessor;
            var raw = new RawKrpcClient(world, "raw");
            // A forged id just behind the node: it would become the predecessor if believed.
            var forged = KrpcMessage.Query(KrpcMethod.Notify, before.Id.AddPowerOfTwo(0));
            Assert.Equal(KrpcKind.Response, raw.Ask(node, forged).Kind);
            Assert.Equal(before.Id, node.Predecessor.Id);
            Assert.Equal(1, node.Counters.NotifyIgnored);
            // The same client with its honest id: taken when it falls between the predecessor and the node.
            raw.Ask(node, raw.Query(KrpcMethod.Notify));
            if (raw.HonestId.InOpen(before.Id, node.Self.Id)) Assert.Equal(raw.HonestId, node.Predecessor.Id);
            else Assert.Equal(before.Id, node.Predecessor.Id);
            Assert.Equal(1, node.Counters.NotifyIgnored);
        }

        [Fact]
        public void Stores_need_a_token_given_to_the_same_address_and_values_and_keys_have_limits()
        {
            var options = ChordWorld.Fast();
            options.MaxValuesPerKey = 3;
            options.StabilizeInterval = options.CheckPredecessorInterval = options.FixFingersInterval = TimeSpan.FromSeconds(10); // 21 virtual minutes below
            var world = Ring(6, 23, options);
            var key = ChordId.FromKey("limited");
            var owner = world.OwnerOf(key);
            var raw = new RawKrpcClient(world, "raw");
            var spoofer = new RawKrpcClient(world, "spoofer");

            KrpcMessage Store(RawKrpcClient client, string value, byte[] token)
            {
                var q = client.Query(KrpcMethod.StoreValue, key);
                q.Value = Encoding.UTF8.GetBytes(value);
                q.Token = token;
                return client.Ask(owner, q);
            }

            Assert.Equal(KrpcErrorCode.BadToken, Store(raw, "v", null).ErrorCode);                       // no token
            Assert.Equal(KrpcErrorCode.BadToken, Store(raw, "v", new byte[8]).ErrorCode);                // a made-up token
            Assert.Equal(KrpcErrorCode.BadToken, Store(spoofer, "v", raw.TokenFrom(owner)).ErrorCode);   // another address's token
            var token = raw.TokenFrom(owner);
            Assert.Equal(KrpcErrorCode.ValueTooBig, Store(raw, new string('x', 1001), token).ErrorCode);
            Assert.Equal(KrpcKind.Response, Store(raw, new string('x', 1000), token).Kind);
            Assert.Equal(KrpcKind.Response, Store(raw, "b", token).Kind);
            Assert.Equal(KrpcKind.Response, Store(raw, "c", token).Kind);
            Assert.Equal(KrpcKind.Response, Store(raw, "c", token).Kind);                                 // the same value again: a refresh
            Assert.Equal(KrpcErrorCode.TooManyValues, Store(raw, "d", token).ErrorCode);
            Assert.Equal(3, owner.StoredValueCount);
            // A token is good for ten minutes, not for ever.
            world.RunFor(TimeSpan.FromMinutes(21));
            Assert.Equal(KrpcErrorCode.BadToken, Store(raw, "c", token).ErrorCode);
            // The node's own users are told too.
            var refused = world.Run(() => world.Nodes[0].StoreAsync("limited", "e"));
            Assert.False(refused.Succeeded);
            Assert.Equal(KrpcErrorCode.TooManyValues, refused.ErrorCode);
            Assert.Equal(KrpcErrorCode.ValueTooBig, world.Run(() => world.Nodes[0].StoreAsync("big", new string('y', 1001))).ErrorCode);
        }

        [Fact]
        public void A_node_that_neither_owns_nor_replicates_a_key_answers_301()
        {
            var world = Ring(8, 24);
            var key = ChordId.FromKey("elsewhere");
            var ring = world.Sorted();
            int owner = ring.IndexOf(world.OwnerOf(key));
            var stranger = ring[(owner + 4) % ring.Count]; // R = 3: the owner and the next two hold it
            var raw = new RawKrpcClient(world, "raw");
            var store = raw.Query(KrpcMethod.StoreValue, key);
            store.Value = Encoding.UTF8.GetBytes("v");
            store.Token = raw.TokenFrom(stranger);
            Assert.Equal(KrpcErrorCode.NotResponsible, raw.Ask(stranger, store).ErrorCode);
            Assert.Equal(KrpcErrorCode.NotResponsible, raw.Ask(stranger, raw.Query(KrpcMethod.GetValues, key)).ErrorCode);
            var replica = ring[(owner + 2) % ring.Count];
            store.Token = raw.TokenFrom(replica);
            Assert.Equal(KrpcKind.Response, raw.Ask(replica, store).Kind);
        }

        [Fact]
        public void A_flood_of_queries_and_garbage_is_bounded_and_counted_and_the_node_lives()
        {
            var world = Ring();
            var node = world.Nodes[5];
            var raw = new RawKrpcClient(world, "flooder");
            var ping = KrpcCodec.Encode(new KrpcMessage { Kind = KrpcKind.Query, Method = KrpcMethod.Ping, SenderId = raw.HonestId, TransactionId = new byte[] { 1, 1 } });
            var random = new Random(5);
            // 20,000 pings and 5,000 random datagrams within one virtual second.
            for (int i = 0; i < 20_000; i++) raw.Send(node, ping);
            for (int i = 0; i < 5_000; i++)
            {
                var junk = new byte[random.Next(1, 200)];
                random.NextBytes(junk);
                raw.Send(node, junk);
            }
            world.RunFor(TimeSpan.FromMilliseconds(500));
            int limit = world.Options.MaxQueriesPerSecondPerAddress;
            Assert.InRange(raw.Answers.Count, limit, 2 * limit);
            Assert.Equal(20_000 - raw.Answers.Count, node.Counters.FloodDropped);
            Assert.True(node.Counters.MalformedDropped >= 4_900);
            StillServes(world, node);
            Assert.True(world.RunUntilConverged(TimeSpan.FromSeconds(30)));
        }
    }
}
