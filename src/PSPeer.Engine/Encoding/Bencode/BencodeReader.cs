using System;
using System.Globalization;

namespace PSPeer.Engine.Bencoding
{
    /// <summary>
    /// Reads bencode one token at a time over a byte range, allocating nothing but what the caller asks for: for
    /// hot paths (a datagram per message) that pick a few known fields and skip the rest. As strict as
    /// <see cref="Bencode.Decode(byte[], BencodeLimits)"/> about each token (no leading zeros, no "-0", 64-bit
    /// integers, string lengths within the data) and nesting (at most <see cref="MaxDepth"/> levels when skipping);
    /// duplicate keys are the caller's to refuse. Every violation throws <see cref="BencodeException"/>.
    /// </summary>
    public sealed class BencodeReader
    {
        readonly byte[] _data;
        readonly int _start;

        public BencodeReader(byte[] data, int offset, int count, int maxDepth = 16)
        {
            _data = data ?? throw new ArgumentNullException(nameof(data));
            if (offset < 0 || count < 0 || offset > data.Length - count) throw new ArgumentOutOfRangeException(nameof(count));
            _start = Position = offset;
            End = offset + count;
            MaxDepth = maxDepth;
        }

        public byte[] Data => _data;
        /// <summary>Where the next token starts (an index into <see cref="Data"/>); may be set back to an earlier token.</summary>
        public int Position { get; set; }
        /// <summary>One past the last byte to read.</summary>
        public int End { get; }
        public int MaxDepth { get; }

        public bool AtEnd => Position >= End;

        /// <summary>The next token: 'i' integer, 's' string, 'l' list, 'd' dictionary, 'e' end of a list or dictionary.</summary>
        public char Peek()
        {
            if (Position >= End) throw Error("Unexpected end of data: expected a value");
            byte b = _data[Position];
            switch (b)
            {
                case (byte)'i': return 'i';
                case (byte)'l': return 'l';
                case (byte)'d': return 'd';
                case (byte)'e': return 'e';
                default:
                    if (b >= (byte)'0' && b <= (byte)'9') return 's';
                    throw Error("Unexpected byte 0x" + b.ToString("x2", CultureInfo.InvariantCulture));
            }
        }

        public void EnterDictionary() => Expect((byte)'d', "a dictionary");
        public void EnterList() => Expect((byte)'l', "a list");

        /// <summary>Consumes the 'e' that ends a list or dictionary when it is next; false when a value is next.</summary>
        public bool TryReadEnd()
        {
            if (Position >= End) throw Error("Unexpected end of data inside a list or dictionary");
            if (_data[Position] != (byte)'e') return false;
            Position++;
            return true;
        }

        public long ReadInteger()
        {
            int begin = Position;
            Expect((byte)'i', "an integer");
            bool negative = false;
            if (Position < End && _data[Position] == (byte)'-') { negative = true; Position++; }
            int digitsStart = Position;
            long value = 0; // accumulated negative so long.MinValue fits
            while (Position < End && _data[Position] >= (byte)'0' && _data[Position] <= (byte)'9')
            {
                int digit = _data[Position] - '0';
                if (value < (long.MinValue + digit) / 10) throw Error("Integer out of range of a 64-bit value", begin);
                value = value * 10 - digit;
                Position++;
            }
            int digits = Position - digitsStart;
            if (Position >= End || _data[Position] != (byte)'e') throw Error("An integer that does not end in 'e'", begin);
            if (digits == 0) throw Error("Integer without digits", begin);
            if (digits > 1 && _data[digitsStart] == (byte)'0') throw Error("Integer with a leading zero", begin);
            if (negative && value == 0) throw Error("Negative zero is not a valid integer", begin);
            if (!negative)
            {
                if (value == long.MinValue) throw Error("Integer out of range of a 64-bit value", begin);
                value = -value;
            }
            Position++;
            return value;
        }

        /// <summary>Reads a string token: where its bytes are in <see cref="Data"/> and how many.</summary>
        public void ReadString(out int start, out int length)
        {
            int begin = Position;
            long n = 0;
            while (Position < End && _data[Position] >= (byte)'0' && _data[Position] <= (byte)'9')
            {
                n = n * 10 + (_data[Position] - '0');
                if (n > End) throw Error("String longer than the data", begin);
                Position++;
            }
            if (Position == begin) throw Error("Expected a string", begin);
            if (Position >= End || _data[Position] != (byte)':') throw Error("A string length that does not end in ':'", begin);
            if (Position - begin > 1 && _data[begin] == (byte)'0') throw Error("String length with a leading zero", begin);
            Position++;
            if (n > End - Position) throw Error("String of " + n + " bytes runs past the end of the data", begin);
            start = Position;
            length = (int)n;
            Position += length;
        }

        /// <summary>A string token's bytes, copied.</summary>
        public byte[] ReadBytes()
        {
            ReadString(out int start, out int length);
            var bytes = new byte[length];
            Buffer.BlockCopy(_data, start, bytes, 0, length);
            return bytes;
        }

        /// <summary>Whether the bytes at <paramref name="start"/> are exactly the ASCII text <paramref name="ascii"/>.</summary>
        public bool Equals(int start, int length, string ascii)
        {
            if (length != ascii.Length) return false;
            for (int i = 0; i < length; i++) if (_data[start + i] != (byte)ascii[i]) return false;
            return true;
        }

        /// <summary>Steps over one whole value (nested lists and dictionaries included, up to <see cref="MaxDepth"/>).</summary>
        public void Skip()
        {
            int depth = 0;
            do
            {
                switch (Peek())
                {
                    case 'i': ReadInteger(); break;
                    case 's': ReadString(out _, out _); break;
                    case 'l':
                    case 'd':
                        if (++depth > MaxDepth) throw Error("Lists and dictionaries nested deeper than " + MaxDepth + " levels");
                        Position++;
                        break;
                    case 'e':
                        if (depth == 0) throw Error("Unexpected 'e': expected a value");
                        depth--;
                        Position++;
                        break;
                }
            } while (depth > 0);
        }

        void Expect(byte b, string what)
        {
            if (Position >= End || _data[Position] != b) throw Error("Expected " + what);
            Position++;
        }

        BencodeException Error(string message, int at = -1) => new BencodeException(message, (at < 0 ? Position : at) - _start);
    }
}
