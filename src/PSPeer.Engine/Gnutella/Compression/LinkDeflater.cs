using System;
using System.IO;
using System.IO.Compression;

namespace PSPeer.Engine.Gnutella.Compression
{
    /// <summary>
    /// The sending half of a compressed link, sans-IO: plain message batches in, zlib stream bytes out. The first
    /// output starts with the 2-byte zlib header; every output ends in a sync flush (an empty stored block,
    /// 00 00 FF FF), so the other side can inflate every message of the batch as soon as it arrives. The stream is
    /// never finished (no final block, no Adler-32): a link ends by closing its connection, as in gtk-gnutella.
    /// Not thread-safe: the link's one writer owns it.
    /// </summary>
    /// <remarks>
    /// Memory: System.IO.Compression (netstandard2.0, and still in .NET 10) gives no way to choose zlib's window or
    /// memory level; a compressor holds about 300 KiB resident at any level (measured). <see cref="Release"/> gives
    /// that back while a link is quiet: the next batch starts a new compressor, whose blocks simply do not refer to
    /// what came before, which any inflater accepts — the stream stays one valid deflate stream.
    /// </remarks>
    sealed class LinkDeflater : IDisposable
    {
        // 0x78: deflate with a 32 KiB window; 0x9C: default level, no preset dictionary; 0x789C is a multiple of 31.
        static readonly byte[] ZlibHeader = { 0x78, 0x9C };

        readonly MemoryStream _output = new MemoryStream();
        DeflateStream _deflate;
        bool _headerWritten;
        bool _disposed;

        /// <summary>Plain bytes compressed so far.</summary>
        public long PlainBytes { get; private set; }
        /// <summary>Stream bytes produced so far (header included).</summary>
        public long CompressedBytes { get; private set; }
        /// <summary>Whether a compressor (and its window) is held right now.</summary>
        public bool HoldsCompressor => _deflate != null;

        /// <summary>Compresses one batch and flushes it: the bytes returned decode to exactly <paramref name="plain"/>'s range.</summary>
        public byte[] Compress(byte[] plain, int offset, int count)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(LinkDeflater));
            if (!_headerWritten)
            {
                _output.Write(ZlibHeader, 0, ZlibHeader.Length);
                _headerWritten = true;
            }
            if (_deflate == null) _deflate = new DeflateStream(_output, CompressionLevel.Optimal, leaveOpen: true);
            _deflate.Write(plain, offset, count);
            _deflate.Flush();
            var bytes = _output.ToArray();
            _output.SetLength(0);
            PlainBytes += count;
            CompressedBytes += bytes.Length;
            return bytes;
        }

        /// <summary>Frees the compressor and its history; the next <see cref="Compress"/> starts a new one.</summary>
        public void Release()
        {
            if (_deflate == null) return;
            long kept = _output.Length;
            // Disposing finishes the deflate stream with a final block; it is cut off, because the stream goes on.
            _deflate.Dispose();
            _deflate = null;
            _output.SetLength(kept);
            if (kept == 0) _output.Capacity = 0;   // the output buffer grew to the largest batch: give that back too
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Release();
        }
    }
}
