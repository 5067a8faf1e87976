using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Runtime.Simulated;
using PSPeer.Engine.Tests.Content;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Storage
{
    /// <summary>
    /// The same behaviour on both storages: in memory (as simulations use it; its I/O completes synchronously, so
    /// these tests await it directly) and on disk in a temporary folder.
    /// </summary>
    public abstract class PieceStorageTests
    {
        protected abstract IFileStorage Storage { get; }
        protected abstract string Root { get; }

        protected string PathOf(params string[] parts) => parts.Aggregate(Root, (dir, part) => Storage.Combine(dir, part));

        protected byte[] ReadFile(string path)
        {
            using (var s = Storage.OpenRead(path))
            using (var copy = new MemoryStream())
            {
                s.CopyTo(copy);
                return copy.ToArray();
            }
        }

        protected void WriteFile(string path, byte[] content)
        {
            using (var s = Storage.Create(path)) s.Write(content, 0, content.Length);
        }

        static async Task WriteAll(PieceStorage storage, TestTorrent t, IEnumerable<int> order)
        {
            foreach (int i in order) Assert.True(await storage.WritePieceAsync(i, t.Piece(i), 0, CancellationToken.None));
        }

        protected static async Task Promote(PieceStorage storage) => Assert.True(await storage.PromoteAsync(CancellationToken.None));

        static IEnumerable<int> Scrambled(int count) => Enumerable.Range(0, count).OrderBy(i => (i * 7919) % count);

        [Fact]
        public async Task A_single_file_torrent_is_written_piece_by_piece_in_any_order_including_a_short_last_piece()
        {
            var t = TestTorrent.SingleFile("app.zip", TempFolder.RandomBytes(10_000, 1), pieceLength: 1024);
            Assert.Equal(10, t.Metainfo.PieceCount);
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                Assert.Equal(new[] { Storage.GetFullPath(PathOf("app.zip.pspeer-partial")) }, storage.FilePaths);
                Assert.False(storage.IsComplete);
                await WriteAll(storage, t, Scrambled(10));
                Assert.True(storage.IsComplete);
                Assert.Equal(10_000, storage.BytesVerified);
                Assert.False(Storage.FileExists(PathOf("app.zip")));   // complete, but not moved yet
                await Promote(storage);
                Assert.False(Storage.FileExists(PathOf("app.zip.pspeer-partial")));
                Assert.Equal(Storage.GetFullPath(PathOf("app.zip")), storage.ContentPath);

                var block = new byte[300];
                await storage.ReadAsync(9, 484, block, 0, 300, CancellationToken.None);   // the end of the short last piece (784 bytes)
                Assert.Equal(t.Content.Skip(9 * 1024 + 484), block);
            }
            Assert.Equal(t.Content, ReadFile(PathOf("app.zip")));
        }

        [Fact]
        public async Task A_multi_file_torrent_maps_pieces_across_file_boundaries_and_creates_empty_files()
        {
            var t = TestTorrent.MultiFile("build", 1024,
                ("a.bin", TempFolder.RandomBytes(1000, 2)),
                ("empty.txt", new byte[0]),
                ("sub/b.bin", TempFolder.RandomBytes(2500, 3)),
                ("sub/deeper/c.bin", TempFolder.RandomBytes(1, 4)),
                ("d.bin", TempFolder.RandomBytes(3333, 5)));
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                await WriteAll(storage, t, Scrambled(t.Metainfo.PieceCount));
                Assert.True(storage.IsComplete);
                Assert.True(Storage.DirectoryExists(PathOf("build.pspeer-partial")));
                Assert.False(Storage.DirectoryExists(PathOf("build")));
                await Promote(storage);
                Assert.False(Storage.DirectoryExists(PathOf("build.pspeer-partial")));

                // A block spanning a.bin's end, the empty file, and b.bin's start.
                var block = new byte[100];
                await storage.ReadAsync(0, 950, block, 0, 50, CancellationToken.None);
                await storage.ReadAsync(0, 1000, block, 50, 24, CancellationToken.None);
                Assert.Equal(t.Content.Skip(950).Take(74), block.Take(74));
                // Piece 3 holds the end of b.bin, all of c.bin and the start of d.bin.
                var piece3 = new byte[1024];
                await storage.ReadAsync(3, 0, piece3, 0, 1024, CancellationToken.None);
                Assert.Equal(t.Piece(3), piece3);
            }
            foreach (var (path, content) in t.Files)
                Assert.Equal(content, ReadFile(PathOf(new[] { "build" }.Concat(path.Split('/')).ToArray())));
        }

        [Fact]
        public async Task Files_are_created_at_full_length_on_the_first_write()
        {
            var t = TestTorrent.MultiFile("m", 1024, ("x", TempFolder.RandomBytes(3000, 6)), ("y", TempFolder.RandomBytes(5000, 7)));
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                Assert.False(Storage.FileExists(PathOf("m.pspeer-partial", "x")));   // construction touches nothing
                Assert.True(await storage.WritePieceAsync(0, t.Piece(0), 0, CancellationToken.None));
                Assert.Equal(3000, Storage.GetInfo(PathOf("m.pspeer-partial", "x")).Length);
                Assert.False(Storage.FileExists(PathOf("m.pspeer-partial", "y")));   // no piece written there yet
                Assert.True(await storage.WritePieceAsync(7, t.Piece(7), 0, CancellationToken.None));
                Assert.Equal(5000, Storage.GetInfo(PathOf("m.pspeer-partial", "y")).Length);
                Assert.False(Storage.FileExists(PathOf("m", "x")));   // nothing under the final name until complete
                Assert.Equal(2, storage.Have.SetCount);
            }
        }

        [Fact]
        public async Task A_piece_failing_its_hash_is_rejected_and_nothing_is_written()
        {
            var t = TestTorrent.SingleFile("f.bin", TempFolder.RandomBytes(4096, 8), 1024);
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                var bad = t.Piece(2);
                bad[100] ^= 1;
                Assert.False(await storage.WritePieceAsync(2, bad, 0, CancellationToken.None));
                Assert.False(storage.Have[2]);
                Assert.Equal(0, storage.BytesVerified);
                Assert.False(Storage.FileExists(PathOf("f.bin")));

                // A good piece given at an offset inside a larger buffer is accepted.
                var padded = new byte[5].Concat(t.Piece(2)).ToArray();
                Assert.True(await storage.WritePieceAsync(2, padded, 5, CancellationToken.None));
                Assert.True(storage.Have[2]);
                Assert.Equal(1024, storage.BytesVerified);
                await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => storage.WritePieceAsync(4, t.Piece(0), 0, CancellationToken.None));
                await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => storage.WritePieceAsync(1, new byte[1000], 0, CancellationToken.None));
            }
        }

        [Fact]
        public async Task Reads_of_pieces_not_verified_or_outside_a_piece_are_refused()
        {
            var t = TestTorrent.SingleFile("f.bin", TempFolder.RandomBytes(2500, 9), 1024);
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                await WriteAll(storage, t, new[] { 0 });
                var buffer = new byte[2048];
                await Assert.ThrowsAsync<PeerWireException>(() => storage.ReadAsync(1, 0, buffer, 0, 16, CancellationToken.None));
                await Assert.ThrowsAsync<PeerWireException>(() => storage.ReadAsync(3, 0, buffer, 0, 16, CancellationToken.None));
                await Assert.ThrowsAsync<PeerWireException>(() => storage.ReadAsync(-1, 0, buffer, 0, 16, CancellationToken.None));
                await Assert.ThrowsAsync<PeerWireException>(() => storage.ReadAsync(0, 1000, buffer, 0, 25, CancellationToken.None));
                await Assert.ThrowsAsync<PeerWireException>(() => storage.ReadAsync(0, -1, buffer, 0, 16, CancellationToken.None));
                await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => storage.ReadAsync(0, 0, buffer, 2040, 16, CancellationToken.None));
                await storage.ReadAsync(0, 1000, buffer, 0, 24, CancellationToken.None);
                Assert.Equal(t.Content.Skip(1000).Take(24), buffer.Take(24));
            }
        }

        [Fact]
        public async Task TryReadBlock_serves_a_seeder_s_blocks_across_files_without_waiting_and_refuses_what_ReadAsync_refuses()
        {
            var t = TestTorrent.MultiFile("seedme", 1024,
                ("a.bin", TempFolder.RandomBytes(1000, 21)), ("empty.txt", new byte[0]), ("sub/b.bin", TempFolder.RandomBytes(2500, 22)));
            foreach (var (path, content) in t.Files) WriteFile(PathOf(new[] { "seedme" }.Concat(path.Split('/')).ToArray()), content);
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                Assert.True((await storage.CheckExistingAsync(null, CancellationToken.None)).AllSet);   // a seeder's data, used in place
                var block = new byte[1100];
                // Bytes 950..1074 span a.bin's end, the empty file and b.bin's start; read twice, so the second read
                // reuses the readers the first gave back.
                for (int round = 0; round < 2; round++)
                {
                    Assert.True(storage.TryReadBlock(0, 950, block, 3, 74));
                    Assert.Equal(t.Content.Skip(950).Take(74), block.Skip(3).Take(74));
                }
                Assert.True(storage.TryReadBlock(3, 0, block, 0, t.Metainfo.GetPieceSize(3)));
                Assert.Equal(t.Piece(3), block.Take(t.Metainfo.GetPieceSize(3)));
                Assert.Throws<PeerWireException>(() => storage.TryReadBlock(4, 0, block, 0, 16));       // no such piece
                Assert.Throws<PeerWireException>(() => storage.TryReadBlock(0, 1000, block, 0, 25));    // past the piece's end
                Assert.Throws<ArgumentOutOfRangeException>(() => storage.TryReadBlock(0, 0, block, 1090, 16));
            }
        }

        [Fact]
        public async Task TryReadBlock_on_a_download_reads_verified_pieces_and_says_busy_while_a_write_holds_the_file()
        {
            var t = TestTorrent.SingleFile("dl.bin", TempFolder.RandomBytes(4096, 23), 1024);
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                await WriteAll(storage, t, new[] { 2 });
                var block = new byte[100];
                Assert.Throws<PeerWireException>(() => storage.TryReadBlock(1, 0, block, 0, 16));   // not verified here
                Assert.True(storage.TryReadBlock(2, 10, block, 0, 100));   // the file is open for writing: read through it
                Assert.Equal(t.Content.Skip(2 * 1024 + 10).Take(100), block);
                await WriteAll(storage, t, new[] { 0 });   // written after a read: the next read still sees every verified piece
                Assert.True(storage.TryReadBlock(0, 0, block, 0, 100));
                Assert.Equal(t.Content.Take(100), block);
            }
        }

        [Fact]
        public async Task Blocks_served_from_a_resumed_file_stay_right_after_more_pieces_are_written_into_it()
        {
            // A resumed download serves its verified piece through a reader of its own (nobody writes the file yet), then
            // writes the next piece into the same file: reads after that must see it (a simulated file's reader is a
            // snapshot, so opening the file for writing retires the readers).
            var t = TestTorrent.SingleFile("grow.bin", TempFolder.RandomBytes(4096, 24), 1024);
            var partial = new byte[4096];
            Array.Copy(t.Content, partial, 1024);
            WriteFile(PathOf("grow.bin.pspeer-partial"), partial);
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                Assert.Equal(1, (await storage.CheckExistingAsync(null, CancellationToken.None)).SetCount);
                var block = new byte[1024];
                Assert.True(storage.TryReadBlock(0, 0, block, 0, 1024));
                Assert.Equal(t.Piece(0), block);
                await WriteAll(storage, t, new[] { 1 });
                Assert.True(storage.TryReadBlock(1, 0, block, 0, 1024));
                Assert.Equal(t.Piece(1), block);
                await WriteAll(storage, t, new[] { 2, 3 });
                await Promote(storage);
                for (int piece = 0; piece < 4; piece++)
                {
                    Assert.True(storage.TryReadBlock(piece, 0, block, 0, 1024));
                    Assert.Equal(t.Piece(piece), block);
                }
            }
        }

        [Fact]
        public async Task A_restarted_download_resumes_from_the_verified_pieces_on_disk()
        {
            var t = TestTorrent.MultiFile("r", 1000, ("one", TempFolder.RandomBytes(2600, 10)), ("two", TempFolder.RandomBytes(2400, 11)));
            using (var first = new PieceStorage(Storage, t.Metainfo, Root))
                await WriteAll(first, t, new[] { 0, 2, 4 });

            using (var second = new PieceStorage(Storage, t.Metainfo, Root))
            {
                var reports = new List<int>();
                var have = await second.CheckExistingAsync(new SyncProgress(reports), CancellationToken.None);
                Assert.Equal(new[] { 0, 2, 4 }, Enumerable.Range(0, 5).Where(i => have[i]));
                Assert.Equal(new[] { 0, 2, 4 }, Enumerable.Range(0, 5).Where(i => second.Have[i]));
                Assert.Equal(new[] { 1, 2, 3, 4, 5 }, reports);
                Assert.Equal(3000, second.BytesVerified);
                await WriteAll(second, t, new[] { 3, 1 });
                Assert.True(second.IsComplete);
                await Promote(second);
            }
            Assert.Equal(t.Files[0].content, ReadFile(PathOf("r", "one")));
            Assert.Equal(t.Files[1].content, ReadFile(PathOf("r", "two")));
        }

        [Fact]
        public async Task Checking_existing_data_finds_corrupt_pieces_and_treats_missing_or_short_files_as_missing()
        {
            var t = TestTorrent.MultiFile("c", 1000,
                ("a", TempFolder.RandomBytes(3000, 12)), ("b", TempFolder.RandomBytes(2000, 13)), ("c", TempFolder.RandomBytes(2500, 14)));
            var corruptA = (byte[])t.Files[0].content.Clone();
            corruptA[1500] ^= 0xFF;                                             // piece 1
            WriteFile(PathOf("c.pspeer-partial", "a"), corruptA);
            WriteFile(PathOf("c.pspeer-partial", "b"), t.Files[1].content.Take(1500).ToArray());   // short: piece 3 is whole in it, piece 4 is not
            // "c" missing: pieces 5, 6, 7

            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                var have = await storage.CheckExistingAsync(null, CancellationToken.None);
                Assert.Equal(new[] { 0, 2, 3 }, Enumerable.Range(0, t.Metainfo.PieceCount).Where(i => have[i]));
                Assert.False(Storage.FileExists(PathOf("c.pspeer-partial", "c")));   // checking writes nothing

                // Repair: the missing pieces complete the download, the short file grows and is never truncated.
                await WriteAll(storage, t, new[] { 1, 4, 5, 6, 7 });
                Assert.True(storage.IsComplete);
                await Promote(storage);
            }
            Assert.Equal(t.Files[0].content, ReadFile(PathOf("c", "a")));
            Assert.Equal(t.Files[1].content, ReadFile(PathOf("c", "b")));
            Assert.Equal(t.Files[2].content, ReadFile(PathOf("c", "c")));
        }

        [Fact]
        public async Task A_complete_seed_is_verified_and_served()
        {
            var t = TestTorrent.SingleFile("seed.iso", TempFolder.RandomBytes(70_000, 15), 16384);
            WriteFile(PathOf("seed.iso"), t.Content);
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                await storage.CheckExistingAsync(null, CancellationToken.None);
                Assert.True(storage.IsComplete);
                Assert.Equal(70_000, storage.BytesVerified);
                var block = new byte[BitTorrentConstants.BlockSize];
                await storage.ReadAsync(2, 0, block, 0, block.Length, CancellationToken.None);
                Assert.Equal(t.Piece(2), block);
            }
        }

        [Fact]
        public async Task An_interrupted_download_leaves_nothing_under_the_final_name_and_resumes_from_the_partial()
        {
            var t = TestTorrent.SingleFile("big.iso", TempFolder.RandomBytes(8192, 21), 1024);
            using (var first = new PieceStorage(Storage, t.Metainfo, Root))
            {
                await WriteAll(first, t, new[] { 7, 1 });
                await Assert.ThrowsAsync<InvalidOperationException>(() => first.PromoteAsync(CancellationToken.None));
                // The verified pieces of a partial download are served (a leecher seeds what it has).
                var block = new byte[1024];
                await first.ReadAsync(7, 0, block, 0, 1024, CancellationToken.None);
                Assert.Equal(t.Piece(7), block);
            }
            Assert.False(Storage.FileExists(PathOf("big.iso")));   // no full-size sparse file under the final name
            Assert.Equal(8192, Storage.GetInfo(PathOf("big.iso.pspeer-partial")).Length);

            using (var second = new PieceStorage(Storage, t.Metainfo, Root))
            {
                var have = await second.CheckExistingAsync(null, CancellationToken.None);
                Assert.Equal(new[] { 1, 7 }, Enumerable.Range(0, 8).Where(i => have[i]));
                await WriteAll(second, t, new[] { 0, 2, 3, 4, 5, 6 });
                await Promote(second);
            }
            Assert.Equal(t.Content, ReadFile(PathOf("big.iso")));
            Assert.False(Storage.FileExists(PathOf("big.iso.pspeer-partial")));
        }

        [Fact]
        public async Task A_file_it_did_not_write_is_never_replaced_unless_asked()
        {
            var t = TestTorrent.SingleFile("notes.txt", TempFolder.RandomBytes(3000, 22), 1024);
            var mine = TempFolder.RandomBytes(100, 23);
            WriteFile(PathOf("notes.txt"), mine);
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                await storage.CheckExistingAsync(null, CancellationToken.None);
                Assert.Equal(0, storage.Have.SetCount);
                await WriteAll(storage, t, Enumerable.Range(0, 3));
                Assert.False(await storage.PromoteAsync(CancellationToken.None));
                Assert.Equal(Storage.GetFullPath(PathOf("notes.txt.pspeer-partial")), storage.ContentPath);
                var block = new byte[100];
                await storage.ReadAsync(2, 0, block, 0, 100, CancellationToken.None);   // still served from the partial
                Assert.Equal(t.Piece(2).Take(100), block);
            }
            Assert.Equal(mine, ReadFile(PathOf("notes.txt")));

            // Same size, other content, replaceExisting: left alone while downloading, replaced once verified.
            var sameSize = TempFolder.RandomBytes(3000, 24);
            WriteFile(PathOf("notes.txt"), sameSize);
            Storage.Delete(PathOf("notes.txt.pspeer-partial"));
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root, replaceExisting: true))
            {
                await storage.CheckExistingAsync(null, CancellationToken.None);
                Assert.False(storage.IsAtFinalPath);
                await WriteAll(storage, t, Enumerable.Range(0, 3));
                Assert.Equal(sameSize, ReadFile(PathOf("notes.txt")));
                await Promote(storage);
            }
            Assert.Equal(t.Content, ReadFile(PathOf("notes.txt")));
        }

        [Fact]
        public async Task A_file_of_the_same_name_and_size_that_is_not_the_content_is_never_written_to()
        {
            var t = TestTorrent.SingleFile("disk.img", TempFolder.RandomBytes(4096, 25), 1024);
            var mine = (byte[])t.Content.Clone();
            mine[2000] ^= 0xFF;   // one piece differs: maybe a damaged copy, maybe the user's own file; either way not ours to change
            WriteFile(PathOf("disk.img"), mine);
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                await storage.CheckExistingAsync(null, CancellationToken.None);
                Assert.False(storage.IsAtFinalPath);
                Assert.Equal(Storage.GetFullPath(PathOf("disk.img.pspeer-partial")), storage.ContentPath);
                await WriteAll(storage, t, Enumerable.Range(0, 4));
                Assert.False(await storage.PromoteAsync(CancellationToken.None));
            }
            Assert.Equal(mine, ReadFile(PathOf("disk.img")));
            Assert.Equal(t.Content, ReadFile(PathOf("disk.img.pspeer-partial")));
        }

        [Fact]
        public void The_directory_must_hold_every_file()
        {
            Assert.True(PieceStorage.IsInside("/data", "/data/x"));
            Assert.True(PieceStorage.IsInside("/data/", "/data/x"));
            Assert.True(PieceStorage.IsInside(@"C:\data", @"C:\data\x"));
            Assert.False(PieceStorage.IsInside("/data", "/data"));
            Assert.False(PieceStorage.IsInside("/data", "/database/x"));
            Assert.False(PieceStorage.IsInside("/data", "/etc/passwd"));
        }
    }

    /// <summary>IProgress that records synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class SyncProgress : IProgress<int>
    {
        readonly List<int> _reports;
        public SyncProgress(List<int> reports) => _reports = reports;
        public void Report(int value) => _reports.Add(value);
    }

    public sealed class MemoryPieceStorageTests : PieceStorageTests
    {
        readonly MemoryFileStorage _storage = new MemoryFileStorage(() => new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        protected override IFileStorage Storage => _storage;
        protected override string Root => "/downloads";

        [Fact]
        public void Storage_works_on_a_simulated_host_s_loop()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 4 });
            var host = sim.AddHost("leecher");
            var t = TestTorrent.MultiFile("sim", 16384, ("a", TempFolder.RandomBytes(40_000, 16)), ("b", TempFolder.RandomBytes(30_000, 17)));
            bool complete = sim.Run(async () =>
            {
                using (var storage = new PieceStorage(host.Storage, t.Metainfo, "/dl"))
                {
                    var writes = Enumerable.Range(0, t.Metainfo.PieceCount).Select(i => storage.WritePieceAsync(i, t.Piece(i), 0, CancellationToken.None));
                    Assert.All(await Task.WhenAll(writes), Assert.True);
                    return storage.IsComplete && await storage.PromoteAsync(CancellationToken.None);
                }
            }, TimeSpan.FromSeconds(10));
            Assert.True(complete);
            Assert.Equal(t.Files[1].content, host.MemoryStorage.ReadAllBytes("/dl/sim/b"));
            Assert.False(host.MemoryStorage.DirectoryExists("/dl/sim.pspeer-partial"));
        }
    }

    public sealed class DiskPieceStorageTests : PieceStorageTests, IDisposable
    {
        readonly TempFolder _folder = new TempFolder();
        readonly DiskStorage _storage = new DiskStorage();
        protected override IFileStorage Storage => _storage;
        protected override string Root => _folder.Path;

        public void Dispose() => _folder.Dispose();

        [Fact]
        public async Task Pieces_written_and_read_from_many_threads_at_once_land_intact()
        {
            var t = TestTorrent.MultiFile("par", 4096,
                ("a", TempFolder.RandomBytes(50_000, 18)), ("b", TempFolder.RandomBytes(3, 19)), ("c", TempFolder.RandomBytes(70_001, 20)));
            using (var storage = new PieceStorage(Storage, t.Metainfo, Root))
            {
                var writes = Enumerable.Range(0, t.Metainfo.PieceCount)
                    .Select(i => Task.Run(() => storage.WritePieceAsync(i, t.Piece(i), 0, CancellationToken.None)));
                Assert.All(await Task.WhenAll(writes), Assert.True);
                Assert.True(storage.IsComplete);
                await Promote(storage);

                var reads = Enumerable.Range(0, t.Metainfo.PieceCount).Select(i => Task.Run(async () =>
                {
                    var piece = new byte[t.Metainfo.GetPieceSize(i)];
                    await storage.ReadAsync(i, 0, piece, 0, piece.Length, CancellationToken.None);
                    return piece.SequenceEqual(t.Piece(i));
                }));
                Assert.All(await Task.WhenAll(reads), Assert.True);
            }
            Assert.Equal(t.Files[2].content, ReadFile(PathOf("par", "c")));
        }
    }
}
