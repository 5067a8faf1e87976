using System;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>The swarm on the simulated runtime: virtual time, one seed, exact outcomes.</summary>
    public class SwarmSimulationTests
    {
        [Fact]
        public void A_leecher_downloads_the_whole_file_from_a_seeder()
        {
            var w = new SwarmWorld(seed: 1, size: 300_000, pieceLength: 32 * 1024);
            var seeder = w.Seeder("seed");
            var leecher = w.Leecher("leech");
            Assert.Equal("Seeder", seeder.Role);
            Assert.Equal("Leecher", leecher.Role);
            Assert.True(seeder.IsComplete);
            w.Connect(leecher, "seed");
            w.Run(() => leecher.WhenCompleted(), 30);
            Assert.True(leecher.IsComplete);
            Assert.Equal(w.Content, w.Downloaded("leech"));
            Assert.Equal(w.Torrent.PieceCount, w.Events.Count(e => e.Node == "leech" && e.Type == PeerEventTypes.PieceVerified));
            Assert.Single(w.Events, e => e.Node == "leech" && e.Type == PeerEventTypes.Completed);
            Assert.Contains(w.Events, e => e.Node == "seed" && e.Type == PeerEventTypes.Unchoked);
            Assert.Equal(300_000, seeder.Uploaded);
            w.Run(() => leecher.StopAsync());
            w.Run(() => seeder.StopAsync());
        }
    }
}
