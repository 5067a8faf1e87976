using System;
using System.Text;

namespace PSPeer.Engine.Bencoding
{
    /// <summary>
    /// Writes bencode straight into a byte buffer, for hot paths (a datagram per message) where building a
    /// <see cref="BDictionary"/> tree would cost more than the message. The caller writes dictionary keys in raw byte
    /// order, as BEP 3 requires (<see cref="Bencode.Encode"/> sorts them for you; this does not).
    /// </summary>
    public sealed class BencodeWriter
    {
        static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, false);
        byte[] _buffer;
        int _length;

        public BencodeWriter(int capacity = 256) => _buffer = new byte[Math.Max(16, capacity)];

        /// <summary>Bytes written so far.</summary>
        public int Length => _length;

        /// <summary>The buffer written into (valid up to <see cref="Length"/>; replaced when it grows).</summary>
        public byte[] Buffer => _buffer;

        public void Clear() => _length = 0;

        public BencodeWriter BeginDictionary() { Byte((byte)'d'); return this; }
        public BencodeWriter BeginList() { Byte((byte)'l'); return this; }
        public BencodeWriter End() { Byte((byte)'e'); return this; }

        /// <summary>A dictionary key of ASCII text.</summary>
        public BencodeWriter Key(string ascii)
        {
            Number(ascii.Length);
            Byte((byte)':');
            Room(ascii.Length);
            for (int i = 0; i < ascii.Length; i++) _buffer[_length++] = (byte)ascii[i];
            return this;
        }

        public BencodeWriter Integer(long value)
        {
            Byte((byte)'i');
            if (value < 0)
            {
                Byte((byte)'-');
                if (value == long.MinValue) { Ascii("9223372036854775808"); return End(); }
                value = -value;
            }
            Number(value);
            return End();
        }

        public BencodeWriter String(byte[] bytes) => String(bytes, 0, bytes.Length);

        public BencodeWriter String(byte[] bytes, int offset, int count)
        {
            int at = BeginString(count);
            System.Buffer.BlockCopy(bytes, offset, _buffer, at, count);
            return this;
        }

        /// <summary>A string of UTF-8 text.</summary>
        public BencodeWriter Text(string text)
        {
            int count = Utf8.GetByteCount(text);
            int at = BeginString(count);
            Utf8.GetBytes(text, 0, text.Length, _buffer, at);
            return this;
        }

        /// <summary>Writes a string header for <paramref name="count"/> bytes and returns where in <see cref="Buffer"/> to put them.</summary>
        public int BeginString(int count)
        {
            Number(count);
            Byte((byte)':');
            Room(count);
            int at = _length;
            _length += count;
            return at;
        }

        public byte[] ToArray()
        {
            var bytes = new byte[_length];
            System.Buffer.BlockCopy(_buffer, 0, bytes, 0, _length);
            return bytes;
        }

        void Ascii(string digits)
        {
            Room(digits.Length);
            foreach (char c in digits) _buffer[_length++] = (byte)c;
        }

        void Number(long value)
        {
            Room(20);
            if (value == 0) { _buffer[_length++] = (byte)'0'; return; }
            int digits = 0;
            for (long v = value; v > 0; v /= 10) digits++;
            for (int i = digits - 1; i >= 0; i--)
            {
                _buffer[_length + i] = (byte)('0' + value % 10);
                value /= 10;
            }
            _length += digits;
        }

        void Byte(byte b)
        {
            Room(1);
            _buffer[_length++] = b;
        }

        void Room(int count)
        {
            if (_length + count <= _buffer.Length) return;
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
    }
}
