using System;
using System.Linq;
using System.Net;
using System.Text;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Chord.Krpc;
using PSPeer.Engine.Chord.Sharing;
using PSPeer.Engine.Tests.Chord.Krpc;
using Xunit;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>
    /// Values are byte strings end to end: a file pointer full of bytes ≥ 0x80, stored with a hand-written store_value,
    /// comes back from the ring and in a get_values datagram byte for byte (not re-encoded as UTF-8 text), and one a
    /// node stores goes over the wire unchanged. The string API is UTF-8 at the edge.
    /// </summary>
    public class ChordValueBytesTests
    {
        static readonly Encoding Latin1 = Encoding.GetEncoding("ISO-8859-1");
        static string L(byte[] bytes) => Latin1.GetString(bytes);

        static ChordWorld Ring(int n, int seed)
        {
            var world = ChordWorld.Ring(n, seed);
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(3)));
            Assert.True(world.RunUntil(world.SuccessorListsRight, TimeSpan.FromMinutes(1)));
            world.RunFor(TimeSpan.FromSeconds(8)); // predecessor chains
            return world;
        }

        /// <summary>The get_values answer <paramref name="owner"/> must send, written out by hand.</summary>
        static byte[] ValuesAnswer(ChordNode owner, string transaction, string valuesLatin1) =>
            Latin1.GetBytes($"d1:rd2:id20:{L(owner.Self.Id.ToBytes())}6:valuesl{valuesLatin1}ee1:t2:{transaction}1:y1:re");

        [Fact]
        public void A_pointer_with_bytes_over_0x7F_stored_by_hand_comes_back_byte_for_byte()
        {
            var world = Ring(6, 31);
            var key = ChordId.FromKey("kw:ça");
            var owner = world.OwnerOf(key);
            var raw = new RawKrpcClient(world, "raw");
            var token = raw.TokenFrom(owner);
            var store = Latin1.GetBytes($"d1:ad2:id20:{L(raw.HonestId.ToBytes())}6:target20:{L(key.ToBytes())}5:token{token.Length}:{L(token)}"
                                        + $"1:v62:{KrpcExtensionTests.Pointer}e1:q11:store_value1:t2:sv1:y1:qe");
            Assert.Equal(KrpcKind.Response, raw.Ask(owner, L(store)).Kind);

            var pointer = KrpcExtensionTests.Bytes(KrpcExtensionTests.Pointer);
            Assert.Equal(pointer, Assert.Single(owner.StoredItems(), i => i.KeyId == key).Values.Single());
            // On the wire: the answer's "values" holds the 62 bytes as they were sent, not their UTF-8 re-encoding.
            raw.Ask(owner, L(Latin1.GetBytes($"d1:ad2:id20:{L(raw.HonestId.ToBytes())}6:target20:{L(key.ToBytes())}e1:q10:get_values1:t2:gv1:y1:qe")));
            Assert.Equal(ValuesAnswer(owner, "gv", "62:" + KrpcExtensionTests.Pointer), raw.RawAnswers.Last());
            // Through another node's lookup: the same bytes, and they read as the pointer.
            var reader = world.Nodes.First(n => n != owner);
            var values = world.Run(() => reader.GetValueBytesAsync("kw:ça"));
            Assert.Equal(pointer, Assert.Single(values));
            Assert.True(ChordFilePointer.TryDecode(values[0], out var p));
            Assert.Equal("Ça.mp3", p.Name);
            Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.200"), 50000), p.HttpServer);
            Assert.Equal(300000, p.Size);
            Assert.Equal(Enumerable.Range(0xEC, 20).Select(b => (byte)b).ToArray(), p.ContentHash.ToByteArray());
        }

        [Fact]
        public void Bytes_a_node_stores_reach_the_holders_unchanged_and_text_is_UTF_8_at_the_edge()
        {
            var world = Ring(6, 32);
            var pointer = KrpcExtensionTests.Bytes(KrpcExtensionTests.Pointer);
            var key = ChordId.FromKey("kw:plane");
            var owner = world.OwnerOf(key);
            var publisher = world.Nodes.First(n => n != owner);
            Assert.True(world.Run(() => publisher.StoreAsync("kw:plane", pointer)).Succeeded);
            var raw = new RawKrpcClient(world, "raw");
            raw.Ask(owner, L(Latin1.GetBytes($"d1:ad2:id20:{L(raw.HonestId.ToBytes())}6:target20:{L(key.ToBytes())}e1:q10:get_values1:t2:gv1:y1:qe")));
            Assert.Equal(ValuesAnswer(owner, "gv", "62:" + KrpcExtensionTests.Pointer), raw.RawAnswers.Last());

            // Text goes in as its UTF-8 bytes ("é" is C3 A9 on the wire) and comes back as the same text.
            Assert.True(world.Run(() => publisher.StoreAsync("text", "café")).Succeeded);
            var textKey = ChordId.FromKey("text");
            var textOwner = world.OwnerOf(textKey);
            raw.Ask(textOwner, L(Latin1.GetBytes($"d1:ad2:id20:{L(raw.HonestId.ToBytes())}6:target20:{L(textKey.ToBytes())}e1:q10:get_values1:t2:gt1:y1:qe")));
            Assert.Equal(ValuesAnswer(textOwner, "gt", "5:caf\u00c3\u00a9"), raw.RawAnswers.Last());
            Assert.Equal(new[] { "café" }, world.Run(() => world.Nodes[0].GetValuesAsync("text")));
        }
    }
}
