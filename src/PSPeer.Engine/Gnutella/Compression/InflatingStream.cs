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
            while (true)
            {
                int n;
                // Inflating is synchronous over what has arrived; only our own code awaits the network. (DeflateStream's
                // async reads await with ConfigureAwait(false), which would step outside a simulation's scheduler.)
                try { n = _inflate.Read(buffer, offset, count); }
                catch (InvalidDataException e) { throw new GnutellaProtocolException("the compressed stream is corrupt: " + e.Message, e); }
                if (n > 0)
                {
                    _plainBytes += n;
                    if (_plainBytes > FreeAllowance && _plainBytes > MaxRatio * _source.Count)
                        throw new GnutellaProtocolException(
                            $"the compressed stream inflates {_plainBytes} bytes from {_source.Count} (more than {MaxRatio}:1): a compression bomb");
                    return n;
                }
                // Everything that arrived is inflated: wait for more. A link ends by closing its connection between
                // flushes, so its stream has no final block; that is a clean end, not a truncation.
                if (!await _source.FillAsync(cancellationToken)) return 0;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        // Reads the zlib header, or leaves the first bytes for a raw deflate stream. False when the stream ends first.
        async Task<bool> StartAsync(CancellationToken cancellationToken)
        {
            while (_source.Available < 2)
                if (!await _source.FillAsync(cancellationToken))
                {
                    if (_source.Available == 0) return false;
                    throw new GnutellaProtocolException("the compressed stream ended inside its zlib header");
                }
            int cmf = _source.Peek(0), flg = _source.Peek(1);
            bool zlib = (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
            if (zlib && (flg & 0x20) != 0) throw new GnutellaProtocolException("the compressed stream asks for a preset dictionary, which Gnutella never uses");
            if (zlib) _source.Skip(2);
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

        /// <summary>
        /// The compressed side as the inflater sees it: a synchronous stream of the bytes that have arrived (the bytes
        /// read past the handshake first), which reads 0 when it has none; <see cref="FillAsync"/> awaits the connection.
        /// </summary>
        sealed class Source : Stream
        {
            const int ReadSize = 4096;
            readonly Stream _inner;
            byte[] _buffer;
            int _at, _end;

            public Source(Stream inner, byte[] alreadyRead)
            {
                _inner = inner;
                if (alreadyRead != null && alreadyRead.Length > 0) { _buffer = alreadyRead; _end = alreadyRead.Length; }
            }

            /// <summary>Compressed bytes handed to the inflater (or skipped) so far.</summary>
            public long Count { get; private set; }
            public int Available => _end - _at;
            public int Peek(int i) => _buffer[_at + i];
            public void Skip(int n) { _at += n; Count += n; }

            /// <summary>Reads more from the connection; false at its end.</summary>
            public async Task<bool> FillAsync(CancellationToken cancellationToken)
            {
                if (_at > 0 && _at < _end && _buffer.Length == ReadSize)
                {
                    Buffer.BlockCopy(_buffer, _at, _buffer, 0, _end - _at);   // keep the unread bytes in front
                    _end -= _at;
                    _at = 0;
                }
                else if (_at == _end) { _at = _end = 0; }
                if (_buffer == null || _buffer.Length != ReadSize)
                {
                    var own = new byte[ReadSize];
                    if (_end > _at) Buffer.BlockCopy(_buffer, _at, own, 0, _end - _at);
                    _end -= _at;
                    _at = 0;
                    _buffer = own;
                }
                if (_end == _buffer.Length) return true;   // full: the inflater must take some first
                int n = await _inner.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken);
                if (n <= 0) return false;
                _end += n;
                return true;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = Math.Min(count, _end - _at);
                if (n <= 0) return 0;
                Buffer.BlockCopy(_buffer, _at, buffer, offset, n);
                _at += n;
                Count += n;
                return n;
            }

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                Task.FromResult(Read(buffer, offset, count));

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
