using System;
using System.Collections.Generic;
using System.IO;

namespace PSPeer.Engine.Runtime
{
    /// <summary>Files as protocol code sees them: real files live, an in-memory tree per host in a simulation.</summary>
    public interface IFileStorage
    {
        bool FileExists(string path);
        bool DirectoryExists(string path);
        /// <summary>Every file under <paramref name="directory"/>, recursively, as full paths.</summary>
        IEnumerable<string> EnumerateFiles(string directory);
        StoredFileInfo GetInfo(string path);
        Stream OpenRead(string path);
        /// <summary>Creates or truncates, creating parent directories.</summary>
        Stream Create(string path);
        /// <summary>
        /// A readable, writable, seekable stream over the file, created empty (with parent directories) when missing and
        /// never truncated: torrent storage writes pieces at their offsets and resumes from what is already there.
        /// </summary>
        Stream OpenReadWrite(string path);
        /// <summary>Moves a file, creating the destination's parent directories; IOException when it exists and !overwrite.</summary>
        void Move(string source, string destination, bool overwrite);
        void Delete(string path);
        /// <summary>Removes the directory and its subdirectories when no file is left in them; leaves any that hold files.</summary>
        void DeleteEmptyDirectories(string path);
        string Combine(string directory, string name);
        string GetFullPath(string path);
        /// <summary>
        /// A read-only stream with no buffer of its own, for blocks read at scattered offsets: each Read is one positioned
        /// read of the file, nothing is read ahead or copied twice. Several may be open on one file, also while it is open
        /// for writing.
        /// </summary>
        Stream OpenReadUnbuffered(string path);
    }

    public sealed class StoredFileInfo
    {
        public StoredFileInfo(string path, long length, DateTime lastWriteUtc) { Path = path; Length = length; LastWriteUtc = lastWriteUtc; }
        public string Path { get; }
        public long Length { get; }
        public DateTime LastWriteUtc { get; }
    }
}
