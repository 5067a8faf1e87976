using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using PSPeer.Engine.Tests.Content;
using Xunit;

namespace PSPeer.Engine.Tests.BitTorrent.Storage
{
    /// <summary>
    /// A verified piece reaches its files in writes of at most a block (PieceStorage.WriteSlice), even when a piece is
    /// many blocks long or runs across files, and the files still end up byte for byte the torrent's content.
    /// </summary>
    public class PieceStorageWriteSliceTests
    {
        [Fact]
        public async Task Pieces_are_written_in_block_sized_writes_across_files()
        {
            const int pieceLength = 4 * PieceStorage.WriteSlice;
            var t = TestTorrent.MultiFile("album", pieceLength,
                ("a.bin", TempFolder.RandomBytes(pieceLength + 5_000, 1)),
                ("b.bin", TempFolder.RandomBytes(3 * pieceLength - 7_000, 2)));
            var storage = new WriteRecordingStorage(new MemoryFileStorage(() => new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
            using (var pieces = new PieceStorage(storage, t.Metainfo, "/downloads"))
            {
                for (int i = t.Metainfo.PieceCount - 1; i >= 0; i--)
                    Assert.True(await pieces.WritePieceAsync(i, t.Piece(i), 0, CancellationToken.None));
                Assert.True(await pieces.PromoteAsync(CancellationToken.None));
            }

            Assert.NotEmpty(storage.WriteSizes);
            Assert.All(storage.WriteSizes, size => Assert.InRange(size, 1, PieceStorage.WriteSlice));
            Assert.Equal(t.Content.Length, storage.WriteSizes.Sum());
            foreach (var (path, content) in t.Files)
                Assert.Equal(content, ReadAll(storage, storage.Combine(storage.Combine("/downloads", "album"), path)));
        }

        static byte[] ReadAll(IFileStorage storage, string path)
        {
            using (var stream = storage.OpenRead(path))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                return copy.ToArray();
            }
        }

        /// <summary>The storage it wraps, with every write to a stream it opened for writing recorded by size.</summary>
        sealed class WriteRecordingStorage : IFileStorage
        {
            readonly IFileStorage _inner;
            public readonly List<int> WriteSizes = new List<int>();
            public WriteRecordingStorage(IFileStorage inner) { _inner = inner; }

            public Stream OpenReadWrite(string path) => new Recording(_inner.OpenReadWrite(path), WriteSizes);
            public Stream Create(string path) => new Recording(_inner.Create(path), WriteSizes);
            public bool FileExists(string path) => _inner.FileExists(path);
            public bool DirectoryExists(string path) => _inner.DirectoryExists(path);
            public IEnumerable<string> EnumerateFiles(string directory) => _inner.EnumerateFiles(directory);
            public StoredFileInfo GetInfo(string path) => _inner.GetInfo(path);
            public Stream OpenRead(string path) => _inner.OpenRead(path);
            public void Move(string source, string destination, bool overwrite) => _inner.Move(source, destination, overwrite);
            public void Delete(string path) => _inner.Delete(path);
            public void DeleteEmptyDirectories(string path) => _inner.DeleteEmptyDirectories(path);
            public string Combine(string directory, string name) => _inner.Combine(directory, name);
            public string GetFullPath(string path) => _inner.GetFullPath(path);
            public Stream OpenReadUnbuffered(string path) => _inner.OpenReadUnbuffered(path);

            sealed class Recording : Stream
            {
                readonly Stream _inner;
                readonly List<int> _sizes;
                public Recording(Stream inner, List<int> sizes) { _inner = inner; _sizes = sizes; }
                public override void Write(byte[] buffer, int offset, int count) { _sizes.Add(count); _inner.Write(buffer, offset, count); }
                public override void Write(ReadOnlySpan<byte> buffer) { _sizes.Add(buffer.Length); _inner.Write(buffer); }
                public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) { _sizes.Add(count); return _inner.WriteAsync(buffer, offset, count, cancellationToken); }
                public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) { _sizes.Add(buffer.Length); return _inner.WriteAsync(buffer, cancellationToken); }
                public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
                public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
                public override void SetLength(long value) => _inner.SetLength(value);
                public override void Flush() => _inner.Flush();
                public override bool CanRead => _inner.CanRead;
                public override bool CanSeek => _inner.CanSeek;
                public override bool CanWrite => _inner.CanWrite;
                public override long Length => _inner.Length;
                public override long Position { get => _inner.Position; set => _inner.Position = value; }
                protected override void Dispose(bool disposing) { if (disposing) _inner.Dispose(); base.Dispose(disposing); }
            }
        }
    }
}
