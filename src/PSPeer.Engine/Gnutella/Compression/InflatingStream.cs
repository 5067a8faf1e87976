using System;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella.Compression
{
    /// <summary>
    /// The receiving half of a compressed link: a read-only stream of the plain messages inside the zlib stream the
    /// other servent sends. Bytes already read past the handshake come first. Reads return as soon as a sync flush
    /// made some bytes decodable, so messages are handed on as they arrive, not when a buffer fills.
    /// </summary>
    /// <remarks>
    /// "deflate" is ambiguous in practice: gtk-gnutella and LimeWire send the zlib wrapper (RFC 1950), but a raw
    /// RFC 1951 stream has been seen from other servents. The first two bytes decide: a valid zlib header is consumed,
    /// anything else is taken for raw deflate.
    /// Bounded inflate: after a free first <see cref="FreeAllowance"/>, the plain bytes may be at most
    /// <see cref="MaxRatio"/> times the compressed bytes received. Real Gnutella traffic compresses about 2:1; a stream
    /// that inflates 1000:1 (deflate's limit) is a bomb, and ends this link only, as malformed.
    /// </remarks>
    sealed class InflatingStream : Stream
    {
        public const long FreeAllowance = 1024 * 1024;
        public const int MaxRatio = 100;

        readonly Source _source;
        DeflateStream _inflate;
        long _plainBytes;

        public InflatingStream(Stream compressed, byte[] alreadyRead)
        {
            _source = new Source(compressed ?? throw new ArgumentNullException(nameof(compressed)), alreadyRead);
        }

        /// <summary>Compressed bytes taken from the connection so far.</summary>
        public long CompressedBytes => _source.Count;
        /// <summary>Plain bytes handed out so far.</summary>
        public long PlainBytes => _plainBytes;

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (count == 0) return 0;
            if (_inflate == null)
            {
                if (!await StartAsync(cancellationToken)) return 0;
            }
            int n;
            try { n = await _inflate.ReadAsync(buffer, offset, count, cancellationToken); }
            catch (InvalidDataException e)
            {
                // A link closes between flushes, so its stream has no final block: a clean end, not corruption.
                if (_source.Ended) return 0;
                throw new GnutellaProtocolException("the compressed stream is corrupt: " + e.Message, e);
            }
            _plainBytes += n;
            if (_plainBytes > FreeAllowance && _plainBytes > MaxRatio * _source.Count)
                throw new GnutellaProtocolException(
                    $"the compressed stream inflates {_plainBytes} bytes from {_source.Count} (more than {MaxRatio}:1): a compression bomb");
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        // Reads the zlib header, or leaves the first bytes for a raw deflate stream. False when the stream ends first.
        async Task<bool> StartAsync(CancellationToken cancellationToken)
        {
            var header = new byte[2];
            int got = 0;
            while (got < 2)
            {
                int n = await _source.ReadAsync(header, got, 2 - got, cancellationToken);
                if (n <= 0)
                {
                    if (got == 0) return false;
                    throw new GnutellaProtocolException("the compressed stream ended inside its zlib header");
                }
                got += n;
            }
            int cmf = header[0], flg = header[1];
            bool zlib = (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
            if (zlib && (flg & 0x20) != 0) throw new GnutellaProtocolException("the compressed stream asks for a preset dictionary, which Gnutella never uses");
            if (!zlib) _source.Unread(header);
            _inflate = new DeflateStream(_source, CompressionMode.Decompress, leaveOpen: true);
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inflate?.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <summary>The compressed side: pushed-back and already-read bytes first, then the connection; counts what it hands out.</summary>
        sealed class Source : Stream
        {
            readonly Stream _inner;
            byte[] _pending;
            int _pendingAt;

            public Source(Stream inner, byte[] alreadyRead)
            {
                _inner = inner;
                _pending = alreadyRead != null && alreadyRead.Length > 0 ? alreadyRead : null;
            }

            public long Count { get; private set; }
            public bool Ended { get; private set; }

            public void Unread(byte[] bytes)
            {
                int rest = _pending == null ? 0 : _pending.Length - _pendingAt;
                var joined = new byte[bytes.Length + rest];
                Buffer.BlockCopy(bytes, 0, joined, 0, bytes.Length);
                if (rest > 0) Buffer.BlockCopy(_pending, _pendingAt, joined, bytes.Length, rest);
                _pending = joined;
                _pendingAt = 0;
                Count -= bytes.Length;
            }

            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                int n;
                if (_pending != null)
                {
                    n = Math.Min(count, _pending.Length - _pendingAt);
                    Buffer.BlockCopy(_pending, _pendingAt, buffer, offset, n);
                    _pendingAt += n;
                    if (_pendingAt == _pending.Length) { _pending = null; _pendingAt = 0; }
                }
                else
                {
                    n = await _inner.ReadAsync(buffer, offset, count, cancellationToken);
                    if (n <= 0) { Ended = true; return 0; }
                }
                Count += n;
                return n;
            }

            public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
