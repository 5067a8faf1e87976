using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Content
{
    public class SharedFolderTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
        static readonly DiskStorage Disk = new DiskStorage();

        static ContentHash Sha1Of(byte[] data)
        {
            using (var sha = SHA1.Create()) return new ContentHash(sha.ComputeHash(data));
        }

        [Fact]
        public async Task Scan_hashes_every_file_with_stable_sorted_indexes_and_slash_names()
        {
            using (var dir = new TempFolder())
            {
                var b = TempFolder.RandomBytes(3_000_001, 1);   // spans several 1 MiB reads
                var a = TempFolder.RandomBytes(10, 2);
                var c = new byte[0];
                dir.Write("b.bin", b);
                dir.Write("a/Hey Jude.mp3", a);
                dir.Write("c.txt", c);
                var folder = new SharedFolder(Disk, dir.Path, new HashCache());

                var files = await folder.ScanAsync().WaitAsync(Timeout);

                Assert.Equal(new[] { "a/Hey Jude.mp3", "b.bin", "c.txt" }, files.Select(f => f.Name));
                Assert.Equal(new[] { 0, 1, 2 }, files.Select(f => f.Index));
                Assert.Equal(Sha1Of(a), files[0].ContentHash);
                Assert.Equal(Sha1Of(b), files[1].ContentHash);
                Assert.Equal(Sha1Of(c), files[2].ContentHash);
                Assert.Equal(b.Length, files[1].Size);
                Assert.Same(files[1], folder.GetByIndex(1));
                Assert.Same(files[0], folder.GetByHash(Sha1Of(a)));
                Assert.Null(folder.GetByIndex(3));
                Assert.Null(folder.GetByHash(Sha1Of(new byte[] { 42 })));
            }
        }

        [Fact]
        public async Task Second_scan_reuses_the_cache_and_rehashes_only_changed_files()
        {
            using (var dir = new TempFolder())
            {
                dir.Write("one", TempFolder.RandomBytes(1000, 1));
                string two = dir.Write("two", TempFolder.RandomBytes(1000, 2));
                var cache = new HashCache();
                await new SharedFolder(Disk, dir.Path, cache).ScanAsync().WaitAsync(Timeout);
                Assert.Equal(2, cache.FilesHashed);

                // A new folder object (as after a node restart) over the same cache hashes nothing.
                var again = new SharedFolder(Disk, dir.Path, cache);
                await again.ScanAsync().WaitAsync(Timeout);
                Assert.Equal(2, cache.FilesHashed);
                Assert.Equal(2, cache.Hits);

                // Changing one file (size and time) rehashes that one only and keeps its index.
                var changed = TempFolder.RandomBytes(2000, 3);
                File.WriteAllBytes(two, changed);
                File.SetLastWriteTimeUtc(two, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
                var files = await again.ScanAsync().WaitAsync(Timeout);
                Assert.Equal(3, cache.FilesHashed);
                Assert.Equal(1, again.GetByHash(Sha1Of(changed)).Index);
                Assert.Equal(2, files.Count);
            }
        }

        [Fact]
        public async Task Persisted_cache_survives_a_new_process_and_a_corrupt_file_is_ignored()
        {
            using (var dir = new TempFolder())
            using (var cacheDir = new TempFolder())
            {
                dir.Write("song.mp3", TempFolder.RandomBytes(5000, 7));
                string cacheFile = Path.Combine(cacheDir.Path, "sub", "hashcache.json");

                var first = new HashCache(Disk, cacheFile);
                await new SharedFolder(Disk, dir.Path, first).ScanAsync().WaitAsync(Timeout);
                Assert.True(File.Exists(cacheFile));
                Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(cacheFile), "*.tmp"));

                var second = new HashCache(Disk, cacheFile);   // as a new process would load it
                await new SharedFolder(Disk, dir.Path, second).ScanAsync().WaitAsync(Timeout);
                Assert.Equal(0, second.FilesHashed);
                Assert.Equal(1, second.Hits);

                File.WriteAllText(cacheFile, "{ this is not json");
                var third = new HashCache(Disk, cacheFile);
                var files = await new SharedFolder(Disk, dir.Path, third).ScanAsync().WaitAsync(Timeout);
                Assert.Single(files);
                Assert.Equal(1, third.FilesHashed);
            }
        }

        [Fact]
        public async Task Missing_root_throws_SharedPathNotFound_naming_the_folder()
        {
            string missing = Path.Combine(Path.GetTempPath(), "pspeer-missing-" + Guid.NewGuid().ToString("N"));
            var folder = new SharedFolder(Disk, missing, new HashCache());
            var e = await Assert.ThrowsAsync<PeerException>(() => folder.ScanAsync().WaitAsync(Timeout));
            Assert.Equal(PeerErrorIds.SharedPathNotFound, e.ErrorId);
            Assert.Contains(missing, e.Message);
        }

        [Fact]
        public async Task Add_shares_files_and_folders_once_and_skips_partial_downloads()
        {
            using (var root = new TempFolder())
            using (var other = new TempFolder())
            {
                root.Write("x.bin", TempFolder.RandomBytes(10, 1));
                root.Write(".dl.123" + SharedFolder.PartialSuffix, TempFolder.RandomBytes(10, 9));
                string outside = other.Write("album/track1.mp3", TempFolder.RandomBytes(10, 2));
                other.Write("album/cd2/track2.mp3", TempFolder.RandomBytes(10, 3));
                var folder = new SharedFolder(Disk, root.Path, new HashCache());
                Assert.Single(await folder.ScanAsync().WaitAsync(Timeout));

                var added = await folder.AddAsync(new[] { Path.Combine(other.Path, "album") }).WaitAsync(Timeout);
                Assert.Equal(new[] { "album/cd2/track2.mp3", "album/track1.mp3" }, added.Select(f => f.Name));
                Assert.Equal(new[] { 1, 2 }, added.Select(f => f.Index));

                var again = await folder.AddAsync(new[] { outside, Path.Combine(root.Path, "x.bin") }).WaitAsync(Timeout);
                Assert.Empty(again);
                Assert.Equal(3, folder.Files.Count);

                Assert.True(folder.Remove(folder.GetByIndex(1)));
                Assert.Null(folder.GetByIndex(1));
                Assert.Equal(new[] { 0, 2 }, folder.Files.Select(f => f.Index));

                var e = await Assert.ThrowsAsync<PeerException>(() => folder.AddAsync(new[] { Path.Combine(other.Path, "nope") }).WaitAsync(Timeout));
                Assert.Equal(PeerErrorIds.SharedPathNotFound, e.ErrorId);
            }
        }

        [Fact]
        public async Task A_folder_with_no_root_shares_nothing()
        {
            var folder = new SharedFolder(Disk, null, new HashCache());
            Assert.Empty(await folder.ScanAsync().WaitAsync(Timeout));
            Assert.Null(folder.Root);
        }
    }
}
