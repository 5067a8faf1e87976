using System.Linq;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Tracker
{
    /// <summary>
    /// A tracker that makes room by evicting says so with one PeerEvicted event, the same whether the announce that
    /// needed the room came over HTTP or over UDP (BEP 15): before, only HTTP announces emitted it.
    /// </summary>
    public class TrackerEvictionEventTests
    {
        static readonly InfoHash Real = TrackerWorld.Hash(1);

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void An_eviction_made_for_an_announce_emits_PeerEvicted_over_either_transport(bool udp)
        {
            var w = new TrackerWorld(options: new TrackerOptions { MaxPeersPerSwarm = 2 });
            string Url() => udp ? w.Tracker.UdpAnnounceUrl : w.AnnounceUrl;
            var crowd = w.AddHost("crowd");
            w.Announce(crowd, TrackerWorld.Request(Real, "one", 1), Url());
            w.Announce(crowd, TrackerWorld.Request(Real, "two", 2), Url());
            Assert.DoesNotContain(w.Events, e => e.Type == PeerEventTypes.PeerEvicted);   // not full yet

            var newcomer = w.AddHost("newcomer");
            w.Announce(newcomer, TrackerWorld.Request(Real, "newcomer", 3), Url());

            Assert.Equal(1, w.Tracker.EvictedCount);
            var evicted = Assert.Single(w.Events, e => e.Type == PeerEventTypes.PeerEvicted);
            Assert.Equal("Evicted", evicted.Data["Action"]);
            Assert.Equal(crowd.HostAddress, evicted.Data["Address"]);
            Assert.Equal(Real.Hex, evicted.Data["InfoHash"]);
            Assert.False(string.IsNullOrEmpty((string)evicted.Data["Reason"]));
            Assert.StartsWith(newcomer.HostAddress + ":", evicted.Remote);   // the announce that needed the room
        }
    }
}
