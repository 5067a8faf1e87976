using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// One file of a torrent on storage: where it sits in the torrent's byte stream, and its stream, kept open and
    /// used by one operation at a time (Lock), because a stream has one position and live connections read and
    /// write pieces concurrently.
    /// <para>Serving blocks of a file nobody writes (a seeder's) does not take the lock: each read rents a bufferless
    /// reader of its own (<see cref="TryRentReader"/>), so connections read in parallel and no block is copied through a
    /// stream buffer. Opening the file for writing retires the readers (a simulated file's reader is a snapshot).</para>
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

        // Idle bufferless readers; _generation changes whenever they must not be used again (moved, written, closed).
        readonly object _readersGate = new object();
        readonly Stack<Stream> _readers = new Stack<Stream>();
        int _generation;
        /// <summary>At most this many idle readers are kept (one per connection reading at the same moment).</summary>
        const int MaxIdleReaders = 8;

        /// <summary>
        /// A bufferless reader of its own for one read, or null while the file is open for writing (then reads share
        /// the locked stream, which sees the writes). Give it back with <see cref="ReturnReader"/>.
        /// </summary>
        public Stream TryRentReader(IFileStorage storage, out int generation)
        {
            lock (_readersGate)
            {
                generation = _generation;
                if (_writable || _disposed) return null;
                if (_readers.Count > 0) return _readers.Pop();
            }
            return storage.OpenReadUnbuffered(FullPath);
        }

        public void ReturnReader(Stream reader, int generation)
        {
            lock (_readersGate)
            {
                if (generation == _generation && !_disposed && _readers.Count < MaxIdleReaders)
                {
                    _readers.Push(reader);
                    return;
                }
            }
            reader.Dispose();
        }

        void RetireReaders()
        {
            Stream[] idle;
            lock (_readersGate)
            {
                _generation++;
                idle = _readers.ToArray();
                _readers.Clear();
            }
            foreach (var reader in idle) reader.Dispose();
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
            RetireReaders();
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
            lock (_readersGate) _writable = true;
            return stream;
        }

        /// <summary>Closes the stream and the idle readers; a reader still rented is closed when it comes back.</summary>
        public void Dispose()
        {
            _stream?.Dispose();
            _stream = null;
            lock (_readersGate) _writable = false;
            RetireReaders();
        }

        /// <summary>
        /// For good (the storage is being disposed): closes the idle readers, refuses new ones and closes those still
        /// rented when they come back. Needs no <see cref="Lock"/>: the stream is the lock holder's to close.
        /// </summary>
        public void CloseReaders()
        {
            lock (_readersGate) _disposed = true;
            RetireReaders();
        }

        bool _disposed;
    }
}
