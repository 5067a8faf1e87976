using System;
using System.Linq;
using System.Text;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>A leecher's data lives under "&lt;name&gt;.pspeer-partial" until complete, and never replaces a file it did not write.</summary>
    public class SwarmPartialNameTests
    {
        const string Final = "/dl/file.bin";
        const string Partial = "/dl/file.bin.pspeer-partial";

        [Fact]
        public void A_download_stays_under_its_partial_name_until_complete_and_then_moves()
        {
            var w = new SwarmWorld(seed: 41, size: 400_000, pieceLength: 32 * 1024);
            w.Seeder("seed", new SwarmOptions { UploadLimitBytesPerSecond = 100_000 });
            var leecher = w.Leecher("leech");
            w.Connect(leecher, "seed");
            w.Sim.RunFor(TimeSpan.FromSeconds(2));
            var storage = w.Host("leech").MemoryStorage;
            Assert.InRange(leecher.Progress, 0.01, 0.99);
            Assert.False(storage.FileExists(Final));               // interrupted now, nothing would sit under the final name
            Assert.True(storage.FileExists(Partial));
            Assert.Equal(Partial, leecher.ContentPath);

            w.Run(() => leecher.WhenCompleted());
            Assert.Equal(w.Content, w.Downloaded("leech"));
            Assert.False(storage.FileExists(Partial));
            Assert.True(leecher.IsAtFinalPath);
            Assert.DoesNotContain(w.Events, e => e.Type == PeerEventTypes.FinalNameTaken);
        }

        [Fact]
        public void A_partial_download_seeds_its_verified_pieces_and_a_restart_resumes_from_it()
        {
            var w = new SwarmWorld(seed: 42, size: 8 * 32 * 1024, pieceLength: 32 * 1024);
            var partial = new byte[w.Content.Length];
            Buffer.BlockCopy(w.Content, 0, partial, 0, 4 * 32 * 1024);   // the first half verified, the rest zeros
            w.Host("half").MemoryStorage.WriteFile(Partial, partial);
            var half = w.Leecher("half");
            Assert.Equal(4, half.Have.SetCount);
            // Another leecher gets the verified half from the partial download.
            var other = w.Leecher("other", new SwarmOptions { Port = 6882 });
            w.Run(() => other.AddPeerAsync(new HostPort(w.Hosts["half"].HostAddress, SwarmWorld.PeerPort)));
            w.Sim.RunFor(TimeSpan.FromSeconds(5));
            Assert.Equal(4, other.Have.SetCount);

            w.Seeder("seed");
            w.Connect(half, "seed");
            w.Run(() => half.WhenCompleted());
            Assert.Equal(w.Content, w.Downloaded("half"));
            Assert.False(w.Host("half").MemoryStorage.FileExists(Partial));
        }

        [Fact]
        public void A_file_in_the_way_is_left_alone_and_the_completed_data_stays_partial_with_an_event()
        {
            var w = new SwarmWorld(seed: 43, size: 200_000, pieceLength: 32 * 1024);
            var mine = Encoding.UTF8.GetBytes("the user's own file.bin");
            w.Host("leech").MemoryStorage.WriteFile(Final, mine);
            w.Seeder("seed");
            var leecher = w.Leecher("leech");
            w.Connect(leecher, "seed");
            w.Run(() => leecher.WhenCompleted());
            var storage = w.Host("leech").MemoryStorage;
            Assert.Equal(mine, storage.ReadAllBytes(Final));
            Assert.Equal(w.Content, storage.ReadAllBytes(Partial));
            Assert.False(leecher.IsAtFinalPath);
            var e = Assert.Single(w.Events, x => x.Type == PeerEventTypes.FinalNameTaken);
            Assert.Equal(Partial, e["PartialPath"]);
        }

        [Fact]
        public void A_file_of_the_same_name_and_size_is_not_repaired_in_place_but_left_alone()
        {
            var w = new SwarmWorld(seed: 45, size: 200_000, pieceLength: 32 * 1024);
            var mine = new byte[200_000];
            new Random(46).NextBytes(mine);
            w.Host("leech").MemoryStorage.WriteFile(Final, mine);   // same size, other content: the user's, not a download
            w.Seeder("seed");
            var leecher = w.Leecher("leech");
            Assert.Equal(Partial, leecher.ContentPath);
            w.Connect(leecher, "seed");
            w.Run(() => leecher.WhenCompleted());
            var storage = w.Host("leech").MemoryStorage;
            Assert.Equal(mine, storage.ReadAllBytes(Final));
            Assert.Equal(w.Content, storage.ReadAllBytes(Partial));
            Assert.Single(w.Events, x => x.Type == PeerEventTypes.FinalNameTaken);
        }

        [Fact]
        public void With_ReplaceExisting_the_verified_download_replaces_the_file()
        {
            var w = new SwarmWorld(seed: 44, size: 200_000, pieceLength: 32 * 1024);
            w.Host("leech").MemoryStorage.WriteFile(Final, new byte[200_000]);   // same size, other content
            w.Seeder("seed");
            var leecher = w.Leecher("leech", new SwarmOptions { ReplaceExisting = true });
            Assert.Equal(0, leecher.Have.SetCount);
            w.Connect(leecher, "seed");
            w.Run(() => leecher.WhenCompleted());
            Assert.Equal(w.Content, w.Downloaded("leech"));
            Assert.False(w.Host("leech").MemoryStorage.FileExists(Partial));
        }
    }
}
