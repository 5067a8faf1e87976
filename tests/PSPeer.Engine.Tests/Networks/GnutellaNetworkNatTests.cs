using System;
using System.Linq;
using PSPeer.Engine.Networks;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Networks
{
    /// <summary>
    /// A simulated network with half its nodes behind NATs: NATed nodes (leaves first) dial out and are firewalled,
    /// their hits carry the push flag and download by Push + GIV; the same seed builds the same network.
    /// </summary>
    public class GnutellaNetworkNatTests
    {
        static GnutellaNetwork Build(int seed, NatKind kind = NatKind.Symmetric) => GnutellaNetwork.CreateSimulated(new GnutellaNetworkOptions
        {
            Count = 60, UltrapeerFraction = 0.3, SharingFraction = 0.5, Seed = seed, NatFraction = 0.5, NatKind = kind,
        });

        [Fact]
        public void Half_the_nodes_sit_behind_NATs_answer_with_the_push_flag_and_deliver_by_push()
        {
            using (var net = Build(3))
            {
                Assert.Equal(30, net.NattedCount);
                Assert.All(Enumerable.Range(0, 60).Where(net.IsBehindNat), i => Assert.False(net.IsUltrapeer(i)));   // 42 leaves: room for all
                Assert.All(Enumerable.Range(0, 60).Where(net.IsBehindNat), i => Assert.StartsWith("172.", net.HostOf(i).HostAddress));
                Assert.Equal(0, net.FailedLinks);
                Assert.All(Enumerable.Range(0, 60).Where(net.IsBehindNat), i => Assert.True(net.Nodes[i].IsFirewalled));
                Assert.All(net.Ultrapeers, i => Assert.False(net.Nodes[i].IsFirewalled));   // every ultrapeer was dialled

                int origin = net.Ultrapeers[0];
                var hits = net.Search(origin, "Hey Jude", ttl: 4);
                // NATed sharers answer with the push flag (and so do public leaves nobody dialled: they cannot know better).
                var pushed = hits.Where(h => h.Source.StartsWith("172.")).ToList();
                Assert.NotEmpty(pushed);
                Assert.All(pushed, h => Assert.True(h.NeedsPush));
                Assert.Contains(hits, h => !h.NeedsPush);
                var result = net.Run(() => net.Nodes[origin].DownloadAsync(pushed[0], "/downloads", null), TimeSpan.FromMinutes(2));
                Assert.True(result.Verified);
            }
        }

        [Fact]
        public void The_same_seed_builds_the_same_NATed_network()
        {
            string Fingerprint(GnutellaNetwork net) => string.Join(";", Enumerable.Range(0, 60).Select(i =>
                $"{net.HostOf(i).HostAddress} {net.Nodes[i].ConnectionCount} {net.Nodes[i].IsFirewalled}")) + " " + net.Simulation.ExecutedWorkItems;
            using (var a = Build(5))
            using (var b = Build(5))
            using (var c = Build(6))
            {
                Assert.Equal(Fingerprint(a), Fingerprint(b));
                Assert.NotEqual(Fingerprint(a), Fingerprint(c));
            }
        }
    }
}
