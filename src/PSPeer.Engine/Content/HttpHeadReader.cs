using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Content
{
    /// <summary>Thrown when a request or response head exceeds its bound, or the stream ends inside a head.</summary>
    sealed class HttpHeadException : Exception
    {
        public HttpHeadException(bool tooLarge, string message) : base(message) => TooLarge = tooLarge;
        public bool TooLarge { get; }
    }

    /// <summary>
    /// Reads CRLF-framed heads (start line + header fields, up to the empty line: HTTP, and the Gnutella 0.6
    /// handshake) from a byte stream into a buffer that never grows past the bound, so a peer can never make us
    /// allocate more than it. Bytes read past the head (a body, the next pipelined request, the first Gnutella
    /// messages) stay buffered and are handed out first by <see cref="ReadBodyAsync"/> or <see cref="TakeBuffered"/>.
    /// </summary>
    sealed class HttpHeadReader
    {
        static readonly byte[] NothingBuffered = new byte[0];
        readonly int _max;
        byte[] _buffer;
        int _start, _count;   // buffered, unconsumed bytes are _buffer[_start .. _start+_count)

        /// <param name="maxHeadBytes">The bound on one head (and on everything buffered while reading it).</param>
        /// <param name="initialBytes">
        /// Start with a smaller buffer that doubles toward the bound: for readers made per head in bulk (a simulated
        /// Gnutella network reads three heads per link), where a full-size buffer each time is most of the garbage.
        /// </param>
        public HttpHeadReader(int maxHeadBytes, int initialBytes = int.MaxValue)
        {
            if (maxHeadBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxHeadBytes));
            _max = maxHeadBytes;
            _buffer = new byte[Math.Max(1, Math.Min(initialBytes, maxHeadBytes))];
        }

        /// <summary>
        /// Starts with a buffer rented from <paramref name="pool"/> (for readers made per head in bulk, whose heads are
        /// copied out before the reader goes); <see cref="ReturnBuffer"/> gives it back.
        /// </summary>
        public HttpHeadReader(int maxHeadBytes, BufferPool pool)
        {
            if (maxHeadBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxHeadBytes));
            if (pool == null) throw new ArgumentNullException(nameof(pool));
            _max = maxHeadBytes;
            _pool = pool;
            _buffer = pool.BufferSize <= maxHeadBytes ? pool.Rent() : new byte[maxHeadBytes];
            _rented = _buffer.Length == pool.BufferSize;
        }

        readonly BufferPool _pool;
        bool _rented;

        // A larger buffer takes over (its content already copied); a rented one goes back to its pool.
        void Replace(byte[] larger)
        {
            if (_rented) _pool.Return(_buffer);
            _rented = false;
            _buffer = larger;
        }

        /// <summary>The bytes of the head <see cref="ReadHeadBytesAsync"/> just read start at index 0.</summary>
        public byte[] HeadBytes => _buffer;

        /// <summary>Gives a rented buffer back to its pool; the reader is unusable after. Nothing buffered may still be needed.</summary>
        public void ReturnBuffer()
        {
            if (_pool != null && _rented) _pool.Return(_buffer);
            _rented = false;
            _buffer = null;
            _count = 0;
            _start = 0;
        }

        /// <summary>
        /// Bytes already taken from the stream by someone else (a listener that sniffed the first line to pick the
        /// protocol); they are read before the stream. At most the head bound.
        /// </summary>
        public void Prefill(byte[] bytes)
        {
            if (bytes == null || bytes.Length == 0) return;
            if (_start > 0 || _count > 0) throw new InvalidOperationException("Prefill comes before the first read.");
            if (bytes.Length > _max) throw new HttpHeadException(true, $"head larger than {_max} bytes");
            if (bytes.Length > _buffer.Length) Replace(new byte[Math.Min(_max, Math.Max(bytes.Length, _buffer.Length * 2))]);
            Buffer.BlockCopy(bytes, 0, _buffer, 0, bytes.Length);
            _count = bytes.Length;
        }

        /// <summary>
        /// The next head as Latin-1 text without the final empty line, or null when the stream ends cleanly before any
        /// byte of a new head. Throws <see cref="HttpHeadException"/> when the head is too large or cut off.
        /// </summary>
        public async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
        {
            int length = await ReadHeadBytesAsync(stream, cancellationToken);
            return length < 0 ? null : Latin1.Text(_buffer, 0, length);
        }

        /// <summary>
        /// The next head's length in bytes without the final empty line, its bytes at <see cref="HeadBytes"/>[0 ..
        /// length) until the next read; -1 when the stream ends cleanly before any byte of a new head. Throws
        /// <see cref="HttpHeadException"/> when the head is too large or cut off.
        /// </summary>
        public async Task<int> ReadHeadBytesAsync(Stream stream, CancellationToken cancellationToken)
        {
            // Compact so the whole buffer is available for this head.
            if (_start > 0)
            {
                if (_count > 0) Buffer.BlockCopy(_buffer, _start, _buffer, 0, _count);
                _start = 0;
            }
            int scanned = 0;
            while (true)
            {
                int end = FindHeadEnd(scanned, out int headLength);
                if (end >= 0)
                {
                    _start = end;
                    _count -= end;
                    return headLength;
                }
                scanned = Math.Max(0, _count - 3);
                if (_count >= _max)
                    throw new HttpHeadException(true, $"head larger than {_max} bytes");
                if (_count == _buffer.Length)
                {
                    var grown = new byte[Math.Min(_max, _buffer.Length * 2)];
                    Buffer.BlockCopy(_buffer, 0, grown, 0, _count);
                    Replace(grown);
                }
                int n = await stream.ReadAsync(_buffer, _count, _buffer.Length - _count, cancellationToken);
                if (n <= 0)
                {
                    if (_count == 0) return -1;
                    throw new HttpHeadException(false, "connection closed in the middle of a head");
                }
                _count += n;
            }
        }

        /// <summary>The bytes read past the last head, handed over (and no longer buffered here).</summary>
        public byte[] TakeBuffered()
        {
            if (_count == 0) return NothingBuffered;
            var rest = new byte[_count];
            Buffer.BlockCopy(_buffer, _start, rest, 0, _count);
            _start += _count;
            _count = 0;
            return rest;
        }

        /// <summary>Reads body bytes: buffered ones first, then from the stream. Returns 0 at end of stream.</summary>
        public Task<int> ReadBodyAsync(Stream stream, byte[] destination, int offset, int count, CancellationToken cancellationToken)
        {
            if (_count > 0)
            {
                int n = Math.Min(count, _count);
                Buffer.BlockCopy(_buffer, _start, destination, offset, n);
                _start += n;
                _count -= n;
                return Task.FromResult(n);
            }
            return stream.ReadAsync(destination, offset, count, cancellationToken);
        }

        // Finds the empty line ending the head: CRLFCRLF, or bare LFLF from lenient peers. Returns the index just after
        // it and the length of the head text before the empty line.
        int FindHeadEnd(int from, out int headLength)
        {
            for (int i = from; i < _count; i++)
            {
                if (_buffer[i] != (byte)'\n') continue;
                if (i + 1 < _count && _buffer[i + 1] == (byte)'\n') { headLength = i + 1; return i + 2; }
                if (i + 2 < _count && _buffer[i + 1] == (byte)'\r' && _buffer[i + 2] == (byte)'\n') { headLength = i + 1; return i + 3; }
            }
            headLength = 0;
            return -1;
        }

    }
}
