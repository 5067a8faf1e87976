using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Chord.Sharing;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Chord.Sharing
{
    /// <summary>
    /// File sharing over a simulated ring, end to end: the keyword pointers are stored as their exact bencoded bytes
    /// (a name beyond ASCII), a search intersects them, and the download goes through the HTTP download every searching
    /// system shares (DownloadStarted, DownloadProgress, DownloadVerified).
    /// </summary>
    public class ChordFileSharingTests
    {
        const string Song = "Ça plane pour moi.mp3";

        [Fact]
        public void A_file_shared_on_the_ring_is_found_and_downloaded_with_the_shared_download_events()
        {
            var world = ChordWorld.Precomputed(5, 71, ChordWorld.NoMaintenance());
            var content = Enumerable.Range(0, 40_000).Select(i => (byte)(i * 7)).ToArray();
            world.Hosts[1].MemoryStorage.WriteFile("/share/" + Song, content);
            var holder = new ChordFileSharing(world.Nodes[1], "/share");
            world.Run(() => holder.StartAsync());

            // The pointer at kw:plane is the pointer's own bytes (Ç travels as C3 87, once).
            var stored = world.OwnerOf(ChordId.FromKey("kw:plane")).StoredItems().Single(i => i.KeyId == ChordId.FromKey("kw:plane")).Values.Single();
            Assert.True(ChordFilePointer.TryDecode(stored, out var pointer));
            Assert.Equal(pointer.Encode(), stored);
            Assert.Equal(Song, pointer.Name);
            Assert.Equal(ContentHash.Compute(content), pointer.ContentHash);

            var searcher = new ChordFileSharing(world.Nodes[3], null);
            var events = new List<PeerEvent>();
            searcher.Events.Subscribe(events.Add);
            var hits = new List<SearchHit>();
            world.Run(() => searcher.SearchAsync("plane pour moi", new SearchOptions(), hits.Add));
            var hit = Assert.Single(hits);
            Assert.Equal(Song, hit.Name);
            Assert.Equal(pointer.Source, hit.Source);

            var result = world.Run(() => searcher.DownloadAsync(hit, "/downloads", null));
            Assert.Equal(content, world.Hosts[3].MemoryStorage.ReadAllBytes(result.Path));
            var types = events.Select(e => e.Type).Where(t => t.StartsWith("Download", StringComparison.Ordinal)).ToList();
            Assert.Equal(PeerEventTypes.DownloadStarted, types.First());
            Assert.Contains(PeerEventTypes.DownloadProgress, types);
            Assert.Equal(PeerEventTypes.DownloadVerified, types.Last());
        }
    }
}
