using System;
using System.Linq;
using System.Net;
using System.Text;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Chord.Krpc;
using Xunit;

namespace PSPeer.Engine.Tests.Chord.Krpc
{
    /// <summary>
    /// The Chord KRPC wire against hand-written bencoded bytes (issue 12's table): every method's query and
    /// response decode to the right fields and encode back to the same bytes; every error code round-trips; bad
    /// input becomes Dropped / Malformed (203) / UnknownMethod (204), never an exception.
    /// </summary>
    public class KrpcCodecTests
    {
        // Ids that read as text in the hand-written messages.
        const string A = "aaaaaaaaaaaaaaaaaaaa", B = "bbbbbbbbbbbbbbbbbbbb", C = "cccccccccccccccccccc", K = "kkkkkkkkkkkkkkkkkkkk";
        static readonly ChordId IdA = Id(A), IdB = Id(B), IdC = Id(C), IdK = Id(K);
        // Compact nodes: B at 127.0.0.1:6881 (0x1AE1) and C at 10.0.0.2:80.
        const string NodeB = B + "\x7f\x00\x00\x01\x1a\xe1", NodeC = C + "\x0a\x00\x00\x02\x00\x50";

        static ChordId Id(string s) => ChordId.FromBytes(Encoding.ASCII.GetBytes(s));
        static byte[] Bytes(string latin1) => Encoding.GetEncoding("ISO-8859-1").GetBytes(latin1);

        static KrpcMessage Decode(string wire, KrpcDecodeStatus expected = KrpcDecodeStatus.Ok)
        {
            var bytes = Bytes(wire);
            var status = KrpcCodec.Decode(bytes, 0, bytes.Length, out var message, out string problem);
            Assert.True(expected == status, $"expected {expected}, got {status} ({problem})");
            return message;
        }

        /// <summary>Decodes, checks, and encodes back to exactly the same bytes (the hand-written keys are in canonical order).</summary>
        static KrpcMessage RoundTrip(string wire)
        {
            var message = Decode(wire);
            Assert.Equal(Bytes(wire), KrpcCodec.Encode(message));
            return message;
        }

        static void AssertContact(ChordContact c, ChordId id, string address, int port)
        {
            Assert.Equal(id, c.Id);
            Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), c.EndPoint);
        }

        [Theory]
        [InlineData("ping")]
        [InlineData("get_predecessor")]
        [InlineData("get_successors")]
        [InlineData("notify")]
        public void Queries_without_arguments_carry_only_the_sender_id(string method)
        {
            var m = RoundTrip($"d1:ad2:id20:{A}e1:q{method.Length}:{method}1:t2:xx1:y1:qe");
            Assert.Equal(KrpcKind.Query, m.Kind);
            Assert.Equal(method, m.Method);
            Assert.Equal(IdA, m.SenderId);
            Assert.Equal(Bytes("xx"), m.TransactionId);
        }

        [Fact]
        public void Closest_preceding_query_has_a_target_and_its_answers_carry_owner_and_nodes_or_next_and_always_a_token()
        {
            var q = RoundTrip($"d1:ad2:id20:{A}6:target20:{K}e1:q17:closest_preceding1:t2:aa1:y1:qe");
            Assert.Equal(KrpcMethod.ClosestPreceding, q.Method);
            Assert.Equal(IdK, q.Target);

            var owner = RoundTrip($"d1:rd2:id20:{B}5:nodes52:{NodeB}{NodeC}5:owner26:{NodeB}5:token8:TOKEN123e1:t2:aa1:y1:re");
            Assert.Equal(KrpcKind.Response, owner.Kind);
            Assert.Equal(IdB, owner.SenderId);
            AssertContact(owner.Owner, IdB, "127.0.0.1", 6881);
            Assert.Equal(2, owner.Nodes.Count);
            AssertContact(owner.Nodes[1], IdC, "10.0.0.2", 80);
            Assert.Equal(Bytes("TOKEN123"), owner.Token);

            var next = RoundTrip($"d1:rd2:id20:{B}4:next26:{NodeC}5:token8:TOKEN123e1:t2:aa1:y1:re");
            AssertContact(next.Next, IdC, "10.0.0.2", 80);
            Assert.Null(next.Owner);
        }

        [Fact]
        public void Closest_preceding_may_carry_ids_to_skip()
        {
            var q = RoundTrip($"d1:ad2:id20:{A}4:skip40:{B}{C}6:target20:{K}e1:q17:closest_preceding1:t2:aa1:y1:qe");
            Assert.Equal(new[] { IdB, IdC }, q.Skip);
        }

        [Fact]
        public void Find_successor_query_has_target_and_ttl_and_its_answer_owner_hops_path_token()
        {
            var q = RoundTrip($"d1:ad2:id20:{A}6:target20:{K}3:ttli31ee1:q14:find_successor1:t2:fs1:y1:qe");
            Assert.Equal(KrpcMethod.FindSuccessor, q.Method);
            Assert.Equal(IdK, q.Target);
            Assert.Equal(31, q.Ttl);

            var r = RoundTrip($"d1:rd4:hopsi1e2:id20:{B}5:owner26:{NodeC}4:path52:{NodeB}{NodeC}5:token8:TOKEN123e1:t2:fs1:y1:re");
            Assert.Equal(1, r.Hops);
            AssertContact(r.Owner, IdC, "10.0.0.2", 80);
            Assert.Equal(new[] { IdB, IdC }, r.Path.Select(c => c.Id));
        }

        [Fact]
        public void Find_successor_without_ttl_leaves_it_to_the_node_default()
        {
            var q = Decode($"d1:ad2:id20:{A}6:target20:{K}e1:q14:find_successor1:t2:fs1:y1:qe");
            Assert.Null(q.Ttl);
        }

        [Fact]
        public void Store_value_carries_target_value_and_token_and_is_answered_with_the_id_alone()
        {
            var q = RoundTrip($"d1:ad2:id20:{A}6:target20:{K}5:token8:TOKEN1231:v9:some texte1:q11:store_value1:t2:sv1:y1:qe");
            Assert.Equal(KrpcMethod.StoreValue, q.Method);
            Assert.Equal(IdK, q.Target);
            Assert.Equal(Bytes("some text"), q.Value);
            Assert.Equal(Bytes("TOKEN123"), q.Token);
            var r = RoundTrip($"d1:rd2:id20:{B}e1:t2:sv1:y1:re");
            Assert.Equal(IdB, r.SenderId);
        }

        [Fact]
        public void Get_values_pages_with_from_and_more()
        {
            var q = RoundTrip($"d1:ad4:fromi2e2:id20:{A}6:target20:{K}e1:q10:get_values1:t2:gv1:y1:qe");
            Assert.Equal(KrpcMethod.GetValues, q.Method);
            Assert.Equal(2, q.FromIndex);
            var r = RoundTrip($"d1:rd2:id20:{B}4:morei4e6:valuesl3:one3:twoee1:t2:gv1:y1:re");
            Assert.Equal(new[] { Bytes("one"), Bytes("two") }, r.Values);
            Assert.Equal(4, r.MoreIndex);
            var last = RoundTrip($"d1:rd2:id20:{B}6:valuesl5:threeee1:t2:gv1:y1:re");
            Assert.Null(last.MoreIndex);
        }

        [Fact]
        public void Transfer_asks_for_an_interval_and_answers_items_and_the_last_key_sent()
        {
            var q = RoundTrip($"d1:ad5:after20:{K}4:from20:{B}2:id20:{A}2:to20:{C}e1:q8:transfer1:t2:tr1:y1:qe");
            Assert.Equal(KrpcMethod.Transfer, q.Method);
            Assert.Equal(IdB, q.FromId);
            Assert.Equal(IdC, q.ToId);
            Assert.Equal(IdK, q.After);
            var r = RoundTrip($"d1:rd2:id20:{B}5:itemsll20:{K}l1:x1:yeee4:more20:{K}e1:t2:tr1:y1:re");
            var item = Assert.Single(r.Items);
            Assert.Equal(IdK, item.KeyId);
            Assert.Equal(new[] { Bytes("x"), Bytes("y") }, item.Values);
            Assert.Null(item.Left);
            Assert.Equal(IdK, r.MoreId);
        }

        [Fact]
        public void Get_predecessor_and_get_successors_answers()
        {
            var known = RoundTrip($"d1:rd2:id20:{B}4:node26:{NodeC}e1:t2:gp1:y1:re");
            AssertContact(known.Node, IdC, "10.0.0.2", 80);
            var unknown = RoundTrip($"d1:rd2:id20:{B}e1:t2:gp1:y1:re");
            Assert.Null(unknown.Node);
            var successors = RoundTrip($"d1:rd2:id20:{B}5:nodes26:{NodeC}e1:t2:gs1:y1:re");
            AssertContact(Assert.Single(successors.Nodes), IdC, "10.0.0.2", 80);
        }

        [Theory]
        [InlineData(201)] [InlineData(202)] [InlineData(203)] [InlineData(204)]
        [InlineData(301)] [InlineData(302)] [InlineData(303)] [InlineData(304)] [InlineData(305)]
        public void Every_error_code_round_trips(int code)
        {
            var e = RoundTrip($"d1:eli{code}e3:whye1:t2:ee1:y1:ee");
            Assert.Equal(KrpcKind.Error, e.Kind);
            Assert.Equal(code, e.ErrorCode);
            Assert.Equal("why", e.ErrorMessage);
        }

        [Fact]
        public void Unknown_keys_are_ignored_in_the_envelope_the_arguments_and_the_response()
        {
            var q = Decode($"d1:ad2:id20:{A}5:extrai7e6:target20:{K}e1:q17:closest_preceding1:t2:aa1:v4:XY011:y1:q3:zzz0:e");
            Assert.Equal(IdK, q.Target);
            var r = Decode($"d2:ip6:abcdef1:rd2:id20:{B}7:unknownle4:next26:{NodeC}e1:t2:aa1:y1:re");
            Assert.Equal(IdC, r.Next.Id);
        }

        [Theory]
        [InlineData("not bencode at all")]
        [InlineData("d1:t2:xx1:y1:q")]                 // truncated
        [InlineData("li1ei2ee")]                       // not a dictionary
        [InlineData("d1:y1:q1:q4:pinge")]              // no transaction id
        [InlineData("d1:t0:1:y1:qe")]                  // empty transaction id
        [InlineData("d1:t2:xx1:y1:ze")]                // unknown kind
        [InlineData("d1:t2:xx1:y1:r1:rd2:id3:abcee")]  // a response whose id is 3 bytes
        [InlineData("d1:t2:xx1:y1:r1:rd2:id20:bbbbbbbbbbbbbbbbbbbb5:nodes25:aaaaaaaaaaaaaaaaaaaaaaaaaee")] // nodes not a multiple of 26
        [InlineData("d1:t2:xx1:y1:ee")]                // an error without [code, message]
        [InlineData("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:q4:ping1:t2:xx1:y1:qe")] // duplicate key
        public void Unreadable_datagrams_are_dropped_without_an_exception(string wire) => Assert.Null(Decode(wire, KrpcDecodeStatus.Dropped));

        [Fact]
        public void A_datagram_over_1400_bytes_is_dropped()
        {
            string big = new string('x', 1400);
            Decode($"d1:ad2:id20:{A}e1:q4:ping1:t2:xx1:y1:q1:z1400:{big}e", KrpcDecodeStatus.Dropped);
        }

        [Theory]
        [InlineData("d1:ad2:id19:aaaaaaaaaaaaaaaaaaae1:q4:ping1:t2:xx1:y1:qe", "19-byte id")]
        [InlineData("d1:ad2:id21:aaaaaaaaaaaaaaaaaaaaae1:q4:ping1:t2:xx1:y1:qe", "21-byte id")]
        [InlineData("d1:ade1:q4:ping1:t2:xx1:y1:qe", "no id")]
        [InlineData("d1:q4:ping1:t2:xx1:y1:qe", "no arguments")]
        [InlineData("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:t2:xx1:y1:qe", "no method")]
        [InlineData("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:q17:closest_preceding1:t2:xx1:y1:qe", "no target")]
        [InlineData("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaa6:target5:shorte1:q14:find_successor1:t2:xx1:y1:qe", "short target")]
        [InlineData("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaa6:target20:kkkkkkkkkkkkkkkkkkkk3:ttli-1ee1:q14:find_successor1:t2:xx1:y1:qe", "negative ttl")]
        [InlineData("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaa6:target20:kkkkkkkkkkkkkkkkkkkk5:token8:TOKEN123e1:q11:store_value1:t2:xx1:y1:qe", "store without v")]
        [InlineData("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaa6:target20:kkkkkkkkkkkkkkkkkkkk1:vi5ee1:q11:store_value1:t2:xx1:y1:qe", "v not a string")]
        [InlineData("d1:ad4:fromi-3e2:id20:aaaaaaaaaaaaaaaaaaaa6:target20:kkkkkkkkkkkkkkkkkkkke1:q10:get_values1:t2:xx1:y1:qe", "negative from")]
        [InlineData("d1:ad4:from20:bbbbbbbbbbbbbbbbbbbb2:id20:aaaaaaaaaaaaaaaaaaaae1:q8:transfer1:t2:xx1:y1:qe", "transfer without to")]
        [InlineData("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaa4:skip7:notanid6:target20:kkkkkkkkkkkkkkkkkkkke1:q17:closest_preceding1:t2:xx1:y1:qe", "bad skip")]
        public void Queries_with_bad_arguments_are_malformed_and_keep_their_transaction_id_for_the_203(string wire, string why)
        {
            var m = Decode(wire, KrpcDecodeStatus.Malformed);
            Assert.True(Bytes("xx").SequenceEqual(m.TransactionId), why);
        }

        [Fact]
        public void An_unknown_method_is_told_apart_for_the_204()
        {
            var m = Decode($"d1:ad2:id20:{A}e1:q9:find_node1:t2:xx1:y1:qe", KrpcDecodeStatus.UnknownMethod);
            Assert.Equal("find_node", m.Method);
        }

        [Fact]
        public void A_compact_node_is_26_bytes_in_network_order()
        {
            var contact = new ChordContact(IdB, new IPEndPoint(IPAddress.Parse("127.0.0.1"), 6881));
            Assert.Equal(Bytes(NodeB), CompactNode.Encode(contact));
            Assert.Equal(contact, CompactNode.Read(Bytes(NodeB), 0));
            Assert.Null(CompactNode.ReadList(new byte[27]));
            Assert.Throws<ArgumentException>(() => CompactNode.Encode(new ChordContact(IdB, new IPEndPoint(IPAddress.IPv6Loopback, 1))));
        }

        [Fact]
        public void Two_codecs_wired_together_agree_on_every_field()
        {
            var q = KrpcMessage.Query(KrpcMethod.StoreValue, IdA);
            q.TransactionId = new byte[] { 1, 2 };
            q.Target = IdK;
            q.Value = Encoding.UTF8.GetBytes("ünïcödé");
            q.Token = new byte[] { 9, 8, 7, 6, 5, 4, 3, 2 };
            var bytes = KrpcCodec.Encode(q);
            Assert.Equal(KrpcDecodeStatus.Ok, KrpcCodec.Decode(bytes, 0, bytes.Length, out var back, out _));
            Assert.Equal(q.Value, back.Value);
            Assert.Equal(q.Token, back.Token);
            Assert.Equal(q.Target, back.Target);
            Assert.Equal(q.TransactionId, back.TransactionId);
        }

        [Fact]
        public void Random_bytes_never_throw()
        {
            var random = new Random(12);
            var seed = Bytes($"d1:ad2:id20:{A}6:target20:{K}3:ttli31ee1:q14:find_successor1:t2:fs1:y1:qe");
            for (int i = 0; i < 20_000; i++)
            {
                var bytes = (byte[])seed.Clone();
                for (int j = random.Next(1, 6); j > 0; j--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                KrpcCodec.Decode(bytes, 0, random.Next(bytes.Length + 1), out _, out _);
            }
        }
    }
}
