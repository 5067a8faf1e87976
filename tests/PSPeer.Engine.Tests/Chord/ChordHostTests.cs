using System;
using System.Linq;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Chord
{
    /// <summary>Virtual nodes (r ChordNodes per host on consecutive ports) and a pre-computed ring seeded without joins.</summary>
    public class ChordHostTests
    {
        [Fact]
        public void A_host_runs_its_virtual_nodes_on_consecutive_ports_each_with_its_own_id_in_one_ring()
        {
            var world = new ChordWorld(41);
            var options = ChordWorld.Fast();
            options.VirtualNodes = 4;
            var a = new ChordHost(world.Sim.AddHost("a"), "a", 7000, options);
            var b = new ChordHost(world.Sim.AddHost("b"), "b", 7000, options);
            world.Run(() => a.StartAsync());
            world.Run(() => b.JoinAsync(a.VirtualNodes[0].Self.EndPoint));
            world.Nodes.AddRange(a.VirtualNodes);
            world.Nodes.AddRange(b.VirtualNodes);
            Assert.Equal(new[] { 7000, 7001, 7002, 7003 }, a.VirtualNodes.Select(n => n.Self.EndPoint.Port));
            Assert.Equal(new[] { "a", "a/v2", "a/v3", "a/v4" }, a.VirtualNodes.Select(n => n.Name));
            Assert.Equal(8, world.Nodes.Select(n => n.Self.Id).Distinct().Count());
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(2)));
            var result = world.Run(() => b.VirtualNodes[3].LookupAsync("k", ChordLookupMode.Recursive));
            Assert.Equal(world.OwnerOf(ChordId.FromKey("k")).Self.Id, result.Owner.Id);
            world.Run(() => a.LeaveAsync());
            Assert.All(a.VirtualNodes, n => Assert.Equal(NodeState.Stopped, n.State));
            Assert.True(world.RunUntilConverged(TimeSpan.FromMinutes(1)));
        }

        [Fact]
        public void A_pre_computed_ring_answers_lookups_without_any_join_and_without_maintenance()
        {
            var world = new ChordWorld(42, new ChordOptions
            {
                StabilizeInterval = TimeSpan.MaxValue, FixFingersInterval = TimeSpan.MaxValue, CheckPredecessorInterval = TimeSpan.MaxValue,
                RefreshInterval = TimeSpan.MaxValue, RpcTimeout = TimeSpan.FromMilliseconds(300),
            });
            for (int i = 0; i < 64; i++) { var n = world.AddNode(); world.Run(() => n.StartAsync()); }
            var ring = world.Nodes.OrderBy(n => n.Self.Id).ToList();
            ChordContact Owner(ChordId id) => (ring.FirstOrDefault(n => n.Self.Id.CompareTo(id) >= 0) ?? ring[0]).Self;
            for (int i = 0; i < ring.Count; i++)
            {
                var successors = Enumerable.Range(1, 16).Select(k => ring[(i + k) % ring.Count].Self).ToList();
                var fingers = Enumerable.Range(0, ChordId.Bits).Select(b => Owner(ring[i].Self.Id.AddPowerOfTwo(b))).ToList();
                ring[i].SeedRoutingState(ring[(i + ring.Count - 1) % ring.Count].Self, successors, fingers);
            }
            Assert.True(world.Converged());
            Assert.True(world.FingersRight());
            long sent = world.Nodes.Sum(n => n.Counters.DatagramsOut);
            world.RunFor(TimeSpan.FromMinutes(10));
            Assert.Equal(sent, world.Nodes.Sum(n => n.Counters.DatagramsOut)); // no maintenance traffic at all
            var random = new Random(42);
            double hops = 0;
            for (int i = 0; i < 100; i++)
            {
                var result = world.Run(() => world.Nodes[random.Next(64)].LookupAsync("key " + i, i % 2 == 0 ? ChordLookupMode.Iterative : ChordLookupMode.Recursive));
                Assert.True(result.Succeeded, result.Failure);
                Assert.Equal(Owner(ChordId.FromKey("key " + i)).Id, result.Owner.Id);
                hops += result.Hops;
            }
            Assert.InRange(hops / 100, 0.5, 0.5 * Math.Log(64, 2) + 0.5);
        }
    }
}
