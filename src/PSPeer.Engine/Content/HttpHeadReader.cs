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
        int _scanned;         // where the search for the head's end goes on

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
        /// Starts from <paramref name="count"/> bytes already taken from the stream (a sniffer's) at the start of
        /// <paramref name="adopt"/>, which becomes the buffer itself rather than being copied: the rest of it is free for
        /// the next reads, and a head that is longer grows into a new buffer. Null or nothing read: a buffer of
        /// <paramref name="initialBytes"/>. The caller hands the array over: it may end up as <see cref="HeadBytes"/>.
        /// </summary>
        public HttpHeadReader(int maxHeadBytes, int initialBytes, byte[] adopt, int count)
        {
            if (maxHeadBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxHeadBytes));
            if (adopt != null && (count < 0 || count > adopt.Length)) throw new ArgumentOutOfRangeException(nameof(count));
            _max = maxHeadBytes;
            if (adopt == null || count == 0) _buffer = new byte[Math.Max(1, Math.Min(initialBytes, maxHeadBytes))];
            else
            {
                if (count > _max) throw new HttpHeadException(true, $"head larger than {_max} bytes");
                // Never more room than the bound: the reader must not buffer past it.
                _buffer = adopt.Length <= _max ? adopt : Copy(adopt, count, _max);
                _count = count;
            }
        }

        static byte[] Copy(byte[] bytes, int count, int size)
        {
            var copy = new byte[size];
            Buffer.BlockCopy(bytes, 0, copy, 0, count);
            return copy;
        }

        /// <summary>The bytes of the head <see cref="ReadHeadBytesAsync"/> just read start at index 0 (the buffer itself).</summary>
        public byte[] HeadBytes => _buffer;

        /// <summary>
        /// Bytes already taken from the stream by someone else (a listener that sniffed the first line to pick the
        /// protocol); they are read before the stream. At most the head bound.
        /// </summary>
        public void Prefill(byte[] bytes)
        {
            if (bytes == null || bytes.Length == 0) return;
            if (_start > 0 || _count > 0) throw new InvalidOperationException("Prefill comes before the first read.");
            if (bytes.Length > _max) throw new HttpHeadException(true, $"head larger than {_max} bytes");
            if (bytes.Length > _buffer.Length) _buffer = new byte[Math.Min(_max, Math.Max(bytes.Length, _buffer.Length * 2))];
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
            BeginHead();
            int length;
            while (!TryEndHead(out length))
                if (!Received(await stream.ReadAsync(ReadBuffer, ReadOffset, ReadCount, cancellationToken))) return -1;
            return length;
        }

        // The steps of ReadHeadBytesAsync, for a caller that reads from the stream in its own async method (one state
        // machine per head instead of two: a simulated network reads three heads per link).

        /// <summary>Starts a head: what is buffered moves to the front, so the whole buffer is available to it.</summary>
        public void BeginHead()
        {
            if (_start > 0)
            {
                if (_count > 0) Buffer.BlockCopy(_buffer, _start, _buffer, 0, _count);
                _start = 0;
            }
            _scanned = 0;
        }

        /// <summary>
        /// True, with the head's length, when the buffered bytes hold a whole head (its bytes at <see cref="HeadBytes"/>
        /// [0 .. length)); otherwise makes room for the next read at <see cref="ReadBuffer"/>[<see cref="ReadOffset"/>,
        /// <see cref="ReadCount"/> bytes]. Throws <see cref="HttpHeadException"/> when the head has reached the bound.
        /// </summary>
        public bool TryEndHead(out int headLength)
        {
            int end = FindHeadEnd(_scanned, out headLength);
            if (end >= 0)
            {
                _start = end;
                _count -= end;
                return true;
            }
            _scanned = Math.Max(0, _count - 3);
            if (_count >= _max)
                throw new HttpHeadException(true, $"head larger than {_max} bytes");
            if (_count == _buffer.Length)
            {
                var grown = new byte[Math.Min(_max, _buffer.Length * 2)];
                Buffer.BlockCopy(_buffer, 0, grown, 0, _count);
                _buffer = grown;
            }
            return false;
        }

        public byte[] ReadBuffer => _buffer;
        public int ReadOffset => _count;
        public int ReadCount => _buffer.Length - _count;

        /// <summary>
        /// Takes in <paramref name="n"/> bytes just read into <see cref="ReadBuffer"/>. False when the stream ended
        /// cleanly before any byte of a head; throws <see cref="HttpHeadException"/> when it ended inside one.
        /// </summary>
        public bool Received(int n)
        {
            if (n <= 0)
            {
                if (_count == 0) return false;
                throw new HttpHeadException(false, "connection closed in the middle of a head");
            }
            _count += n;
            return true;
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
