using System.Linq;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Networks;
using Xunit;

namespace PSPeer.Engine.Tests.Networks
{
    /// <summary>
    /// A composed network gives each servent the options of its kind (role, the ultrapeer links and leaves the plan gives
    /// it, shares or not), found by that kind without making an options object per node; one object per kind, each
    /// node's values what the plan makes them. ConfigureServent, which may set anything per node, still reaches every node.
    /// </summary>
    public class GnutellaNetworkOptionsByKindTests
    {
        static GnutellaNetwork Build(System.Action<GnutellaOptions> configure = null) =>
            GnutellaNetwork.CreateSimulated(new GnutellaNetworkOptions
            {
                Count = 300, Degree = 4, UltrapeerFraction = 0.3, Seed = 5, SharingFraction = 0.2, ConfigureServent = configure,
            });

        [Fact]
        public void Nodes_of_one_kind_share_one_options_object_and_each_has_its_plans_values()
        {
            using (var net = Build())
            {
                Assert.Equal(0, net.FailedLinks);
                var nodes = net.Nodes;
                foreach (var s in nodes)
                {
                    var o = s.Options;
                    bool ultrapeer = o.Role == GnutellaRole.Ultrapeer;
                    Assert.Equal(s.GnutellaRole == GnutellaRole.Ultrapeer, ultrapeer);
                    // The plan's links are all made: its degree and leaves are those the node holds.
                    if (ultrapeer)
                    {
                        Assert.Equal(s.UltrapeerLinkCount, o.UltrapeerLinkTarget);
                        Assert.Equal(System.Math.Max(32, s.UltrapeerLinkCount + 4), o.MaxUltrapeerLinks);
                        Assert.Equal(System.Math.Max(30, s.LeafLinkCount + 4), o.MaxLeaves);
                    }
                    Assert.Equal(s.SharedFileCount > 0, o.SharedPath != null);
                }
                var kinds = nodes.GroupBy(s => (s.Options.Role, s.Options.UltrapeerLinkTarget, s.Options.MaxLeaves, s.Options.SharedPath)).ToList();
                Assert.True(kinds.Count > 3);
                foreach (var kind in kinds) Assert.Single(kind.Select(s => s.Options).Distinct());
                Assert.Equal(kinds.Count, nodes.Select(s => s.Options).Distinct().Count());
            }
        }

        [Fact]
        public void ConfigureServent_is_asked_for_every_node_and_what_it_sets_per_node_stays_that_nodes()
        {
            int asked = 0;
            using (var net = Build(o => o.QueriesPerSecondPerLink = 10 + asked++ % 3))
            {
                Assert.Equal(300, asked);
                for (int i = 0; i < net.Nodes.Count; i++) Assert.Equal(10 + i % 3, net.Nodes[i].Options.QueriesPerSecondPerLink);
            }
        }
    }
}
