using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// The files a node shares. Hashes each file once (SHA-1), reusing hashes cached by path, size and modification
    /// time; indexes are stable for the folder's lifetime (a file keeps its index; new files get the next ones).
    /// Thread-safe: live nodes scan, publish and serve from several threads.
    /// </summary>
    public sealed class SharedFolder
    {
        /// <summary>Suffix of a download in progress: never shared, since it is not yet a verified file.</summary>
        public const string PartialSuffix = ".pspeer-partial";

        readonly IFileStorage _storage;
        readonly HashCache _cache;
        readonly object _gate = new object();
        readonly List<SharedFile> _files = new List<SharedFile>();
        readonly Dictionary<int, SharedFile> _byIndex = new Dictionary<int, SharedFile>();
        readonly Dictionary<string, SharedFile> _byPath = new Dictionary<string, SharedFile>(StringComparer.Ordinal);
        readonly Dictionary<ContentHash, SharedFile> _byHash = new Dictionary<ContentHash, SharedFile>();
        int _nextIndex;

        /// <summary>
        /// Picks the cache from the runtime: live nodes share the process-wide persisted <see cref="HashCache.Shared"/>;
        /// a simulated host gets a memory-only cache of its own, so simulations never touch real files.
        /// </summary>
        public SharedFolder(IPeerRuntime runtime, string root)
            : this(runtime.Storage, root, runtime.IsSimulated ? new HashCache() : HashCache.Shared) { }

        public SharedFolder(IFileStorage storage, string root, HashCache hashCache)
        {
            _storage = storage ?? throw new ArgumentNullException(nameof(storage));
            _cache = hashCache ?? new HashCache();
            Root = string.IsNullOrEmpty(root) ? null : storage.GetFullPath(root);
        }

        /// <summary>Full path of the folder, or null when the node shares nothing.</summary>
        public string Root { get; }
        public HashCache HashCache => _cache;

        /// <summary>A snapshot of the shared files in index order.</summary>
        public IReadOnlyList<SharedFile> Files { get { lock (_gate) return _files.ToArray(); } }

        /// <summary>Hashes every file under Root (once); throws PeerException SharedPathNotFound when Root is missing.</summary>
        /// <remarks>Scanning again picks up new and changed files; a changed file keeps its index with its new hash,
        /// a file gone from disk is no longer shared. Cancelling stops between files and throws OperationCanceledException.</remarks>
        public async Task<IReadOnlyList<SharedFile>> ScanAsync(CancellationToken cancellationToken = default)
        {
            if (Root == null) return Files;
            if (!_storage.DirectoryExists(Root))
                throw new PeerException(PeerErrorIds.SharedPathNotFound,
                    $"The shared folder '{Root}' does not exist: create it, or pass an existing folder as -SharedPath.");

            var found = ListFiles(Root).Select(p => (path: p, name: RelativeName(Root, p))).OrderBy(f => f.name, StringComparer.Ordinal).ToList();
            await ShareAsync(found, cancellationToken);

            // A file under Root that vanished from disk is no longer shared (files added from elsewhere stay).
            var present = new HashSet<string>(found.Select(f => f.path), StringComparer.Ordinal);
            lock (_gate)
            {
                foreach (var gone in _files.Where(f => IsUnder(Root, f.FullPath) && !present.Contains(f.FullPath)).ToList())
                    RemoveLocked(gone);
            }
            await _cache.SaveAsync();
            return Files;
        }

        /// <summary>Adds files (or all files of folders) outside or inside Root; returns those newly shared.</summary>
        /// <remarks>
        /// A file under Root is named by its path relative to Root; a file from elsewhere by its file name, and the
        /// files of a folder from elsewhere by "folder/relative path". A file already shared is not added twice.
        /// A path that does not exist throws PeerException SharedPathNotFound before anything is added.
        /// </remarks>
        public async Task<IReadOnlyList<SharedFile>> AddAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default)
        {
            if (paths == null) throw new ArgumentNullException(nameof(paths));
            var candidates = new List<(string path, string name)>();
            foreach (var raw in paths)
            {
                if (string.IsNullOrWhiteSpace(raw)) continue;
                string full = _storage.GetFullPath(raw);
                if (_storage.FileExists(full))
                {
                    candidates.Add((full, Root != null && IsUnder(Root, full) ? RelativeName(Root, full) : LastSegment(full)));
                }
                else if (_storage.DirectoryExists(full))
                {
                    string prefix = Root != null && IsUnder(Root, full) ? RelativeName(Root, full) : LastSegment(full);
                    foreach (var file in ListFiles(full).Select(p => (p, RelativeName(full, p))).OrderBy(f => f.Item2, StringComparer.Ordinal))
                    {
                        string name = Root != null && IsUnder(Root, file.p) ? RelativeName(Root, file.p)
                            : (prefix.Length == 0 ? file.Item2 : prefix + "/" + file.Item2);
                        candidates.Add((file.p, name));
                    }
                }
                else
                {
                    throw new PeerException(PeerErrorIds.SharedPathNotFound,
                        $"'{full}' is neither a file nor a folder: check the path (relative paths are resolved from the current directory).");
                }
            }
            var added = await ShareAsync(candidates, cancellationToken);
            await _cache.SaveAsync();
            return added;
        }

        /// <summary>Stops sharing a file; returns false when it was not shared.</summary>
        public bool Remove(SharedFile file)
        {
            if (file == null) return false;
            lock (_gate)
            {
                if (!_byIndex.TryGetValue(file.Index, out var current) || !ReferenceEquals(current, file)) return false;
                RemoveLocked(file);
                return true;
            }
        }

        public SharedFile GetByIndex(int index)
        {
            lock (_gate) return _byIndex.TryGetValue(index, out var f) ? f : null;
        }

        public SharedFile GetByHash(ContentHash hash)
        {
            if (hash.IsEmpty) return null;
            lock (_gate) return _byHash.TryGetValue(hash, out var f) ? f : null;
        }

        // Hashes outside the lock (it can take minutes), then publishes each file under the lock.
        async Task<List<SharedFile>> ShareAsync(List<(string path, string name)> candidates, CancellationToken cancellationToken)
        {
            var added = new List<SharedFile>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (path, name) in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!seen.Add(path)) continue;
                StoredFileInfo info;
                try { info = _storage.GetInfo(path); }
                catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException) { continue; }   // vanished or unreadable since listing

                SharedFile existing;
                lock (_gate) _byPath.TryGetValue(path, out existing);
                if (existing != null && existing.Size == info.Length && existing.LastWriteUtc == info.LastWriteUtc) continue;

                ContentHash hash;
                try { hash = await _cache.GetOrComputeAsync(_storage, info, cancellationToken); }
                catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException) { continue; }   // locked or removed mid-read: skip it, share the rest

                lock (_gate)
                {
                    if (_byPath.TryGetValue(path, out existing))
                    {
                        // Changed on disk: same index, new content.
                        RemoveLocked(existing);
                        AddLocked(new SharedFile(existing.Index, existing.Name, path, info.Length, hash, info.LastWriteUtc));
                    }
                    else
                    {
                        var file = new SharedFile(_nextIndex++, name, path, info.Length, hash, info.LastWriteUtc);
                        AddLocked(file);
                        added.Add(file);
                    }
                }
            }
            return added;
        }

        void AddLocked(SharedFile file)
        {
            int at = _files.FindIndex(f => f.Index > file.Index);
            if (at < 0) _files.Add(file); else _files.Insert(at, file);
            _byIndex[file.Index] = file;
            _byPath[file.FullPath] = file;
            // Two identical files: the hash resolves to the first one shared; either serves the same bytes.
            if (!_byHash.ContainsKey(file.ContentHash)) _byHash[file.ContentHash] = file;
        }

        void RemoveLocked(SharedFile file)
        {
            _files.Remove(file);
            _byIndex.Remove(file.Index);
            _byPath.Remove(file.FullPath);
            if (_byHash.TryGetValue(file.ContentHash, out var h) && ReferenceEquals(h, file))
            {
                _byHash.Remove(file.ContentHash);
                var twin = _files.FirstOrDefault(f => f.ContentHash == file.ContentHash);
                if (twin != null) _byHash[twin.ContentHash] = twin;
            }
        }

        IEnumerable<string> ListFiles(string directory) =>
            _storage.EnumerateFiles(directory).Where(p => !IsPartial(p));

        // A download in progress: a partial file, or any file inside a torrent's partial folder.
        static bool IsPartial(string path) =>
            path.EndsWith(PartialSuffix, StringComparison.Ordinal) ||
            path.IndexOf(PartialSuffix + "/", StringComparison.Ordinal) >= 0 || path.IndexOf(PartialSuffix + "\\", StringComparison.Ordinal) >= 0;

        static bool IsSeparator(char c) => c == '/' || c == '\\';

        static bool IsUnder(string root, string path)
        {
            if (!path.StartsWith(root, StringComparison.Ordinal)) return false;
            if (path.Length == root.Length) return true;
            return IsSeparator(root[root.Length - 1]) || IsSeparator(path[root.Length]);
        }

        static string RelativeName(string root, string fullPath)
        {
            string rel = fullPath.Length > root.Length ? fullPath.Substring(root.Length) : "";
            return rel.Replace('\\', '/').Trim('/');
        }

        static string LastSegment(string path)
        {
            string trimmed = path.Replace('\\', '/').TrimEnd('/');
            int slash = trimmed.LastIndexOf('/');
            return slash >= 0 ? trimmed.Substring(slash + 1) : trimmed;
        }
    }
}
