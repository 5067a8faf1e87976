using System;
using System.Linq;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>Starting, linking and stopping a servent, and the errors a user sees.</summary>
    public class GnutellaLifecycleTests
    {
        [Fact]
        public void Links_show_as_neighbours_and_a_stopping_servent_says_bye()
        {
            var world = new GnutellaWorld();
            var a = world.Add("a");
            var b = world.Add("b");
            world.Link(a, b);
            Assert.Equal(new[] { world.Address(b).ToString() }, a.Neighbors.ToArray());
            Assert.Equal(new[] { world.Address(a).ToString() }, b.Neighbors.ToArray());
            Assert.Equal("Ultrapeer", a.Role);
            Assert.Equal("Gnutella", a.Protocol);

            world.Run(() => a.StopAsync());
            world.Settle();
            Assert.Equal(0, b.ConnectionCount);
            var closed = world.Events.Single(e => e.Type == PeerEventTypes.ConnectionClosed && e.Node == "b");
            Assert.Contains("Bye 200", closed.Message);
        }

        [Fact]
        public void Searching_without_links_says_how_to_get_some()
        {
            var world = new GnutellaWorld();
            var lonely = world.Add("lonely");
            var ex = Assert.Throws<PeerException>(() => world.Search(lonely, "anything", 3));
            Assert.Equal(PeerErrorIds.Unreachable, ex.ErrorId);
            Assert.Contains("Bootstrap", ex.Message);
        }

        [Fact]
        public void A_servent_that_is_not_running_refuses_to_connect_or_search()
        {
            var world = new GnutellaWorld();
            var host = world.Sim.AddHost("idle");
            var idle = new GnutellaServent(host, "idle", new GnutellaOptions { AutoConnect = false });
            var ex = Assert.Throws<PeerException>(() => world.Run(() => idle.ConnectAsync(new HostPort("10.0.0.9", 6346))));
            Assert.Equal(PeerErrorIds.NodeNotRunning, ex.ErrorId);
            ex = Assert.Throws<PeerException>(() => world.Search(idle, "x", 1));
            Assert.Equal(PeerErrorIds.NodeNotRunning, ex.ErrorId);
        }

        [Fact]
        public void Connecting_to_nobody_is_unreachable()
        {
            var world = new GnutellaWorld();
            var a = world.Add("a");
            var ex = Assert.Throws<PeerException>(() => world.Run(() => a.ConnectAsync(new HostPort("10.0.0.99", 6346))));
            Assert.Equal(PeerErrorIds.Unreachable, ex.ErrorId);
        }
    }
}
