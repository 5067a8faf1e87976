using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// The file a download writes, hashed as it grows: one SHA-1 over every part, whether the bytes came in one 200 or
    /// in many 206 ranges over one or several connections. Parts must arrive in order (each starts where the last ended).
    /// </summary>
    sealed class DownloadBody : IDisposable
    {
        // 256 KiB reads: few system calls per gigabyte, yet small enough that each chunk is still in the CPU cache
        // when SHA-1 and the file write read it again (1 MiB chunks measured ~30% slower to write here).
        const int ChunkSize = 256 * 1024;
        internal const int WriteSlice = 16 * 1024;
        static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

        readonly IPeerRuntime _runtime;
        readonly Stream _file;
        readonly SearchHit _hit;
        readonly IProgress<DownloadProgress> _progress;
        readonly CancellationToken _token;
        readonly SHA1 _sha = SHA1.Create();
        readonly byte[][] _buffers = { new byte[ChunkSize], new byte[ChunkSize] };
        readonly DateTimeOffset _started;
        DateTimeOffset _lastReport;

        public DownloadBody(IPeerRuntime runtime, Stream file, SearchHit hit, IProgress<DownloadProgress> progress, CancellationToken token)
        {
            _runtime = runtime; _file = file; _hit = hit; _progress = progress; _token = token;
            _started = _lastReport = runtime.Clock.Now;
            Total = hit.Size;
        }

        /// <summary>Bytes written so far: where the next part must start.</summary>
        public long Received { get; private set; }

        /// <summary>The whole file's size when known (from the hit, the Content-Length or a Content-Range); -1 otherwise.</summary>
        public long Total { get; set; }

        /// <summary>
        /// Copies <paramref name="count"/> bytes (or, when negative, everything until the stream ends) from
        /// <paramref name="read"/> into the file. Two buffers: while one is hashed and written, the network fills the
        /// other, so the socket, SHA-1 and the disk work at the same time.
        /// </summary>
        public async Task ReceiveAsync(Func<byte[], int, int, Task<int>> read, long count, string source)
        {
            long limit = count >= 0 ? count : (_hit.Size >= 0 ? _hit.Size - Received : long.MaxValue);
            long got = 0;
            Task pendingWrite = null;
            Task<int> pendingFill = null;
            try
            {
                int current = 0;
                int n = await FillAsync(read, _buffers[current], Want(limit, got));
                while (n > 0)
                {
                    got += n;
                    // Only a close-delimited body can overrun: the fill never asks past a known count.
                    if (count < 0 && got > limit)
                        throw new PeerException(PeerErrorIds.DownloadFailed, $"{source} sent more than the {_hit.Size} bytes announced for '{_hit.Name}'.");
                    // The other buffer's write must finish before the network may fill it again.
                    if (pendingWrite != null) { await pendingWrite; pendingWrite = null; }
                    int want = Want(limit, got);
                    pendingFill = want > 0 ? FillAsync(read, _buffers[1 - current], want) : null;
                    // Start the write first and hash while it runs: both only read the buffer, and on two cores the
                    // disk copy and SHA-1 then overlap instead of following each other.
                    pendingWrite = WriteInSlicesAsync(_buffers[current], n);
                    _sha.TransformBlock(_buffers[current], 0, n, null, 0);
                    Received += n;
                    Report(false);
                    if (pendingFill == null) break;
                    n = await pendingFill;
                    pendingFill = null;
                    current = 1 - current;
                }
                if (pendingWrite != null) { await pendingWrite; pendingWrite = null; }
                if (count >= 0 && got < count)
                    throw new PeerException(PeerErrorIds.DownloadFailed,
                        $"{source} closed the connection after {Received} of {(Total >= 0 ? Total : Received - got + count)} bytes of '{_hit.Name}'.");
            }
            finally
            {
                // Never dispose the file or the buffers under an operation still in flight.
                if (pendingFill != null) { try { await pendingFill; } catch (Exception) { } }
                if (pendingWrite != null) { try { await pendingWrite; } catch (Exception) { } }
            }
        }

        /// <summary>
        /// Writes a chunk off the caller's thread (it hashes meanwhile) in writes of at most 16 KiB, the size curl and
        /// libtorrent write in: one 256 KiB write a chunk made a 1 GiB download bimodal here, 1.4-1.6 s or 2.0-2.9 s as
        /// the kernel's page-cache copy was cheap or dear, and slices took it to 1.44-1.84 s every run (`PSPeer.Benchmarks
        /// transfer --runs 5`, two back-to-back pairs, medians 2.20/2.03 s -> 1.56/1.65 s; see PieceStorage.WriteSlice).
        /// One pool item for the whole chunk, not one async write a slice: each of those is a hop of its own on Unix.
        /// A simulation's file is in memory and its runtime has no pool threads to spare: one write, as before.
        /// </summary>
        Task WriteInSlicesAsync(byte[] buffer, int count)
        {
            if (_runtime.IsSimulated) return _file.WriteAsync(buffer, 0, count, _token);
            return Task.Run(() =>
            {
                for (int done = 0; done < count; done += WriteSlice)
                    _file.Write(buffer, done, Math.Min(WriteSlice, count - done));
            }, _token);
        }

        /// <summary>Flushes the file and returns the SHA-1 of everything received.</summary>
        public async Task<ContentHash> FinishAsync()
        {
            await _file.FlushAsync(_token);
            _sha.TransformFinalBlock(_buffers[0], 0, 0);
            Report(true);
            return new ContentHash(_sha.Hash);
        }

        void Report(bool last)
        {
            if (_progress == null) return;
            var now = _runtime.Clock.Now;
            if (!last && now - _lastReport < ProgressInterval) return;
            _lastReport = now;
            var elapsed = now - _started;
            _progress.Report(new DownloadProgress(_hit.Name, Received, Total, elapsed.TotalSeconds > 0 ? Received / elapsed.TotalSeconds : 0));
        }

        static int Want(long limit, long got) => (int)Math.Min(ChunkSize, limit - got);

        // Fills up to `want` bytes; fewer only at end of stream.
        static async Task<int> FillAsync(Func<byte[], int, int, Task<int>> read, byte[] buffer, int want)
        {
            int got = 0;
            while (got < want)
            {
                int n = await read(buffer, got, want - got);
                if (n <= 0) break;
                got += n;
            }
            return got;
        }

        public void Dispose() => _sha.Dispose();
    }
}
