using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// A torrent's pieces on storage. Pieces map onto the file list in order (a piece may span several files; zero-length
    /// files hold none): a single-file torrent is directory/&lt;Name&gt;, a multi-file one directory/&lt;Name&gt;/&lt;Path&gt;.
    /// A piece counts (Have) only after its SHA-1 matched: WritePieceAsync hashes before writing anything, ReadAsync
    /// serves only verified pieces, CheckExistingAsync hashes what is already on disk so a download resumes.
    /// <para>Partial name: a torrent whose content is not already at its final name is written under
    /// directory/&lt;Name&gt;.pspeer-partial (a file, or a folder for a multi-file torrent), served from there piece by
    /// verified piece, and moved to its final name by <see cref="PromoteAsync"/> once every piece is verified; an
    /// interrupted download never leaves a full-size sparse file under the final name, and resumes from the partial.
    /// Content already at its final name that verifies whole (a seeder's data) is used in place; anything else there is
    /// left untouched.</para>
    /// <para>Thread-safe: live connections write and read pieces concurrently. File streams stay open, one operation
    /// per file at a time. Have changes only under this object's lock; other threads may read its bits.</para>
    /// </summary>
    public sealed class PieceStorage : IDisposable
    {
        [ThreadStatic] static SHA1 t_sha1;

        readonly IFileStorage _storage;
        readonly StorageFile[] _files;   // in torrent order, zero-length files included
        readonly object _gate = new object();
        long _bytesVerified;
        bool _emptyFilesCreated;
        volatile bool _disposed;

        /// <summary>
        /// Maps the torrent onto <paramref name="directory"/>. Throws PeerException(UnsafeFileName) when a file would land
        /// outside it (the metainfo refuses such names already; this is the second line of defence). Touches no file.
        /// </summary>
        public PieceStorage(IFileStorage storage, TorrentMetainfo torrent, string directory)
            : this(storage, torrent, directory, replaceExisting: false)
        {
        }

        /// <param name="replaceExisting">
        /// Either way, content at the final name is used in place only when every piece of it verifies; anything else
        /// there (a file of the same name and size that is not this content, or a damaged copy) is never written to,
        /// and the download goes under the partial name. False: <see cref="PromoteAsync"/> never replaces a file, so a
        /// completed download stays under its partial name. True: the verified download replaces what is there.
        /// </param>
        public PieceStorage(IFileStorage storage, TorrentMetainfo torrent, string directory, bool replaceExisting)
        {
            _replaceExisting = replaceExisting;
            _storage = storage ?? throw new ArgumentNullException(nameof(storage));
            Torrent = torrent ?? throw new ArgumentNullException(nameof(torrent));
            if (string.IsNullOrEmpty(directory)) throw new ArgumentException("A directory is required.", nameof(directory));
            Directory = storage.GetFullPath(directory);
            Have = new Bitfield(torrent.PieceCount);

            _files = new StorageFile[torrent.Files.Count];
            _finalPaths = new string[_files.Length];
            _partialPaths = new string[_files.Length];
            FinalPath = storage.GetFullPath(storage.Combine(Directory, torrent.Name));
            PartialPath = storage.GetFullPath(storage.Combine(Directory, torrent.Name + PartialSuffix));
            for (int i = 0; i < _files.Length; i++)
            {
                var file = torrent.Files[i];
                _finalPaths[i] = Resolve(storage, FinalPath, file);
                _partialPaths[i] = Resolve(storage, PartialPath, file);
            }
            _atFinal = !PartialExists() && FinalLooksComplete();
            for (int i = 0; i < _files.Length; i++)
                _files[i] = new StorageFile(_atFinal ? _finalPaths[i] : _partialPaths[i], torrent.Files[i].Offset, torrent.Files[i].Length);
        }

        /// <summary>What a torrent's content is called while it is incomplete: "&lt;Name&gt;.pspeer-partial".</summary>
        public const string PartialSuffix = SharedFolder.PartialSuffix;

        readonly bool _replaceExisting;
        readonly string[] _finalPaths;
        readonly string[] _partialPaths;
        volatile bool _atFinal;

        /// <summary>directory/&lt;Name&gt;: where the content lives once complete (the file, or the torrent's folder).</summary>
        public string FinalPath { get; }

        /// <summary>directory/&lt;Name&gt;.pspeer-partial: where the content lives until every piece is verified.</summary>
        public string PartialPath { get; }

        /// <summary>Whether the content is at its final name (it was there at the start, or it was promoted).</summary>
        public bool IsAtFinalPath => _atFinal;

        /// <summary>Where the content is now: <see cref="FinalPath"/> or <see cref="PartialPath"/>.</summary>
        public string ContentPath => _atFinal ? FinalPath : PartialPath;

        string Resolve(IFileStorage storage, string top, TorrentFile file)
        {
            string full = storage.GetFullPath(Torrent.IsMultiFile ? storage.Combine(top, file.Path) : top);
            if (!IsInside(Directory, full))
                throw new PeerException(PeerErrorIds.UnsafeFileName,
                    $"The torrent's file '{file.Path}' would be written outside '{Directory}'. Use a torrent whose file names are relative paths without '..'.");
            return full;
        }

        bool PartialExists() => Torrent.IsMultiFile ? _storage.DirectoryExists(PartialPath) : _storage.FileExists(PartialPath);

        // Every file at its final name at its full length: a seeder's data (or a copy made earlier), used in place.
        bool FinalLooksComplete()
        {
            for (int i = 0; i < _finalPaths.Length; i++)
                if (!_storage.FileExists(_finalPaths[i]) || _storage.GetInfo(_finalPaths[i]).Length != Torrent.Files[i].Length) return false;
            return true;
        }

        /// <summary>
        /// Moves the complete, verified content from its partial name to its final name (at once when it is there
        /// already) and from then on reads from there. False when a file is in the way and the storage does not
        /// replace existing files: nothing moved, the content stays (and is served) under the partial name.
        /// InvalidOperationException when pieces are missing.
        /// </summary>
        public async Task<bool> PromoteAsync(CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            if (_atFinal) return true;
            lock (_gate)
            {
                if (!Have.AllSet) throw new InvalidOperationException($"{Torrent.Name} is not complete: {Have.SetCount} of {Torrent.PieceCount} pieces verified.");
            }
            if (!_replaceExisting && FinalIsTaken()) return false;
            int held = 0;
            try
            {
                // Every file's lock: no read or write may use a stream while its file moves.
                for (; held < _files.Length; held++) await _files[held].Lock.WaitAsync(cancellationToken);
                ThrowIfDisposed();
                for (int i = 0; i < _files.Length; i++)
                {
                    _files[i].Relocate(_partialPaths[i]);
                    if (_storage.FileExists(_partialPaths[i])) _storage.Move(_partialPaths[i], _finalPaths[i], overwrite: _replaceExisting);
                    else if (_files[i].Length == 0) _storage.OpenReadWrite(_finalPaths[i]).Dispose();
                    _files[i].Relocate(_finalPaths[i]);
                }
                if (Torrent.IsMultiFile) _storage.DeleteEmptyDirectories(PartialPath);
                _atFinal = true;
                return true;
            }
            finally
            {
                for (int i = 0; i < held; i++) Release(_files[i]);
            }
        }

        /// <summary>
        /// Whether content is at the final name and every piece of it verifies (the download is already there). Hashes
        /// what is there; touches nothing and changes no state of this storage's download.
        /// </summary>
        public async Task<bool> FinalHoldsContentAsync(CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            if (!FinalLooksComplete()) return false;
            using (var probe = new PieceStorage(_storage, Torrent, Directory, _replaceExisting))
            {
                for (int i = 0; i < probe._files.Length; i++) probe._files[i].Relocate(_finalPaths[i]);
                probe._atFinal = true;
                return (await probe.CheckHereAsync(null, cancellationToken)).AllSet;
            }
        }

        /// <summary>Whether a file (or, for a single-file torrent, a folder) already holds a name the content would move to.</summary>
        public bool IsFinalNameTaken() => FinalIsTaken();

        // A file (or a single-file torrent's name taken by a folder) where the content would go.
        bool FinalIsTaken()
        {
            if (!Torrent.IsMultiFile) return _storage.FileExists(FinalPath) || _storage.DirectoryExists(FinalPath);
            if (_storage.FileExists(FinalPath)) return true;
            foreach (var path in _finalPaths)
                if (_storage.FileExists(path) || _storage.DirectoryExists(path)) return true;
            return false;
        }

        public TorrentMetainfo Torrent { get; }

        /// <summary>The full path of the directory the torrent's files are in.</summary>
        public string Directory { get; }

        /// <summary>Full paths of the torrent's files, in torrent order.</summary>
        public IReadOnlyList<string> FilePaths
        {
            get
            {
                var paths = new string[_files.Length];
                for (int i = 0; i < paths.Length; i++) paths[i] = _files[i].FullPath;
                return paths;
            }
        }

        /// <summary>Verified pieces. The same instance for the storage's life; changed only by this object.</summary>
        public Bitfield Have { get; }

        public bool IsComplete
        {
            get { lock (_gate) return Have.AllSet; }
        }

        /// <summary>Bytes in verified pieces.</summary>
        public long BytesVerified => Interlocked.Read(ref _bytesVerified);

        /// <summary>
        /// Hashes the pieces already on storage and sets Have to exactly those that match (a missing or short file makes
        /// the pieces it should hold missing, without reading them). Call before serving or downloading. Reads the next
        /// piece while hashing the current one. Cancelling stops between pieces, leaving Have as it was.
        /// </summary>
        /// <param name="piecesChecked">Receives the number of pieces checked so far, after each piece.</param>
        public async Task<Bitfield> CheckExistingAsync(IProgress<int> piecesChecked, CancellationToken cancellationToken)
        {
            ThrowIfDisposed();
            var found = await CheckHereAsync(piecesChecked, cancellationToken);
            PiecesMatchingAtFinalName = _atFinal ? found.SetCount : 0;
            if (_atFinal && !found.AllSet)
            {
                // What sits at the final name is not (all) this torrent's content: a file of the same name and size may
                // be the user's own, so it is never written to; the download goes beside it, under the partial name.
                for (int i = 0; i < _files.Length; i++) _files[i].Relocate(_partialPaths[i]);
                _atFinal = false;
                found = await CheckHereAsync(piecesChecked, cancellationToken);
            }
            lock (_gate)
            {
                long verified = 0;
                for (int i = 0; i < found.Count; i++)
                {
                    Have.Set(i, found[i]);
                    if (found[i]) verified += Torrent.GetPieceSize(i);
                }
                Interlocked.Exchange(ref _bytesVerified, verified);
                return Have.Clone();
            }
        }

        /// <summary>
        /// How many pieces of the content at the final name matched at the last <see cref="CheckExistingAsync"/> (0 when
        /// nothing complete-looking was there). Content that does not match whole is not used, so Have does not count them;
        /// this says how close a seeder's files came.
        /// </summary>
        public int PiecesMatchingAtFinalName { get; private set; }

        async Task<Bitfield> CheckHereAsync(IProgress<int> piecesChecked, CancellationToken cancellationToken)
        {
            var onDisk = new long[_files.Length];
            for (int i = 0; i < _files.Length; i++)
                onDisk[i] = _storage.FileExists(_files[i].FullPath) ? _storage.GetInfo(_files[i].FullPath).Length : -1;
            CreateEmptyFiles(onDisk);

            var found = new Bitfield(Torrent.PieceCount);
            if (Torrent.PieceCount > 0)
            {
                var current = new byte[Torrent.PieceLength];
                var next = new byte[Torrent.PieceLength];
                var reading = ReadForCheckAsync(0, current, onDisk, cancellationToken);
                for (int piece = 0; piece < Torrent.PieceCount; piece++)
                {
                    bool present = await reading;
                    cancellationToken.ThrowIfCancellationRequested();
                    if (piece + 1 < Torrent.PieceCount) reading = ReadForCheckAsync(piece + 1, next, onDisk, cancellationToken);
                    int size = Torrent.GetPieceSize(piece);
                    if (present && Torrent.CheckPieceHash(piece, Sha1(current, 0, size))) found.Set(piece);
                    piecesChecked?.Report(piece + 1);
                    var swap = current; current = next; next = swap;
                }
            }
            return found;
        }

        /// <summary>
        /// A verified piece goes to its file in writes of at most this many bytes: a block's size, as libtorrent writes.
        /// On the 2-core VM of issue 13, a 1 GiB leech that wrote whole pieces (256 KiB) spent 2.4-3.5 s in the
        /// kernel's copy into the page cache instead of about 1 s, and ran at 0.71-0.80x libtorrent instead of
        /// 1.11-1.21x (tests/PSPeer.Benchmarks/bt-leech-compare.sh 1024 5 lt|aria2 lt engine engine-base, 2026-12-02).
        /// The likely cause, not proven: a large write makes the kernel take a large folio, from memory the host had
        /// taken back. The extra system calls cost far less than that.
        /// </summary>
        internal const int WriteSlice = 16 * 1024;

        /// <summary>
        /// Verifies the piece's SHA-1 and, only when it matches, writes it (creating its files at full length the first
        /// time) and sets it in Have. False on a mismatch: nothing written. A piece already verified is not written again.
        /// </summary>
        /// <param name="data">The whole piece (GetPieceSize bytes) from <paramref name="offset"/>; not kept.</param>
        public async Task<bool> WritePieceAsync(int piece, byte[] data, int offset, CancellationToken cancellationToken)
        {
            CheckPieceIndex(piece);
            int size = Torrent.GetPieceSize(piece);
            if (data == null) throw new ArgumentNullException(nameof(data));
            if (offset < 0 || offset > data.Length - size) throw new ArgumentOutOfRangeException(nameof(offset), $"Piece {piece} needs {size} bytes from the offset.");
            ThrowIfDisposed();

            if (!Torrent.CheckPieceHash(piece, Sha1(data, offset, size))) return false;
            lock (_gate)
            {
                if (Have[piece]) return true;
            }
            if (!_emptyFilesCreated) CreateEmptyFiles(null);

            var spans = new FileSpans(this, (long)piece * Torrent.PieceLength, size);
            while (spans.MoveNext())
            {
                var file = spans.File;
                await file.Lock.WaitAsync(cancellationToken);
                try
                {
                    ThrowIfDisposed();
                    var stream = file.ForWriting(_storage);
                    stream.Position = spans.InFile;
                    // No FlushAsync: OpenReadWrite streams write through (FileStream.FlushAsync would cost a
                    // quarter of the write speed), and the next seek or Dispose flushes any stream that buffers.
                    // Writes of WriteSlice at most (see there). Plain writes: callers are already off their read loop
                    // (a swarm verifies on the thread pool), and on Unix an async file write is this same write handed
                    // to another pool thread, a hop per piece that showed in the profile of a 1 GiB download (issue 13).
                    cancellationToken.ThrowIfCancellationRequested();
                    for (int done = 0; done < spans.Count; done += WriteSlice)
                        stream.Write(data, offset + spans.Done + done, Math.Min(WriteSlice, spans.Count - done));
                }
                finally
                {
                    Release(file);
                }
            }

            lock (_gate)
            {
                if (!Have[piece])
                {
                    Have.Set(piece);
                    Interlocked.Add(ref _bytesVerified, size);
                }
            }
            return true;
        }

        /// <summary>
        /// Reads part of a verified piece (a block a peer requested). PeerWireException when the piece is not verified
        /// here or the range is outside it: the peer asked for something we never announced.
        /// </summary>
        public async Task ReadAsync(int piece, int begin, byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            CheckBlockRead(piece, begin, buffer, offset, count);
            await ReadRangeAsync((long)piece * Torrent.PieceLength + begin, buffer, offset, count, forCheck: false, cancellationToken);
        }

        /// <summary>
        /// <see cref="ReadAsync"/> without waiting: reads the block now, straight from the file into
        /// <paramref name="buffer"/>, and returns true; or returns false having read nothing useful, when a file it spans is
        /// in use for writing this moment (a download in progress); then call ReadAsync. What a seeder serves blocks with:
        /// no lock, no task, no copy through a stream buffer.
        /// </summary>
        public bool TryReadBlock(int piece, int begin, byte[] buffer, int offset, int count)
        {
            CheckBlockRead(piece, begin, buffer, offset, count);
            var spans = new FileSpans(this, (long)piece * Torrent.PieceLength + begin, count);
            while (spans.MoveNext())
            {
                var file = spans.File;
                int got, want = spans.Count;
                var reader = file.TryRentReader(_storage, out int generation);
                if (reader == null)
                {
                    // Open for writing: the shared stream, if nobody is using it right now.
                    if (!file.Lock.Wait(0)) return false;
                    try
                    {
                        ThrowIfDisposed();
                        got = ReadFully(file.ForReading(_storage), spans.InFile, buffer, offset + spans.Done, want);
                    }
                    finally
                    {
                        Release(file);
                    }
                }
                else
                {
                    try { got = ReadFully(reader, spans.InFile, buffer, offset + spans.Done, want); }
                    finally { file.ReturnReader(reader, generation); }
                }
                if (got < want) throw new IOException($"'{file.FullPath}' is shorter than the torrent says: was it changed while being shared?");
            }
            return true;
        }

        static int ReadFully(Stream stream, long position, byte[] buffer, int offset, int count)
        {
            stream.Position = position;
            int got = 0;
            while (got < count)
            {
                int n = stream.Read(buffer, offset + got, count - got);
                if (n <= 0) break;
                got += n;
            }
            return got;
        }

        // What ReadAsync and TryReadBlock refuse: a piece we do not have (verified) or a range outside it is the peer's
        // mistake (PeerWireException); a bad buffer range is ours.
        void CheckBlockRead(int piece, int begin, byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || count < 0 || offset > buffer.Length - count) throw new ArgumentOutOfRangeException(nameof(count));
            if (piece < 0 || piece >= Torrent.PieceCount)
                throw new PeerWireException($"piece {piece} was requested; the torrent has {Torrent.PieceCount} pieces");
            int size = Torrent.GetPieceSize(piece);
            if (begin < 0 || begin > size - count)
                throw new PeerWireException($"bytes {begin}+{count} of piece {piece} were requested; the piece has {size}");
            lock (_gate)
            {
                if (!Have[piece]) throw new PeerWireException($"piece {piece} was requested but is not verified here");
            }
            ThrowIfDisposed();
        }

        public void Dispose()
        {
            _disposed = true;
            // A file in use is closed by the operation holding it, when it releases it.
            foreach (var file in _files)
            {
                file.CloseReaders();
                if (!file.Lock.Wait(0)) continue;
                try { file.Dispose(); }
                finally { file.Lock.Release(); }
            }
        }

        // Reads one piece for CheckExisting; false (without reading) when a file it needs is missing or too short for it.
        async Task<bool> ReadForCheckAsync(int piece, byte[] buffer, long[] onDisk, CancellationToken cancellationToken)
        {
            long position = (long)piece * Torrent.PieceLength;
            int size = Torrent.GetPieceSize(piece);
            for (int i = FirstFileAt(position); i < _files.Length && _files[i].Offset < position + size; i++)
            {
                // A short file still holds the pieces that end before its end.
                long neededInFile = Math.Min(_files[i].Length, position + size - _files[i].Offset);
                if (_files[i].Length > 0 && onDisk[i] < neededInFile) return false;
            }
            return await ReadRangeAsync(position, buffer, 0, size, forCheck: true, cancellationToken);
        }

        // Reads torrent bytes [position, position+count) across files. A file ending early: false when checking
        // (the data on disk is not what the torrent says), IOException when serving (it changed under us).
        async Task<bool> ReadRangeAsync(long position, byte[] buffer, int offset, int count, bool forCheck, CancellationToken cancellationToken)
        {
            var spans = new FileSpans(this, position, count);
            while (spans.MoveNext())
            {
                var file = spans.File;
                int got = 0, want = spans.Count, at = offset + spans.Done;
                await file.Lock.WaitAsync(cancellationToken);
                try
                {
                    ThrowIfDisposed();
                    var stream = file.ForReading(_storage);
                    stream.Position = spans.InFile;
                    while (got < want)
                    {
                        // Serving a block: a plain Read (the send loop is on the thread pool already; on Unix an async
                        // read is this read on another pool thread, a hop per 16 KiB block). Checking reads the next
                        // piece while the current one is hashed, so it stays asynchronous.
                        int n = forCheck
                            ? await stream.ReadAsync(buffer, at + got, want - got, cancellationToken)
                            : stream.Read(buffer, at + got, want - got);
                        if (n <= 0) break;
                        got += n;
                    }
                }
                finally
                {
                    Release(file);
                }
                if (got < want)
                {
                    if (forCheck) return false;
                    throw new IOException($"'{file.FullPath}' is shorter than the torrent says: was it changed while being shared?");
                }
            }
            return true;
        }

        /// <summary>
        /// Torrent bytes [position, position + count) file by file, in order: each step's file, where in it the part
        /// starts, how many bytes it holds and how far into the range it begins. Zero-length files hold none and are
        /// skipped. A struct: the seeder's block reads walk it without allocating.
        /// </summary>
        struct FileSpans
        {
            readonly StorageFile[] _files;
            readonly long _position;
            readonly int _total;
            int _next;

            public FileSpans(PieceStorage storage, long position, int count)
            {
                _files = storage._files; _position = position; _total = count;
                _next = storage.FirstFileAt(position);
                File = null; InFile = 0; Done = 0; Count = 0;
            }

            public StorageFile File { get; private set; }
            public long InFile { get; private set; }   // where in File this part starts
            public int Done { get; private set; }      // bytes of the range before this part
            public int Count { get; private set; }     // bytes of the range in this part

            public bool MoveNext()
            {
                Done += Count;
                if (Done >= _total) return false;
                while (_files[_next].Length == 0) _next++;
                File = _files[_next++];
                InFile = _position + Done - File.Offset;
                Count = (int)Math.Min(_total - Done, File.Length - InFile);
                return true;
            }
        }

        // The file holding torrent byte `position` (the first non-empty file ending after it).
        int FirstFileAt(long position)
        {
            int lo = 0, hi = _files.Length - 1;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (_files[mid].End <= position) lo = mid + 1;
                else hi = mid;
            }
            while (lo < _files.Length - 1 && _files[lo].Length == 0) lo++;
            return lo;
        }

        // Zero-length files belong to no piece, so no piece write creates them: make them once, when a download starts
        // writing or storage is checked. A read-only seeder directory without them is not an error.
        void CreateEmptyFiles(long[] onDisk)
        {
            for (int i = 0; i < _files.Length; i++)
            {
                if (_files[i].Length != 0 || (onDisk != null ? onDisk[i] >= 0 : _storage.FileExists(_files[i].FullPath))) continue;
                try { _storage.OpenReadWrite(_files[i].FullPath).Dispose(); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            _emptyFilesCreated = true;
        }

        void Release(StorageFile file)
        {
            if (_disposed) file.Dispose();
            file.Lock.Release();
        }

        void CheckPieceIndex(int piece)
        {
            if (piece < 0 || piece >= Torrent.PieceCount)
                throw new ArgumentOutOfRangeException(nameof(piece), piece, $"The piece index must be 0 to {Torrent.PieceCount - 1}.");
        }

        void ThrowIfDisposed()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(PieceStorage));
        }

        static byte[] Sha1(byte[] data, int offset, int count)
        {
            // One hasher per thread: live connections verify pieces in parallel; SHA1.Create is the platform's.
            var sha = t_sha1 ?? (t_sha1 = SHA1.Create());
            return sha.ComputeHash(data, offset, count);
        }

        internal static bool IsInside(string root, string full)
        {
            if (full.Length <= root.Length || !full.StartsWith(root, StringComparison.Ordinal)) return false;
            char last = root[root.Length - 1];
            if (last == '/' || last == '\\') return true;
            char next = full[root.Length];
            return next == '/' || next == '\\';
        }
    }
}
