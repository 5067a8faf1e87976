using System;
using System.Linq;
using System.Text;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Chord.Krpc;
using Xunit;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>
    /// A copy that moves keeps its age: transfer answers say how many seconds each value has left ("left"), and the
    /// node that takes them keeps that, so a moved copy expires an hour after its last store, not an hour after the move.
    /// </summary>
    public class ChordValueAgeTests
    {
        static readonly Encoding Latin1 = Encoding.GetEncoding("ISO-8859-1");
        static string L(byte[] bytes) => Latin1.GetString(bytes);

        [Fact]
        public void A_transfer_answer_says_how_long_each_value_has_left()
        {
            var world = ChordWorld.Precomputed(4, 51, ChordWorld.NoMaintenance(replicas: 1));
            var key = ChordId.FromKey("aging");
            var owner = world.OwnerOf(key);
            Assert.True(world.Run(() => owner.StoreAsync("aging", "v")).Succeeded);
            world.RunFor(TimeSpan.FromMinutes(25));
            var raw = new RawKrpcClient(world, "raw");
            // Everything but (owner, owner]'s empty complement: the whole ring, by hand.
            var id = L(owner.Self.Id.ToBytes());
            var answer = raw.Ask(owner, $"d1:ad4:from20:{id}2:id20:{L(raw.HonestId.ToBytes())}2:to20:{id}e1:q8:transfer1:t2:tr1:y1:qe");
            var item = Assert.Single(answer.Items);
            Assert.Equal(key, item.KeyId);
            Assert.Equal(new[] { Encoding.UTF8.GetBytes("v") }, item.Values);
            Assert.InRange(Assert.Single(item.Left), 35 * 60 - 2, 35 * 60);
            // And on the wire: "left" follows "items" in the answer's dictionary, one list per item.
            Assert.Contains($"4:leftlli{item.Left[0]}eee", L(raw.RawAnswers.Last()));
        }

        [Fact]
        public void A_joining_node_keeps_the_age_of_the_copies_it_takes()
        {
            var world = ChordWorld.Precomputed(6, 52, ChordWorld.NoMaintenance(replicas: 1));
            var keys = Enumerable.Range(0, 80).Select(i => "key " + i).ToList();
            foreach (var k in keys) Assert.True(world.Run(() => world.Nodes[0].StoreAsync(k, "v")).Succeeded);
            world.RunFor(TimeSpan.FromMinutes(40));
            var joiner = world.AddNode("joiner");
            world.Run(() => joiner.JoinAsync(world.Nodes[1].Self.EndPoint));
            int taken = joiner.StoredKeyCount;
            Assert.True(taken > 0, "the joiner took no keys");
            world.RunFor(TimeSpan.FromMinutes(18));   // 58 minutes after the store
            Assert.Equal(taken, joiner.StoredKeyCount);
            world.RunFor(TimeSpan.FromMinutes(4));    // 62: an hour after the store, swept
            Assert.Equal(0, joiner.StoredKeyCount);
        }
    }
}
