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
        public void A_throwing_hit_callback_fails_its_search_but_not_the_link()
        {
            var world = new GnutellaWorld();
            var a = world.Add("a");
            var b = world.Add("b", files: "song.mp3");
            world.Link(a, b);
            var ex = Assert.Throws<InvalidOperationException>(() => world.Run(() =>
                a.SearchAsync("song", new SearchOptions { Ttl = 1, Timeout = TimeSpan.FromSeconds(2) }, h => throw new InvalidOperationException("boom"))));
            Assert.Equal("boom", ex.Message);
            Assert.Equal(1, a.ConnectionCount);
            Assert.Single(world.Search(a, "song", 1));
        }

        static string[] Trace(int seed)
        {
            var world = new GnutellaWorld(seed);
            var up1 = world.Add("u1");
            var up2 = world.Add("u2");
            var leaf = world.Add("leaf", GnutellaRole.Leaf, o => o.Firewalled = true, "hey jude.mp3");
            world.Link(up1, up2);
            world.Link(leaf, up2);
            world.Settle(2);
            var hit = world.Search(up1, "hey jude", null, max: 1).Single();
            world.Run(() => up1.DownloadAsync(hit, "/downloads", null));
            world.StopAll();
            return world.Events.Select(e => $"{e.Time.Ticks} {e.Node} {e.Type} {e.Remote} {e.Message} | " +
                string.Join(",", e.Data.Select(kv => kv.Key + "=" + kv.Value))).ToArray();
        }

        [Fact]
        public void Same_seed_gives_identical_event_traces()
        {
            var first = Trace(5);
            Assert.Equal(first, Trace(5));
            Assert.Contains(first, line => line.Contains(PeerEventTypes.PushReceived));
            Assert.NotEqual(first, Trace(6));   // the GUIDs come from the seed
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
