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

        // Most nodes of a simulated network share nothing: the storage, the hash cache and the indexes of a folder
        // are made when it first needs them (the storage is the runtime's, the cache memory-only when simulated).
        readonly IPeerRuntime _runtime;
        IFileStorage _storage;
        HashCache _cache;
        // Null until the first file. The catalog is also the lock of everything in it (a folder that shares nothing, as
        // most of a simulated network's do, then holds no lock object either): made once, never replaced.
        Catalog _catalog;

        /// <summary>The shared files in index order, and by index, path and content hash (it is their lock).</summary>
        sealed class Catalog
        {
            public int NextIndex;
            public readonly List<SharedFile> Files = new List<SharedFile>();
            public readonly Dictionary<int, SharedFile> ByIndex = new Dictionary<int, SharedFile>();
            public readonly Dictionary<string, SharedFile> ByPath = new Dictionary<string, SharedFile>(StringComparer.Ordinal);
            public readonly Dictionary<ContentHash, SharedFile> ByHash = new Dictionary<ContentHash, SharedFile>();
        }

        /// <summary>
        /// Picks the cache from the runtime: live nodes share the process-wide persisted <see cref="HashCache.Shared"/>;
        /// a simulated host gets a memory-only cache of its own, so simulations never touch real files.
        /// </summary>
        public SharedFolder(IPeerRuntime runtime, string root)
        {
            _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
            if (!runtime.IsSimulated) _cache = HashCache.Shared;
            Root = string.IsNullOrEmpty(root) ? null : Storage.GetFullPath(root);
        }

        public SharedFolder(IFileStorage storage, string root, HashCache hashCache)
        {
            _storage = storage ?? throw new ArgumentNullException(nameof(storage));
            _cache = hashCache ?? new HashCache();
            Root = string.IsNullOrEmpty(root) ? null : storage.GetFullPath(root);
        }

        /// <summary>Full path of the folder, or null when the node shares nothing.</summary>
        public string Root { get; }
        public HashCache HashCache
        {
            get
            {
                var cache = Volatile.Read(ref _cache);
                return cache ?? Interlocked.CompareExchange(ref _cache, new HashCache(), null) ?? _cache;
            }
        }

        IFileStorage Storage
        {
            get
            {
                var storage = Volatile.Read(ref _storage);
                return storage ?? Interlocked.CompareExchange(ref _storage, _runtime.Storage, null) ?? _storage;
            }
        }

        /// <summary>A snapshot of the shared files in index order.</summary>
        public IReadOnlyList<SharedFile> Files
        {
            get
            {
                var c = Volatile.Read(ref _catalog);
                if (c == null) return Array.Empty<SharedFile>();
                lock (c) return c.Files.ToArray();
            }
        }

        /// <summary>Whether a file was ever shared (the catalog and its lock exist): for tests of what an idle folder holds.</summary>
        internal bool HoldsCatalog => Volatile.Read(ref _catalog) != null;

        /// <summary>The catalog, made by the first file to be shared.</summary>
        Catalog MadeCatalog => LazyInitializer.EnsureInitialized(ref _catalog);

        /// <summary>Hashes every file under Root (once); throws PeerException SharedPathNotFound when Root is missing.</summary>
        /// <remarks>Scanning again picks up new and changed files; a changed file keeps its index with its new hash,
        /// a file gone from disk is no longer shared. Cancelling stops between files and throws OperationCanceledException.</remarks>
        public async Task<IReadOnlyList<SharedFile>> ScanAsync(CancellationToken cancellationToken = default)
        {
            if (Root == null) return Files;
            if (!Storage.DirectoryExists(Root))
                throw new PeerException(PeerErrorIds.SharedPathNotFound,
                    $"The shared folder '{Root}' does not exist: create it, or pass an existing folder as -SharedPath.");

            var found = ListFiles(Root).Select(p => (path: p, name: RelativeName(Root, p))).OrderBy(f => f.name, StringComparer.Ordinal).ToList();
            await ShareAsync(found, cancellationToken);

            // A file under Root that vanished from disk is no longer shared (files added from elsewhere stay).
            var present = new HashSet<string>(found.Select(f => f.path), StringComparer.Ordinal);
            var c = Volatile.Read(ref _catalog);
            if (c != null)
            {
                lock (c)
                {
                    foreach (var gone in c.Files.Where(f => IsUnder(Root, f.FullPath) && !present.Contains(f.FullPath)).ToList())
                        RemoveLocked(c, gone);
                }
            }
            await HashCache.SaveAsync();
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
                string full = Storage.GetFullPath(raw);
                if (Storage.FileExists(full))
                {
                    candidates.Add((full, Root != null && IsUnder(Root, full) ? RelativeName(Root, full) : LastSegment(full)));
                }
                else if (Storage.DirectoryExists(full))
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
            await HashCache.SaveAsync();
            return added;
        }

        /// <summary>Stops sharing a file; returns false when it was not shared.</summary>
        public bool Remove(SharedFile file)
        {
            var c = Volatile.Read(ref _catalog);
            if (file == null || c == null) return false;
            lock (c)
            {
                if (!c.ByIndex.TryGetValue(file.Index, out var current) || !ReferenceEquals(current, file)) return false;
                RemoveLocked(c, file);
                return true;
            }
        }

        public SharedFile GetByIndex(int index)
        {
            var c = Volatile.Read(ref _catalog);
            if (c == null) return null;
            lock (c) return c.ByIndex.TryGetValue(index, out var f) ? f : null;
        }

        public SharedFile GetByHash(ContentHash hash)
        {
            var c = Volatile.Read(ref _catalog);
            if (hash.IsEmpty || c == null) return null;
            lock (c) return c.ByHash.TryGetValue(hash, out var f) ? f : null;
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
                try { info = Storage.GetInfo(path); }
                catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException) { continue; }   // vanished or unreadable since listing

                SharedFile existing = null;
                var known = Volatile.Read(ref _catalog);
                if (known != null) lock (known) known.ByPath.TryGetValue(path, out existing);
                if (existing != null && existing.Size == info.Length && existing.LastWriteUtc == info.LastWriteUtc) continue;

                ContentHash hash;
                try { hash = await HashCache.GetOrComputeAsync(Storage, info, cancellationToken); }
                catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException) { continue; }   // locked or removed mid-read: skip it, share the rest

                var c = MadeCatalog;
                lock (c)
                {
                    if (c.ByPath.TryGetValue(path, out existing))
                    {
                        // Changed on disk: same index, new content.
                        RemoveLocked(c, existing);
                        AddLocked(c, new SharedFile(existing.Index, existing.Name, path, info.Length, hash, info.LastWriteUtc));
                    }
                    else
                    {
                        var file = new SharedFile(c.NextIndex++, name, path, info.Length, hash, info.LastWriteUtc);
                        AddLocked(c, file);
                        added.Add(file);
                    }
                }
            }
            return added;
        }

        static void AddLocked(Catalog c, SharedFile file)
        {
            int at = c.Files.FindIndex(f => f.Index > file.Index);
            if (at < 0) c.Files.Add(file); else c.Files.Insert(at, file);
            c.ByIndex[file.Index] = file;
            c.ByPath[file.FullPath] = file;
            // Two identical files: the hash resolves to the first one shared; either serves the same bytes.
            if (!c.ByHash.ContainsKey(file.ContentHash)) c.ByHash[file.ContentHash] = file;
        }

        static void RemoveLocked(Catalog c, SharedFile file)
        {
            c.Files.Remove(file);
            c.ByIndex.Remove(file.Index);
            c.ByPath.Remove(file.FullPath);
            if (c.ByHash.TryGetValue(file.ContentHash, out var h) && ReferenceEquals(h, file))
            {
                c.ByHash.Remove(file.ContentHash);
                var twin = c.Files.FirstOrDefault(f => f.ContentHash == file.ContentHash);
                if (twin != null) c.ByHash[twin.ContentHash] = twin;
            }
        }

        IEnumerable<string> ListFiles(string directory) =>
            Storage.EnumerateFiles(directory).Where(p => !IsPartial(p));

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
