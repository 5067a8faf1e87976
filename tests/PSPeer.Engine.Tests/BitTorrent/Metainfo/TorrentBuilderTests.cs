using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;
using PSPeer.Engine.Tests.Content;

namespace PSPeer.Engine.Tests.BitTorrent.Metainfo
{
    public class TorrentBuilderTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
        static readonly DateTimeOffset Date = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

        static MemoryFileStorage NewStorage() => new MemoryFileStorage(() => new DateTime(2024, 1, 1));

        static TorrentBuildOptions Options(int? pieceLength = null, int parallelism = 2) => new TorrentBuildOptions
        {
            PieceLength = pieceLength, Parallelism = parallelism, CreationDate = Date, CreatedBy = "test",
        };

        sealed class RecordingProgress : IProgress<long>
        {
            public readonly List<long> Reports = new List<long>();
            public void Report(long value) { lock (Reports) Reports.Add(value); }
        }

        [Theory]
        [InlineData(1L, 16 * 1024)]
        [InlineData(2000L * 16 * 1024, 16 * 1024)]
        [InlineData(2000L * 16 * 1024 + 1, 32 * 1024)]
        [InlineData(1L << 30, 1024 * 1024)]
        [InlineData(4L << 30, 4 * 1024 * 1024)]
        [InlineData(1L << 40, 16 * 1024 * 1024)]
        public void DefaultPieceLengthKeepsPiecesAtTwoThousandOrFewer(long size, int expected)
        {
            Assert.Equal(expected, TorrentBuilder.DefaultPieceLength(size));
            Assert.True(TorrentBuilder.IsValidPieceLength(expected));
        }

        [Theory]
        [InlineData(0L, false)]
        [InlineData(8192L, false)]
        [InlineData(16384L, true)]
        [InlineData(16384L * 3, false)]
        [InlineData(16L * 1024 * 1024, true)]
        [InlineData(32L * 1024 * 1024, false)]
        public void OnlyPowersOfTwoFrom16KiBTo16MiBAreValid(long length, bool valid)
        {
            Assert.Equal(valid, TorrentBuilder.IsValidPieceLength(length));
        }

        [Fact]
        public async Task SingleFileHashesMatchAndParallelismDoesNotChangeTheResult()
        {
            var storage = NewStorage();
            var content = TempFolder.RandomBytes(1_000_000, 5);
            storage.WriteFile("/data/app.zip", content);

            var progress = new RecordingProgress();
            var one = await TorrentBuilder.CreateAsync(storage, "/data/app.zip", Options(32768, 1), progress, CancellationToken.None).WaitAsync(Timeout);
            var four = await TorrentBuilder.CreateAsync(storage, "/data/app.zip", Options(32768, 4), null, CancellationToken.None).WaitAsync(Timeout);

            Assert.Equal("app.zip", one.Name);
            Assert.False(one.IsMultiFile);
            Assert.Equal(1_000_000, one.TotalSize);
            Assert.Equal(31, one.PieceCount);
            var expected = TorrentBytes.PieceHashes(content, 32768);
            for (int i = 0; i < one.PieceCount; i++) Assert.Equal(expected.Skip(i * 20).Take(20).ToArray(), one.GetPieceHash(i));
            Assert.Equal(one.InfoHash, four.InfoHash);
            Assert.Equal(one.ToBytes(), four.ToBytes());
            Assert.Equal(1_000_000, progress.Reports.Max());
        }

        [Fact]
        public async Task InfoDictionaryHoldsOnlyWhatMktorrentWrites()
        {
            var storage = NewStorage();
            storage.WriteFile("/a.bin", TempFolder.RandomBytes(50_000, 6));
            var options = Options(16384);
            options.Private = true;
            options.Comment = "note";
            options.Trackers = new List<string> { "http://one/announce", "http://two/announce" };
            var t = await TorrentBuilder.CreateAsync(storage, "/a.bin", options, null, CancellationToken.None).WaitAsync(Timeout);

            var info = (BDictionary)Bencode.Decode(t.InfoBytes);
            Assert.Equal(new[] { "length", "name", "piece length", "pieces", "private" }, info.Entries.Select(e => e.Key.Text));
            var root = (BDictionary)Bencode.Decode(t.ToBytes());
            Assert.Equal(new[] { "announce", "announce-list", "comment", "created by", "creation date", "info" }, root.Entries.Select(e => e.Key.Text));
            Assert.True(t.IsPrivate);
            Assert.Equal("note", t.Comment);
            Assert.Equal("test", t.CreatedBy);
            Assert.Equal(Date, t.CreationDate);
            Assert.Equal(new[] { "http://one/announce", "http://two/announce" }, t.Trackers);
            Assert.Equal(2, t.AnnounceList.Count);
        }

        [Fact]
        public async Task OneTrackerWritesNoAnnounceList()
        {
            var storage = NewStorage();
            storage.WriteFile("/a.bin", new byte[10]);
            var options = Options();
            options.Trackers = new List<string> { "http://one/announce" };
            var t = await TorrentBuilder.CreateAsync(storage, "/a.bin", options, null, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal("http://one/announce", t.Announce);
            Assert.Empty(t.AnnounceList);
            Assert.False(((BDictionary)Bencode.Decode(t.ToBytes())).ContainsKey("announce-list"));
        }

        [Fact]
        public async Task FolderFilesAreSortedAndPiecesSpanFileBoundaries()
        {
            var storage = NewStorage();
            var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
            {
                ["b.bin"] = TempFolder.RandomBytes(70_000, 7),
                ["a/z.txt"] = TempFolder.RandomBytes(10_000, 8),
                ["a.txt"] = TempFolder.RandomBytes(5, 9),
                ["empty"] = new byte[0],
                ["B.bin"] = TempFolder.RandomBytes(20_000, 10),
                [".hidden"] = TempFolder.RandomBytes(3, 11),
            };
            foreach (var f in files.Reverse()) storage.WriteFile("/build/" + f.Key, f.Value);

            var t = await TorrentBuilder.CreateAsync(storage, "/build", Options(16384, 3), null, CancellationToken.None).WaitAsync(Timeout);

            Assert.True(t.IsMultiFile);
            Assert.Equal("build", t.Name);
            // Ordinal order, as mktorrent's strcmp: '.' < '/' < uppercase < lowercase.
            Assert.Equal(new[] { ".hidden", "B.bin", "a.txt", "a/z.txt", "b.bin", "empty" }, t.Files.Select(f => f.Path));
            var stream = t.Files.SelectMany(f => files[f.Path]).ToArray();
            Assert.Equal(stream.Length, t.TotalSize);
            var expected = TorrentBytes.PieceHashes(stream, 16384);
            for (int i = 0; i < t.PieceCount; i++) Assert.Equal(expected.Skip(i * 20).Take(20).ToArray(), t.GetPieceHash(i));
        }

        [Fact]
        public async Task ManySmallFilesAcrossReadUnits()
        {
            var storage = NewStorage();
            var all = new List<byte>();
            for (int i = 0; i < 300; i++)
            {
                var bytes = TempFolder.RandomBytes(i * 97 % 5000, i);
                storage.WriteFile("/many/f" + i.ToString("D3"), bytes);
                all.AddRange(bytes);
            }
            var t = await TorrentBuilder.CreateAsync(storage, "/many", Options(16384, 4), null, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(300, t.Files.Count);
            var expected = TorrentBytes.PieceHashes(all.ToArray(), 16384);
            Assert.Equal(expected.Length / 20, t.PieceCount);
            for (int i = 0; i < t.PieceCount; i++) Assert.True(t.CheckPieceHash(i, expected.Skip(i * 20).Take(20).ToArray()), "piece " + i);
        }

        [Fact]
        public async Task PiecesLargerThanAReadChunkAreHashedIncrementally()
        {
            var storage = NewStorage();
            var a = TempFolder.RandomBytes(3_500_000, 12);
            var b = TempFolder.RandomBytes(1_700_000, 13);
            storage.WriteFile("/big/a.bin", a);
            storage.WriteFile("/big/b.bin", b);
            var t = await TorrentBuilder.CreateAsync(storage, "/big", Options(2 * 1024 * 1024, 2), null, CancellationToken.None).WaitAsync(Timeout);
            var expected = TorrentBytes.PieceHashes(a.Concat(b).ToArray(), 2 * 1024 * 1024);
            Assert.Equal(3, t.PieceCount);
            for (int i = 0; i < 3; i++) Assert.Equal(expected.Skip(i * 20).Take(20).ToArray(), t.GetPieceHash(i));
        }

        [Fact]
        public async Task InMemoryCreateGivesTheSameTorrentAsHashingStorage()
        {
            var storage = NewStorage();
            var single = TempFolder.RandomBytes(300_000, 14);
            storage.WriteFile("/s/one.bin", single);
            var files = new Dictionary<string, byte[]>
            {
                ["z.bin"] = TempFolder.RandomBytes(50_000, 15),
                ["a/b.bin"] = TempFolder.RandomBytes(70_001, 16),
                ["empty"] = new byte[0],
            };
            foreach (var f in files) storage.WriteFile("/m/" + f.Key, f.Value);

            var fromDisk = await TorrentBuilder.CreateAsync(storage, "/s/one.bin", Options(16384), null, CancellationToken.None).WaitAsync(Timeout);
            var inMemory = TorrentBuilder.Create("one.bin", single, Options(16384));
            Assert.Equal(fromDisk.ToBytes(), inMemory.ToBytes());

            var folderFromDisk = await TorrentBuilder.CreateAsync(storage, "/m", Options(16384), null, CancellationToken.None).WaitAsync(Timeout);
            var folderInMemory = TorrentBuilder.Create("m", files, Options(16384));
            Assert.Equal(folderFromDisk.ToBytes(), folderInMemory.ToBytes());
            Assert.Equal(new[] { "a/b.bin", "empty", "z.bin" }, folderInMemory.Files.Select(f => f.Path));
        }

        [Fact]
        public void InMemoryCreateReadsNoClock()
        {
            var t = TorrentBuilder.Create("x.bin", new byte[40_000], new TorrentBuildOptions { PieceLength = 16384 });
            Assert.Null(t.CreationDate);
            Assert.Equal(3, t.PieceCount);
            Assert.Equal(t.ToBytes(), TorrentBuilder.Create("x.bin", new byte[40_000], new TorrentBuildOptions { PieceLength = 16384 }).ToBytes());
        }

        [Fact]
        public async Task NameOptionRenamesTheTorrent()
        {
            var storage = NewStorage();
            storage.WriteFile("/x/data.bin", new byte[100]);
            var options = Options();
            options.Name = "renamed.bin";
            var t = await TorrentBuilder.CreateAsync(storage, "/x/data.bin", options, null, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal("renamed.bin", t.Name);
            Assert.Equal("renamed.bin", t.Files[0].Path);
        }

        [Fact]
        public async Task RefusesBadInputWithClearErrors()
        {
            var storage = NewStorage();
            storage.WriteFile("/empty.bin", new byte[0]);
            storage.WriteFile("/ok.bin", new byte[10]);
            storage.WriteFile("/dir/CON.txt", new byte[10]);

            var missing = await Assert.ThrowsAsync<PeerException>(() => TorrentBuilder.CreateAsync(storage, "/nope", Options(), null, CancellationToken.None));
            Assert.Equal(PeerErrorIds.TorrentSourceNotFound, missing.ErrorId);
            var empty = await Assert.ThrowsAsync<PeerException>(() => TorrentBuilder.CreateAsync(storage, "/empty.bin", Options(), null, CancellationToken.None));
            Assert.Equal(PeerErrorIds.InvalidTorrent, empty.ErrorId);
            await Assert.ThrowsAsync<ArgumentException>(() => TorrentBuilder.CreateAsync(storage, "/ok.bin", Options(20000), null, CancellationToken.None));
            var device = await Assert.ThrowsAsync<PeerException>(() => TorrentBuilder.CreateAsync(storage, "/dir", Options(), null, CancellationToken.None));
            Assert.Equal(PeerErrorIds.UnsafeFileName, device.ErrorId);
        }

        [Fact]
        public async Task CancellingStopsHashing()
        {
            var storage = NewStorage();
            storage.WriteFile("/big.bin", new byte[8 * 1024 * 1024]);
            using (var cts = new CancellationTokenSource())
            {
                cts.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TorrentBuilder.CreateAsync(storage, "/big.bin", Options(), null, cts.Token));
            }
        }
    }
}
