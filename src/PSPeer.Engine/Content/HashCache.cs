using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// Remembers the SHA-1 of files by (full path, size, last-write time), so sharing a folder again does not rehash
    /// gigabytes. <see cref="Shared"/> is the process-wide cache for live nodes, persisted as JSON in the user's
    /// local application data (~/.local/share/PSPeer/hashcache.json on Linux, %LOCALAPPDATA%\PSPeer\hashcache.json on
    /// Windows) unless PSPEER_HASH_CACHE moves it or turns it off; a cache made with no file is memory-only (what
    /// simulations and tests use).
    /// A missing or corrupt cache file is ignored: the cache is an optimisation, never a reason to fail.
    /// </summary>
    public sealed class HashCache
    {
        // Bounds on what we accept from the cache file: it is a file, hence hostile until checked.
        const long MaxFileBytes = 64L << 20;
        const int MaxEntries = 200_000;

        /// <summary>
        /// Environment variable that moves the per-user cache file (set it to a full path) or turns persisting off
        /// (set it to "off" or to nothing): $env:PSPEER_HASH_CACHE in a session, or in a CI job's environment.
        /// </summary>
        public const string LocationVariable = "PSPEER_HASH_CACHE";

        static readonly object SharedGate = new object();
        static HashCache _shared;

        readonly object _gate = new object();
        readonly Dictionary<string, Entry> _entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        readonly IFileStorage _storage;
        Task _loading;
        bool _dirty;
        long _hits, _misses, _filesHashed;

        /// <param name="storage">Where the cache file lives (ignored when <paramref name="cacheFilePath"/> is null).</param>
        /// <param name="cacheFilePath">JSON file to load from and save to, or null for a memory-only cache.</param>
        public HashCache(IFileStorage storage = null, string cacheFilePath = null)
        {
            _storage = storage;
            CacheFilePath = storage == null ? null : cacheFilePath;
        }

        /// <summary>
        /// The process-wide cache of live nodes, persisted at <see cref="SharedCachePath"/> (memory-only when that is
        /// null). The location is read each time, so setting PSPEER_HASH_CACHE applies to the next node that shares.
        /// </summary>
        public static HashCache Shared
        {
            get
            {
                string path = SharedCachePath;
                lock (SharedGate)
                {
                    if (_shared == null || _shared.CacheFilePath != path)
                        _shared = new HashCache(path == null ? null : new Runtime.Live.DiskStorage(), path);
                    return _shared;
                }
            }
        }

        /// <summary>Where live nodes persist hashes: PSPEER_HASH_CACHE if set, else the per-user default; null = not persisted.</summary>
        public static string SharedCachePath => ResolveCachePath(Environment.GetEnvironmentVariable(LocationVariable), DefaultCachePath());

        /// <summary>The cache file for a PSPEER_HASH_CACHE value: unset = the default, empty or "off" = none, else that path.</summary>
        public static string ResolveCachePath(string configured, string defaultPath)
        {
            if (configured == null) return defaultPath;
            configured = configured.Trim();
            if (configured.Length == 0 || string.Equals(configured, "off", StringComparison.OrdinalIgnoreCase)) return null;
            return Path.GetFullPath(configured);
        }

        public string CacheFilePath { get; }
        public long Hits => Interlocked.Read(ref _hits);
        public long Misses => Interlocked.Read(ref _misses);
        /// <summary>Files actually read and hashed through this cache.</summary>
        public long FilesHashed => Interlocked.Read(ref _filesHashed);

        static string DefaultCachePath()
        {
            string baseDir = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(baseDir)) return null;   // no per-user folder (a locked-down service account): memory only
            return Path.Combine(Path.Combine(baseDir, "PSPeer"), "hashcache.json");
        }

        static string Key(string fullPath, long size, DateTime lastWriteUtc) =>
            fullPath + "|" + size.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + lastWriteUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The file's hash, from the cache when its path, size and time are unchanged, else hashed now.</summary>
        public async Task<ContentHash> GetOrComputeAsync(IFileStorage fileStorage, StoredFileInfo info, CancellationToken cancellationToken)
        {
            await EnsureLoadedAsync();
            string key = Key(info.Path, info.Length, info.LastWriteUtc);
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var hit) && ContentHash.TryParse(hit.Sha1, out var cached))
                {
                    _hits++;
                    return cached;
                }
                _misses++;
            }
            var hash = await FileHasher.HashFileAsync(fileStorage, info.Path, cancellationToken);
            Interlocked.Increment(ref _filesHashed);
            lock (_gate)
            {
                if (_entries.Count >= MaxEntries) _entries.Clear();   // crude but bounded: start over rather than grow forever
                _entries[key] = new Entry { Path = info.Path, Size = info.Length, Ticks = info.LastWriteUtc.Ticks, Sha1 = hash.ToString() };
                _dirty = true;
            }
            return hash;
        }

        Task EnsureLoadedAsync()
        {
            if (CacheFilePath == null) return Task.CompletedTask;
            lock (_gate) return _loading ?? (_loading = LoadAsync());
        }

        async Task LoadAsync()
        {
            try
            {
                if (!_storage.FileExists(CacheFilePath)) return;
                var info = _storage.GetInfo(CacheFilePath);
                if (info.Length <= 0 || info.Length > MaxFileBytes) return;
                var bytes = new byte[info.Length];
                using (var stream = _storage.OpenRead(CacheFilePath))
                {
                    int total = 0;
                    while (total < bytes.Length)
                    {
                        int n = await stream.ReadAsync(bytes, total, bytes.Length - total, CancellationToken.None);
                        if (n <= 0) break;
                        total += n;
                    }
                    if (total != bytes.Length) return;
                }
                var file = JsonConvert.DeserializeObject<CacheFile>(Encoding.UTF8.GetString(bytes));
                if (file?.Entries == null || file.Version != 1) return;
                lock (_gate)
                {
                    foreach (var e in file.Entries)
                    {
                        if (_entries.Count >= MaxEntries) break;
                        if (e?.Path == null || e.Size < 0 || !ContentHash.TryParse(e.Sha1, out _)) continue;
                        string key = Key(e.Path, e.Size, new DateTime(Math.Max(0, Math.Min(e.Ticks, DateTime.MaxValue.Ticks)), DateTimeKind.Utc));
                        if (!_entries.ContainsKey(key)) _entries[key] = e;
                    }
                }
            }
            catch (Exception)
            {
                // Corrupt, truncated or unreadable: start with an empty cache; the next save replaces the file.
            }
        }

        /// <summary>Writes the cache file if anything new was hashed (temp file + move, so readers never see half a file).</summary>
        public async Task SaveAsync()
        {
            if (CacheFilePath == null) return;
            byte[] bytes;
            lock (_gate)
            {
                if (!_dirty) return;
                _dirty = false;
                var file = new CacheFile { Version = 1, Entries = new List<Entry>(_entries.Values) };
                bytes = Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(file, Formatting.None));
            }
            // Live-only (simulations use memory-only caches), so a Guid is fine for the temporary name.
            string temp = CacheFilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                using (var stream = _storage.Create(temp))
                {
                    await stream.WriteAsync(bytes, 0, bytes.Length, CancellationToken.None);
                    await stream.FlushAsync();
                }
                _storage.Move(temp, CacheFilePath, overwrite: true);
            }
            catch (Exception)
            {
                // A read-only profile or a full disk costs us the cache, not the scan.
                try { _storage.Delete(temp); } catch (Exception) { }
                lock (_gate) _dirty = true;
            }
        }

        internal sealed class CacheFile
        {
            public int Version { get; set; }
            public List<Entry> Entries { get; set; }
        }

        internal sealed class Entry
        {
            public string Path { get; set; }
            public long Size { get; set; }
            public long Ticks { get; set; }
            public string Sha1 { get; set; }
        }
    }
}
