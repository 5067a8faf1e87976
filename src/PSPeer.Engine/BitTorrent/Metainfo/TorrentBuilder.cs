using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Creates a v1 torrent for a file or a folder. The info dictionary holds exactly what mktorrent writes (length or
    /// files, name, piece length, pieces, and private only when asked), encoded canonically, so the same content, name
    /// and piece length give the same info-hash as mktorrent.
    /// </summary>
    /// <remarks>
    /// CreateAsync is a local tool, not node code: it runs outside any simulation, so it hashes on thread-pool workers
    /// (Task.Run) to use every core and stamps the wall-clock time when no creation date is given. Files are still read
    /// through IFileStorage. Inside a simulation use the synchronous in-memory <see cref="Create(string, byte[], TorrentBuildOptions)"/>.
    /// </remarks>
    public static class TorrentBuilder
    {
        public const int MinPieceLength = 16 * 1024;
        public const int MaxPieceLength = 16 * 1024 * 1024;

        /// <summary>The most pieces the default piece length aims for.</summary>
        public const int TargetMaxPieces = 2000;

        /// <summary>Bytes of whole pieces a worker claims at once.</summary>
        const int ClaimUnitBytes = 4 * 1024 * 1024;

        /// <summary>Largest single read: big enough for few system calls, small enough to stay in the CPU cache for SHA-1.</summary>
        const int ReadChunkBytes = 1024 * 1024;

        /// <summary>
        /// The smallest power of two from 16 KiB to 16 MiB that keeps the torrent at <see cref="TargetMaxPieces"/> pieces
        /// or fewer: small pieces spread through a swarm sooner, fewer pieces keep the .torrent small (20 bytes each).
        /// Up to 31.25 MiB -> 16 KiB, 1 GiB -> 1 MiB, 4 GiB -> 4 MiB, 32 GiB and more -> 16 MiB.
        /// </summary>
        public static int DefaultPieceLength(long totalSize)
        {
            long length = MinPieceLength;
            while (length < MaxPieceLength && (totalSize + length - 1) / length > TargetMaxPieces) length *= 2;
            return (int)length;
        }

        /// <summary>True for a power of two from 16 KiB to 16 MiB.</summary>
        public static bool IsValidPieceLength(long length) =>
            length >= MinPieceLength && length <= MaxPieceLength && (length & (length - 1)) == 0;

        /// <summary>
        /// Hashes a file or a folder (files sorted by their '/'-separated relative path, ordinal) and returns the torrent.
        /// Reports the running total of bytes hashed. Cancelling stops the workers and throws OperationCanceledException.
        /// Throws PeerException(TorrentSourceNotFound) when the path does not exist, ArgumentException for a bad piece length,
        /// PeerException(InvalidTorrent) when there is nothing to hash, PeerException(UnsafeFileName) for a file name a
        /// torrent must not carry (device names, ':' ...).
        /// </summary>
        public static async Task<TorrentMetainfo> CreateAsync(IFileStorage storage, string path, TorrentBuildOptions options,
            IProgress<long> bytesHashed, CancellationToken ct)
        {
            if (storage == null) throw new ArgumentNullException(nameof(storage));
            if (string.IsNullOrEmpty(path)) throw new ArgumentException("A file or folder path is required.", nameof(path));
            options = options ?? new TorrentBuildOptions();
            if (options.PieceLength.HasValue && !IsValidPieceLength(options.PieceLength.Value))
                throw new ArgumentException("Piece length " + options.PieceLength.Value + " is not a power of two from 16 KiB to 16 MiB.", nameof(options));
            var creationDate = options.CreationDate ?? DateTimeOffset.UtcNow;

            var content = ListContent(storage, path, options.Name);
            long total = content.Sum(f => f.Length);
            if (total == 0)
                throw new PeerException(PeerErrorIds.InvalidTorrent, "'" + path + "' holds no data; a torrent needs at least one byte to share.");
            int pieceLength = options.PieceLength ?? DefaultPieceLength(total);
            int pieceCount = checked((int)((total + pieceLength - 1) / pieceLength));

            var pieces = await HashPiecesAsync(storage, content, total, pieceLength, pieceCount, Math.Max(1, options.Parallelism), bytesHashed, ct);

            return Assemble(content, pieceLength, pieces, options, options.IncludeCreationDate ? creationDate : (DateTimeOffset?)null);
        }

        /// <summary>
        /// Builds a single-file torrent from bytes in memory, synchronously on the calling thread: for tests and
        /// simulations (no Task.Run, no clock: a creation date is written only when options.CreationDate is set).
        /// </summary>
        public static TorrentMetainfo Create(string name, byte[] content, TorrentBuildOptions options = null)
        {
            if (content == null) throw new ArgumentNullException(nameof(content));
            var c = new Content { Name = name ?? throw new ArgumentNullException(nameof(name)) };
            c.Add(new ContentFile { RelativePath = name, Length = content.Length, Data = content });
            return CreateInMemory(c, options);
        }

        /// <summary>
        /// Builds a multi-file torrent named <paramref name="name"/> from in-memory files keyed by '/'-separated relative
        /// path (sorted ordinally, as the folder builder and mktorrent do), synchronously; see the single-file overload.
        /// </summary>
        public static TorrentMetainfo Create(string name, IEnumerable<KeyValuePair<string, byte[]>> files, TorrentBuildOptions options = null)
        {
            if (files == null) throw new ArgumentNullException(nameof(files));
            var c = new Content { Name = name ?? throw new ArgumentNullException(nameof(name)), IsFolder = true };
            foreach (var f in files) c.Add(new ContentFile { RelativePath = f.Key, Length = f.Value.Length, Data = f.Value });
            c.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
            return CreateInMemory(c, options);
        }

        static TorrentMetainfo CreateInMemory(Content content, TorrentBuildOptions options)
        {
            options = options ?? new TorrentBuildOptions();
            if (options.PieceLength.HasValue && !IsValidPieceLength(options.PieceLength.Value))
                throw new ArgumentException("Piece length " + options.PieceLength.Value + " is not a power of two from 16 KiB to 16 MiB.", nameof(options));
            long total = 0;
            foreach (var f in content) { f.Offset = total; total += f.Length; }
            if (total == 0) throw new PeerException(PeerErrorIds.InvalidTorrent, "'" + content.Name + "' holds no data; a torrent needs at least one byte to share.");
            int pieceLength = options.PieceLength ?? DefaultPieceLength(total);
            int pieceCount = checked((int)((total + pieceLength - 1) / pieceLength));
            var pieces = new byte[pieceCount * 20L];
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1))
            {
                int piece = 0;
                long inPiece = 0;
                foreach (var file in content)
                {
                    int at = 0;
                    while (at < file.Data.Length)
                    {
                        int n = (int)Math.Min(file.Data.Length - at, pieceLength - inPiece);
                        sha.AppendData(file.Data, at, n);
                        at += n;
                        inPiece += n;
                        if (inPiece == pieceLength)
                        {
                            Buffer.BlockCopy(sha.GetHashAndReset(), 0, pieces, piece++ * 20, 20);
                            inPiece = 0;
                        }
                    }
                }
                if (inPiece > 0) Buffer.BlockCopy(sha.GetHashAndReset(), 0, pieces, piece * 20, 20);
            }
            return Assemble(content, pieceLength, pieces, options, options.CreationDate);
        }

        /// <summary>The metainfo dictionary: info keys exactly as mktorrent writes them, outer keys as BEP 3 and 12 name them.</summary>
        static TorrentMetainfo Assemble(Content content, int pieceLength, byte[] pieces, TorrentBuildOptions options, DateTimeOffset? creationDate)
        {
            var info = new BDictionary();
            info["name"] = new BString(content.Name);
            info["piece length"] = new BInteger(pieceLength);
            info["pieces"] = new BString(pieces);
            if (options.Private) info["private"] = new BInteger(1);
            if (content.IsFolder)
            {
                var files = new BList();
                foreach (var file in content)
                {
                    var entry = new BDictionary();
                    entry["length"] = new BInteger(file.Length);
                    entry["path"] = new BList(file.RelativePath.Split('/').Select(s => (BValue)new BString(s)));
                    files.Add(entry);
                }
                info["files"] = files;
            }
            else info["length"] = new BInteger(content[0].Length);

            var root = new BDictionary();
            var trackers = (options.Trackers ?? new List<string>()).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList();
            if (trackers.Count > 0) root["announce"] = new BString(trackers[0]);
            if (trackers.Count > 1)
                root["announce-list"] = new BList(trackers.Select(t => (BValue)new BList { new BString(t) }));
            if (!string.IsNullOrEmpty(options.Comment)) root["comment"] = new BString(options.Comment);
            if (!string.IsNullOrEmpty(options.CreatedBy)) root["created by"] = new BString(options.CreatedBy);
            if (creationDate.HasValue) root["creation date"] = new BInteger(creationDate.Value.ToUnixTimeSeconds());
            root["info"] = info;

            // Parsing what we wrote checks it by the same rules as any other torrent (names, sizes, piece count).
            return TorrentMetainfo.Parse(Bencode.Encode(root));
        }

        sealed class ContentFile
        {
            public string FullPath;
            public string RelativePath;
            public long Length;
            public long Offset;
            public byte[] Data;   // in-memory builds only
        }

        sealed class Content : List<ContentFile>
        {
            public string Name;
            public bool IsFolder;
        }

        static Content ListContent(IFileStorage storage, string path, string name)
        {
            var content = new Content();
            if (storage.FileExists(path))
            {
                var full = storage.GetFullPath(path);
                content.Name = name ?? LastSegment(full);
                content.Add(new ContentFile { FullPath = full, RelativePath = content.Name, Length = storage.GetInfo(full).Length });
            }
            else if (storage.DirectoryExists(path))
            {
                var root = storage.GetFullPath(path).TrimEnd('/', Path.DirectorySeparatorChar);
                content.Name = name ?? LastSegment(root);
                content.IsFolder = true;
                foreach (var file in storage.EnumerateFiles(path))
                {
                    var full = storage.GetFullPath(file);
                    var relative = full.Substring(root.Length).TrimStart('/', Path.DirectorySeparatorChar);
                    if (Path.DirectorySeparatorChar != '/') relative = relative.Replace(Path.DirectorySeparatorChar, '/');
                    content.Add(new ContentFile { FullPath = full, RelativePath = relative, Length = storage.GetInfo(full).Length });
                }
                // mktorrent keeps its file list sorted with strcmp on the path: ordinal byte order of UTF-8, which
                // ordinal UTF-16 order matches except for characters outside the BMP (rare in file names).
                content.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
            }
            else
            {
                throw new PeerException(PeerErrorIds.TorrentSourceNotFound, "'" + path + "' is neither a file nor a folder. Check the path.");
            }
            if (string.IsNullOrEmpty(content.Name))
                throw new PeerException(PeerErrorIds.InvalidTorrent, "'" + path + "' has no name to give the torrent; pass a name.");
            long offset = 0;
            foreach (var file in content)
            {
                file.Offset = offset;
                offset += file.Length;
            }
            return content;
        }

        static string LastSegment(string fullPath)
        {
            var trimmed = fullPath.TrimEnd('/', Path.DirectorySeparatorChar);
            int cut = Math.Max(trimmed.LastIndexOf('/'), trimmed.LastIndexOf(Path.DirectorySeparatorChar));
            return cut >= 0 ? trimmed.Substring(cut + 1) : trimmed;
        }

        /// <summary>
        /// Splits the byte stream into units of whole pieces (about 4 MiB) that workers claim one after another, so
        /// all cores stay busy to the end. A worker reads its unit sequentially, in chunks of at most 1 MiB that it
        /// hashes right away: the chunk is still in the CPU cache when SHA-1 reads it, and a 16 MiB piece needs no
        /// 16 MiB buffer. Reading on one worker overlaps hashing on another.
        /// </summary>
        static async Task<byte[]> HashPiecesAsync(IFileStorage storage, Content content, long total, int pieceLength,
            int pieceCount, int parallelism, IProgress<long> progress, CancellationToken ct)
        {
            var hashes = new byte[pieceCount * 20L];
            int piecesPerUnit = Math.Max(1, ClaimUnitBytes / pieceLength);
            int unitCount = (pieceCount + piecesPerUnit - 1) / piecesPerUnit;
            int chunkSize = Math.Min(pieceLength, ReadChunkBytes);
            int nextUnit = -1;
            long hashed = 0;
            int workers = Math.Min(parallelism, unitCount);

            void Work()
            {
                var buffer = new byte[(int)Math.Min(chunkSize, total)];
                using (var reader = new ContentReader(storage, content))
                using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1))
                {
                    int unit;
                    while ((unit = Interlocked.Increment(ref nextUnit)) < unitCount)
                    {
                        ct.ThrowIfCancellationRequested();
                        int firstPiece = unit * piecesPerUnit;
                        int lastPiece = Math.Min(pieceCount, firstPiece + piecesPerUnit);
                        long unitBytes = 0;
                        for (int p = firstPiece; p < lastPiece; p++)
                        {
                            long position = (long)p * pieceLength;
                            long left = Math.Min(pieceLength, total - position);
                            unitBytes += left;
                            while (left > 0)
                            {
                                int n = (int)Math.Min(buffer.Length, left);
                                reader.Read(position, buffer, n);
                                sha.AppendData(buffer, 0, n);
                                position += n;
                                left -= n;
                            }
                            Buffer.BlockCopy(sha.GetHashAndReset(), 0, hashes, p * 20, 20);
                        }
                        progress?.Report(Interlocked.Add(ref hashed, unitBytes));
                    }
                }
            }

            var tasks = new Task[workers];
            for (int i = 0; i < workers; i++) tasks[i] = Task.Run((Action)Work, ct);
            await Task.WhenAll(tasks);
            return hashes;
        }

        /// <summary>Reads a range of the torrent's byte stream, keeping the current file open between calls.</summary>
        sealed class ContentReader : IDisposable
        {
            readonly IFileStorage _storage;
            readonly Content _content;
            int _openIndex = -1;
            Stream _open;

            public ContentReader(IFileStorage storage, Content content)
            {
                _storage = storage;
                _content = content;
            }

            public void Read(long start, byte[] buffer, int count)
            {
                int filled = 0;
                int index = FindFile(start);
                while (filled < count)
                {
                    var file = _content[index];
                    long inFile = start + filled - file.Offset;
                    int want = (int)Math.Min(count - filled, file.Length - inFile);
                    if (want > 0)
                    {
                        var stream = Open(index);
                        if (stream.Position != inFile) stream.Position = inFile;
                        int got = 0;
                        while (got < want)
                        {
                            int n = stream.Read(buffer, filled + got, want - got);
                            if (n <= 0)
                                throw new IOException("'" + file.FullPath + "' became shorter while it was being hashed; try again when it no longer changes.");
                            got += n;
                        }
                        filled += want;
                    }
                    index++;
                }
            }

            /// <summary>The first file holding the byte at <paramref name="offset"/>; file ends never decrease, so binary search.</summary>
            int FindFile(long offset)
            {
                int lo = 0, hi = _content.Count - 1;
                while (lo < hi)
                {
                    int mid = (lo + hi) / 2;
                    if (_content[mid].Offset + _content[mid].Length > offset) hi = mid;
                    else lo = mid + 1;
                }
                return lo;
            }

            Stream Open(int index)
            {
                if (_openIndex == index) return _open;
                _open?.Dispose();
                _open = null;
                _open = _storage.OpenRead(_content[index].FullPath);
                _openIndex = index;
                return _open;
            }

            public void Dispose()
            {
                _open?.Dispose();
                _open = null;
            }
        }
    }
}
