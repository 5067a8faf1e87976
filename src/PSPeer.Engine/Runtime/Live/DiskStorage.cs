using System;
using System.Collections.Generic;
using System.IO;

namespace PSPeer.Engine.Runtime.Live
{
    public sealed class DiskStorage : IFileStorage
    {
        public bool FileExists(string path) => File.Exists(path);
        public bool DirectoryExists(string path) => Directory.Exists(path);
        public IEnumerable<string> EnumerateFiles(string directory) => Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories);

        public StoredFileInfo GetInfo(string path)
        {
            var fi = new FileInfo(path);
            return new StoredFileInfo(fi.FullName, fi.Length, fi.LastWriteTimeUtc);
        }

        // Large buffers and async I/O: downloads and HTTP serving stream gigabytes through these.
        public Stream OpenRead(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

        // Bufferless (bufferSize 1): a seeder serves 16 KiB blocks from it, and a 64 KiB read-ahead buffer cost a second
        // copy of every block (issue 13's profile of seeding). Synchronous: callers read on the thread pool already.
        public Stream OpenReadUnbuffered(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);

        public Stream Create(string path)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            return new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
        }

        // Pieces are written and read at random offsets in large chunks, so no FileStream buffer (bufferSize 1): every
        // write reaches the file at once, other readers see it without a flush, and nothing is copied twice. Shared for
        // reading and writing, so a seeder and another reader of the file coexist.
        public Stream OpenReadWrite(string path)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
        }

        public void Move(string source, string destination, bool overwrite)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(destination));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            if (overwrite && File.Exists(destination)) File.Delete(destination);
            File.Move(source, destination);
        }

        public void DeleteEmptyDirectories(string path)
        {
            if (!Directory.Exists(path)) return;
            foreach (var sub in Directory.GetDirectories(path)) DeleteEmptyDirectories(sub);
            if (Directory.EnumerateFileSystemEntries(path).GetEnumerator().MoveNext()) return;
            try { Directory.Delete(path); }
            catch (IOException) { /* something appeared in it meanwhile: it stays */ }
        }

        public void Delete(string path) { if (File.Exists(path)) File.Delete(path); }
        public string Combine(string directory, string name) => Path.Combine(directory, name);
        public string GetFullPath(string path) => Path.GetFullPath(path);
    }
}
