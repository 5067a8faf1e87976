using System;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// Knowing whether we are reachable, across a simulated NAT: a servent behind a port-restricted NAT (what Linux
    /// masquerade does) is never reached, answers with the push flag, and its file arrives by Push + GIV; a public
    /// servent is not firewalled once a peer from outside has connected in; a servent nobody reaches says so.
    /// </summary>
    public class GnutellaReachabilityTests
    {
        const string FileName = "home movie.avi";

        static void Detect(GnutellaOptions o) => o.DetectFirewall = true;

        [Fact]
        public void A_servent_behind_a_NAT_answers_with_the_push_flag_and_its_file_arrives_by_push_and_giv()
        {
            var world = new GnutellaWorld();
            var nat = world.Sim.AddNat("home-router", NatKind.PortRestricted);
            var searcher = world.Add("searcher", configure: Detect);
            var home = world.AddBehind(nat, "home", GnutellaRole.Leaf, Detect, FileName);
            Assert.True(searcher.IsFirewalled);   // nobody has reached it yet
            world.Link(home, searcher);            // the leaf dials out through its NAT
            world.Settle(2);

            Assert.True(searcher.ReachedFromOutside);
            Assert.False(searcher.IsFirewalled);
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.ReachedFromOutside && e.Node == "searcher" && e.Remote.StartsWith(nat.PublicAddress + ":"));
            Assert.True(home.IsFirewalled);

            var hit = Assert.Single(world.Search(searcher, "movie", 2));
            Assert.True(hit.NeedsPush);
            // Push is really needed: the address in the hit is private, and the NAT's public address has no way in.
            var direct = Assert.Throws<PeerException>(() => world.Run(() => world.Hosts[searcher].Transport.ConnectAsync(world.Hosts[home].HostAddress, GnutellaWorld.Port)));
            Assert.Contains("private address", direct.Message);
            var inbound = Assert.Throws<PeerException>(() => world.Run(() => world.Hosts[searcher].Transport.ConnectAsync(nat.PublicAddress, GnutellaWorld.Port)));
            Assert.Equal(PeerErrorIds.Unreachable, inbound.ErrorId);

            var result = world.Run(() => searcher.DownloadAsync(hit, "/downloads", null));
            Assert.True(result.Verified);
            Assert.Equal(world.Hosts[home].MemoryStorage.ReadAllBytes("/share/" + FileName), world.Hosts[searcher].MemoryStorage.ReadAllBytes(result.Path));
            Assert.Contains(world.Events, e => e.Type == PeerEventTypes.PushReceived && e.Node == "home");
            Assert.True(nat.MappingCount >= 2);   // the link and the GIV connection went out through it
        }

        [Fact]
        public void Without_detection_a_servent_behind_a_NAT_that_claims_reachability_cannot_be_downloaded_from()
        {
            // The control: the same network, but the servent does not detect and answers without the push flag.
            var world = new GnutellaWorld();
            var nat = world.Sim.AddNat("home-router", NatKind.PortRestricted);
            var searcher = world.Add("searcher");
            var home = world.AddBehind(nat, "home", GnutellaRole.Leaf, null, FileName);
            world.Link(home, searcher);
            world.Settle(2);
            var hit = Assert.Single(world.Search(searcher, "movie", 2));
            Assert.False(hit.NeedsPush);
            var e = Assert.ThrowsAny<Exception>(() => world.Run(() => searcher.DownloadAsync(hit, "/downloads", null)));
            Assert.Contains("private address", e.Message);
        }

        [Fact]
        public void A_servent_nobody_reaches_says_so_once_after_the_check_time()
        {
            var world = new GnutellaWorld();
            var nat = world.Sim.AddNat("home-router", NatKind.Symmetric);
            var up = world.Add("up");
            var started = world.Sim.Elapsed;
            var home = world.AddBehind(nat, "home", GnutellaRole.Ultrapeer, o => { o.DetectFirewall = true; o.ReachabilityCheckAfter = TimeSpan.FromSeconds(30); });
            var reached = world.Add("reached", configure: o => o.ReachabilityCheckAfter = TimeSpan.FromSeconds(30));
            world.Link(home, up);
            world.Link(up, reached);
            world.Sim.RunFor(started + TimeSpan.FromSeconds(29) - world.Sim.Elapsed);
            Assert.DoesNotContain(world.Events, e => e.Type == PeerEventTypes.NotReachedFromOutside);
            world.Sim.RunFor(TimeSpan.FromSeconds(60));
            var said = Assert.Single(world.Events, e => e.Type == PeerEventTypes.NotReachedFromOutside);
            Assert.Equal("home", said.Node);
            Assert.Contains("-ExternalAddress", said.Message);
            Assert.True(home.IsFirewalled);
            Assert.True(reached.ReachedFromOutside);
        }

        [Fact]
        public void A_public_servent_that_only_dials_out_stays_firewalled_under_detection()
        {
            var world = new GnutellaWorld();
            var up = world.Add("up");
            var leaf = world.Add("leaf", GnutellaRole.Leaf, Detect, FileName);
            world.Link(leaf, up);
            world.Settle(2);
            Assert.True(leaf.IsFirewalled);
            Assert.True(Assert.Single(world.Search(up, "movie", 2)).NeedsPush);
        }
    }
}
