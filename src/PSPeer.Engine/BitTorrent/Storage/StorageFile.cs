using System;
using System.IO;
using System.Threading;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// One file of a torrent on storage: where it sits in the torrent's byte stream, and its stream, kept open and
    /// used by one operation at a time (Lock), because a stream has one position and live connections read and
    /// write pieces concurrently.
    /// </summary>
    sealed class StorageFile : IDisposable
    {
        public StorageFile(string fullPath, long offset, long length)
        {
            FullPath = fullPath;
            Offset = offset;
            Length = length;
        }

        /// <summary>Where the file is now: its partial name while downloading, its final name once promoted.</summary>
        public string FullPath { get; private set; }

        /// <summary>Points at the file's new place after a move; the caller holds <see cref="Lock"/> and closed the stream.</summary>
        public void Relocate(string fullPath)
        {
            Dispose();
            FullPath = fullPath;
        }
        /// <summary>Where the file starts in the torrent's byte stream.</summary>
        public long Offset { get; }
        public long Length { get; }
        public long End => Offset + Length;

        /// <summary>Held across one seek-and-read or seek-and-write (an async lock: the I/O is awaited).</summary>
        public SemaphoreSlim Lock { get; } = new SemaphoreSlim(1, 1);

        Stream _stream;
        bool _writable;

        /// <summary>A stream to read from: the open one, or the file opened read-only (a seeder's files may be read-only).</summary>
        public Stream ForReading(IFileStorage storage)
        {
            if (_stream == null) _stream = storage.OpenRead(FullPath);
            return _stream;
        }

        /// <summary>A writable stream over the file, created at its full length the first time (never truncated).</summary>
        public Stream ForWriting(IFileStorage storage)
        {
            if (_writable) return _stream;
            _stream?.Dispose();
            _stream = null;
            var stream = storage.OpenReadWrite(FullPath);
            try
            {
                if (stream.Length < Length) stream.SetLength(Length);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
            _stream = stream;
            _writable = true;
            return stream;
        }

        public void Dispose()
        {
            _stream?.Dispose();
            _stream = null;
            _writable = false;
        }
    }
}
