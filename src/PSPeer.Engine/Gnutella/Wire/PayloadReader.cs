using System.Text;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// A bounds-checked cursor over one payload. Every read that would run past the end throws
    /// <see cref="GnutellaProtocolException"/>, so decoders never index outside what the peer sent.
    /// </summary>
    /// <remarks>
    /// A struct (every descriptor decoded made one): pass it by ref to whatever reads on with it.
    /// </remarks>
    struct PayloadReader
    {
        readonly byte[] _buffer;
        readonly int _end;
        readonly string _what;
        int _position;

        public PayloadReader(byte[] buffer, int offset, int count, string what)
        {
            _buffer = buffer;
            _position = offset;
            _end = offset + count;
            _what = what;
        }

        public int Position { get => _position; private set => _position = value; }
        public int End => _end;
        public int Remaining => _end - Position;
        public byte[] Buffer => _buffer;

        public void Need(int count)
        {
            if (count < 0 || Remaining < count) throw new GnutellaProtocolException($"{_what} payload is truncated");
        }

        public byte ReadByte() { Need(1); return _buffer[Position++]; }
        public ushort ReadUInt16() { Need(2); var v = LittleEndian.ReadUInt16(_buffer, Position); Position += 2; return v; }
        public uint ReadUInt32() { Need(4); var v = LittleEndian.ReadUInt32(_buffer, Position); Position += 4; return v; }

        public string ReadIPv4()
        {
            Need(4);
            string s = IPv4.Format(_buffer, Position);
            Position += 4;
            return s;
        }

        public GnutellaGuid ReadGuid()
        {
            Need(GnutellaGuid.Size);
            var g = GnutellaGuid.Read(_buffer, Position);
            Position += GnutellaGuid.Size;
            return g;
        }

        public byte[] ReadBytes(int count)
        {
            Need(count);
            var bytes = new byte[count];
            System.Buffer.BlockCopy(_buffer, Position, bytes, 0, count);
            Position += count;
            return bytes;
        }

        public void Skip(int count) { Need(count); Position += count; }

        /// <summary>Index of the next NUL at or after the cursor, below <paramref name="limit"/>; -1 when there is none.</summary>
        public int IndexOfNul(int limit)
        {
            for (int i = Position; i < limit; i++) if (_buffer[i] == 0) return i;
            return -1;
        }

        /// <summary>UTF-8 text up to the next NUL (consumed); throws when the NUL is missing.</summary>
        public string ReadNulTerminated(string field)
        {
            int start = Position;
            SkipNulTerminated(field);
            return Encoding.UTF8.GetString(_buffer, start, Position - 1 - start);
        }

        /// <summary>Moves past the next NUL, as <see cref="ReadNulTerminated"/> does, without making the text.</summary>
        public void SkipNulTerminated(string field)
        {
            int nul = IndexOfNul(_end);
            if (nul < 0) throw new GnutellaProtocolException($"{_what} {field} has no terminating NUL");
            Position = nul + 1;
        }

        public void MoveTo(int position)
        {
            if (position < Position || position > _end) throw new GnutellaProtocolException($"{_what} payload is truncated");
            Position = position;
        }
    }
}
