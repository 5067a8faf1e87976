using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// A host's files in memory: a flat map from normalized full path ("/music/a.mp3") to content, and the set of
    /// directories that exist. Paths use '/' (a '\' is read as '/'), relative paths are taken from "/", and names
    /// compare ordinally (case-sensitive), so every run sees the same tree in the same order. Modification times come
    /// from the simulation's virtual clock. Storage survives a crash of its host.
    /// </summary>
    public sealed class MemoryFileStorage : IFileStorage
    {
        readonly Func<DateTime> _utcNow;
        readonly object _gate = new object();
        readonly Dictionary<string, MemoryFile> _files = new Dictionary<string, MemoryFile>(StringComparer.Ordinal);
        readonly HashSet<string> _directories = new HashSet<string>(StringComparer.Ordinal) { "/" };

        /// <param name="utcNow">Where modification times come from (the virtual clock in a simulation).</param>
        public MemoryFileStorage(Func<DateTime> utcNow) => _utcNow = utcNow ?? throw new ArgumentNullException(nameof(utcNow));

        /// <summary>Puts a file in place (creating its directories), as a test or scenario seeds a host's shares.</summary>
        public void WriteFile(string path, byte[] content)
        {
            if (content == null) throw new ArgumentNullException(nameof(content));
            WriteFileTaking(path, (byte[])content.Clone());
        }

        /// <summary>
        /// As <see cref="WriteFile(string, byte[])"/>, keeping <paramref name="content"/> itself rather than a copy: for a
        /// caller that made the array for this file and never touches it again (a network seeding every host's shares
        /// made each file's bytes twice).
        /// </summary>
        internal void WriteFileTaking(string path, byte[] content)
        {
            if (content == null) throw new ArgumentNullException(nameof(content));
            var full = GetFullPath(path);
            lock (_gate)
            {
                var file = CreateEntry(full);
                file.Replace(content, content.Length, _utcNow());
            }
        }

        public void WriteFile(string path, string text) => WriteFile(path, Encoding.UTF8.GetBytes(text));

        /// <summary>A copy of a file's content.</summary>
        public byte[] ReadAllBytes(string path)
        {
            lock (_gate)
            {
                var file = Find(GetFullPath(path));
                var copy = new byte[file.Length];
                Buffer.BlockCopy(file.Data, 0, copy, 0, (int)file.Length);
                return copy;
            }
        }

        public void CreateDirectory(string path)
        {
            lock (_gate) AddDirectoryAndParents(GetFullPath(path));
        }

        public bool FileExists(string path)
        {
            lock (_gate) return _files.ContainsKey(GetFullPath(path));
        }

        public bool DirectoryExists(string path)
        {
            lock (_gate) return _directories.Contains(GetFullPath(path));
        }

        public IEnumerable<string> EnumerateFiles(string directory)
        {
            var full = GetFullPath(directory);
            string prefix = full == "/" ? "/" : full + "/";
            lock (_gate)
            {
                if (!_directories.Contains(full)) throw new DirectoryNotFoundException($"Could not find a part of the path '{full}'.");
                // Sorted, so enumeration order never depends on the order files were added or removed.
                return _files.Keys.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(p => p, StringComparer.Ordinal).ToList();
            }
        }

        public StoredFileInfo GetInfo(string path)
        {
            var full = GetFullPath(path);
            lock (_gate)
            {
                var file = Find(full);
                return new StoredFileInfo(full, file.Length, file.LastWriteUtc);
            }
        }

        /// <summary>A read-only view of the content up to its length now (a file replaced later is not seen).</summary>
        public Stream OpenRead(string path)
        {
            lock (_gate)
            {
                var file = Find(GetFullPath(path));
                return new MemoryStream(file.Data, 0, (int)file.Length, writable: false, publiclyVisible: false);
            }
        }

        /// <summary>As <see cref="OpenRead"/>: a memory stream has no buffer to skip.</summary>
        public Stream OpenReadUnbuffered(string path) => OpenRead(path);

        public Stream Create(string path)
        {
            var full = GetFullPath(path);
            lock (_gate)
            {
                var file = CreateEntry(full);
                file.Replace(Array.Empty<byte>(), 0, _utcNow());
                return new MemoryFileWriteStream(this, file);
            }
        }

        /// <summary>
        /// The file's content in a writable stream positioned at 0 (an empty new file when missing). Writes are published
        /// to the file as they happen. Two streams open on one file at once each work on their own copy: the last to
        /// write wins, so open a file once (as PieceStorage does).
        /// </summary>
        public Stream OpenReadWrite(string path)
        {
            var full = GetFullPath(path);
            lock (_gate)
            {
                bool existed = _files.TryGetValue(full, out var file);
                if (!existed)
                {
                    file = CreateEntry(full);
                    file.Replace(Array.Empty<byte>(), 0, _utcNow());
                }
                var stream = new MemoryFileWriteStream(this, file);
                stream.Load(file.Data, file.Length);
                return stream;
            }
        }

        public void Move(string source, string destination, bool overwrite)
        {
            var from = GetFullPath(source);
            var to = GetFullPath(destination);
            lock (_gate)
            {
                var file = Find(from);
                if (from == to) return;
                if (_directories.Contains(to)) throw new IOException($"'{to}' is a directory.");
                if (_files.ContainsKey(to) && !overwrite) throw new IOException($"The file '{to}' already exists.");
                AddDirectoryAndParents(ParentOf(to));
                _files.Remove(from);
                _files[to] = file;
            }
        }

        public void Delete(string path)
        {
            lock (_gate) _files.Remove(GetFullPath(path));
        }

        public void DeleteEmptyDirectories(string path)
        {
            string full = GetFullPath(path);
            string prefix = full.EndsWith("/", StringComparison.Ordinal) ? full : full + "/";
            lock (_gate)
            {
                if (!_directories.Contains(full)) return;
                var below = new List<string>();
                foreach (var d in _directories) if (d == full || d.StartsWith(prefix, StringComparison.Ordinal)) below.Add(d);
                // Deepest first: a directory goes when no file is under it (its empty subdirectories went before it).
                below.Sort((a, b) => b.Length.CompareTo(a.Length));
                foreach (var d in below)
                {
                    string under = d.EndsWith("/", StringComparison.Ordinal) ? d : d + "/";
                    bool holdsFile = false;
                    foreach (var f in _files.Keys) if (f.StartsWith(under, StringComparison.Ordinal)) { holdsFile = true; break; }
                    if (!holdsFile && d != "/") _directories.Remove(d);
                }
            }
        }

        public string Combine(string directory, string name)
        {
            if (string.IsNullOrEmpty(directory)) return name;
            if (string.IsNullOrEmpty(name)) return directory;
            name = name.Replace('\\', '/');
            if (name.StartsWith("/", StringComparison.Ordinal)) return name;
            directory = directory.Replace('\\', '/');
            return directory.EndsWith("/", StringComparison.Ordinal) ? directory + name : directory + "/" + name;
        }

        /// <summary>Absolute, '/'-separated, with "." and ".." resolved (".." never climbs above the root).</summary>
        public string GetFullPath(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (path.Length == 0) throw new ArgumentException("The path is empty.", nameof(path));
            // Most paths asked for are already in this form (the storage hands its own full paths out, and a network
            // writes and shares files under "/share/..."): the path itself, without splitting and joining it again.
            if (IsFull(path)) return path;
            var parts = new List<string>();
            foreach (var part in path.Replace('\\', '/').Split('/'))
            {
                if (part.Length == 0 || part == ".") continue;
                if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
                parts.Add(part);
            }
            return "/" + string.Join("/", parts);
        }

        // Whether GetFullPath would give the path back unchanged: rooted, '/' between non-empty parts that are not "." or
        // "..", no backslash, no '/' at the end (but "/" itself).
        static bool IsFull(string path)
        {
            if (path[0] != '/') return false;
            int start = 1;
            for (int i = 1; i <= path.Length; i++)
            {
                if (i < path.Length && path[i] != '/')
                {
                    if (path[i] == '\\') return false;
                    continue;
                }
                int length = i - start;
                if (length == 0) return path.Length == 1;   // "//", a '/' at the end; "/" alone is full
                if (path[start] == '.' && (length == 1 || (length == 2 && path[start + 1] == '.'))) return false;
                start = i + 1;
            }
            return true;
        }

        internal DateTime UtcNow => _utcNow();
        internal object Gate => _gate;

        MemoryFile Find(string full) =>
            _files.TryGetValue(full, out var file) ? file : throw new FileNotFoundException($"Could not find file '{full}'.", full);

        MemoryFile CreateEntry(string full)
        {
            if (full == "/" || _directories.Contains(full)) throw new UnauthorizedAccessException($"'{full}' is a directory.");
            AddDirectoryAndParents(ParentOf(full));
            if (!_files.TryGetValue(full, out var file)) _files[full] = file = new MemoryFile();
            return file;
        }

        void AddDirectoryAndParents(string full)
        {
            while (_directories.Add(full))
            {
                if (_files.ContainsKey(full)) { _directories.Remove(full); throw new IOException($"'{full}' is a file, not a directory."); }
                full = ParentOf(full);
            }
        }

        static string ParentOf(string full)
        {
            int slash = full.LastIndexOf('/');
            return slash <= 0 ? "/" : full.Substring(0, slash);
        }
    }

    /// <summary>One file's content: a buffer that may be longer than the file, and the file's length.</summary>
    sealed class MemoryFile
    {
        public byte[] Data = Array.Empty<byte>();
        public long Length;
        public DateTime LastWriteUtc;

        public void Replace(byte[] data, long length, DateTime lastWriteUtc)
        {
            Data = data;
            Length = length;
            LastWriteUtc = lastWriteUtc;
        }
    }

    /// <summary>
    /// The stream <see cref="MemoryFileStorage.Create"/> returns: a MemoryStream (readable, seekable, resizable, and
    /// its async methods complete synchronously without threads) that publishes its content to the file after every
    /// change, so a file being downloaded shows its progress in GetInfo.
    /// </summary>
    sealed class MemoryFileWriteStream : MemoryStream
    {
        readonly MemoryFileStorage _storage;
        readonly MemoryFile _file;

        public MemoryFileWriteStream(MemoryFileStorage storage, MemoryFile file)
        {
            _storage = storage;
            _file = file;
        }

        /// <summary>Starts from existing content without publishing it (opening a file does not modify it).</summary>
        public void Load(byte[] data, long length)
        {
            base.Write(data, 0, (int)length);
            Position = 0;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            Publish();
        }

        public override void WriteByte(byte value)
        {
            base.WriteByte(value);
            Publish();
        }

        public override void SetLength(long value)
        {
            base.SetLength(value);
            Publish();
        }

        // MemoryStream.WriteAsync calls Write, so async writes publish too.

        void Publish()
        {
            lock (_storage.Gate) _file.Replace(GetBuffer(), Length, _storage.UtcNow);
        }
    }
}
