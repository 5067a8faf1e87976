using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Napster
{
    /// <summary>
    /// Builds frames into one reusable buffer so that many messages (every result of a search and its end marker, a
    /// whole file list) leave in a single write. Fields are appended straight as bytes: the hot path (search results)
    /// allocates nothing once the buffer has grown to its working size.
    /// </summary>
    public sealed class NapsterFrameWriter
    {
        static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, false);
        const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

        byte[] _buffer;
        int _length;
        int _frameStart = -1;

        public NapsterFrameWriter(int initialCapacity = 4096) => _buffer = new byte[Math.Max(64, initialCapacity)];

        /// <summary>Bytes of complete frames waiting to be written.</summary>
        public int Length => _frameStart < 0 ? _length : _frameStart;
        public byte[] Buffer => _buffer;

        /// <summary>Starts a frame; finish it with <see cref="End"/> (or drop it with <see cref="Cancel"/>).</summary>
        public NapsterFrameWriter Begin(NapsterMessageType type)
        {
            if (_frameStart >= 0) throw new InvalidOperationException("The previous frame was not ended.");
            Ensure(NapsterFrameReader.HeaderSize);
            _frameStart = _length;
            _buffer[_length + 2] = (byte)(ushort)type;
            _buffer[_length + 3] = (byte)((ushort)type >> 8);
            _length += NapsterFrameReader.HeaderSize;
            return this;
        }

        /// <summary>
        /// Patches the length prefix. Returns false (and drops the frame) when the payload exceeds
        /// <see cref="NapsterFrameReader.MaxPayload"/>, which the other end would refuse.
        /// </summary>
        public bool End()
        {
            if (_frameStart < 0) throw new InvalidOperationException("No frame was begun.");
            int payload = _length - _frameStart - NapsterFrameReader.HeaderSize;
            if (payload > NapsterFrameReader.MaxPayload) { Cancel(); return false; }
            _buffer[_frameStart] = (byte)payload;
            _buffer[_frameStart + 1] = (byte)(payload >> 8);
            _frameStart = -1;
            return true;
        }

        public void Cancel()
        {
            if (_frameStart < 0) return;
            _length = _frameStart;
            _frameStart = -1;
        }

        /// <summary>Appends one whole frame whose payload is <paramref name="text"/>; false when it is too long.</summary>
        public bool WriteFrame(NapsterMessageType type, string text)
        {
            Begin(type);
            if (!string.IsNullOrEmpty(text)) Append(text);
            return End();
        }

        public NapsterFrameWriter Append(string text)
        {
            int max = Utf8.GetMaxByteCount(text.Length);
            Ensure(max);
            _length += Utf8.GetBytes(text, 0, text.Length, _buffer, _length);
            return this;
        }

        public NapsterFrameWriter Append(byte[] bytes)
        {
            Ensure(bytes.Length);
            System.Buffer.BlockCopy(bytes, 0, _buffer, _length, bytes.Length);
            _length += bytes.Length;
            return this;
        }

        public NapsterFrameWriter Append(char ascii)
        {
            Ensure(1);
            _buffer[_length++] = (byte)ascii;
            return this;
        }

        /// <summary>Appends a decimal number without going through a string.</summary>
        public NapsterFrameWriter Append(long value)
        {
            Ensure(20);
            if (value < 0)
            {
                if (value == long.MinValue) return Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                _buffer[_length++] = (byte)'-';
                value = -value;
            }
            int digits = 1;
            for (long v = value; v >= 10; v /= 10) digits++;
            for (int i = digits - 1; i >= 0; i--) { _buffer[_length + i] = (byte)('0' + value % 10); value /= 10; }
            _length += digits;
            return this;
        }

        /// <summary>Appends "urn:sha1:" and the base32 of 20 hash bytes.</summary>
        public NapsterFrameWriter AppendSha1Urn(byte[] hash, int offset)
        {
            Ensure(9 + 32);
            foreach (char c in Core.ContentHash.Prefix) _buffer[_length++] = (byte)c;
            int buffer = 0, bits = 0;
            for (int i = 0; i < 20; i++)
            {
                buffer = (buffer << 8) | hash[offset + i];
                bits += 8;
                while (bits >= 5)
                {
                    _buffer[_length++] = (byte)Base32Alphabet[(buffer >> (bits - 5)) & 31];
                    bits -= 5;
                }
            }
            return this;
        }

        /// <summary>Writes every complete frame in one write, then empties the buffer.</summary>
        public async Task FlushToAsync(Stream stream, CancellationToken cancellationToken)
        {
            int length = Length;
            if (length == 0) return;
            await stream.WriteAsync(_buffer, 0, length, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            Clear();
        }

        public byte[] ToArray()
        {
            var copy = new byte[Length];
            System.Buffer.BlockCopy(_buffer, 0, copy, 0, copy.Length);
            return copy;
        }

        public void Clear()
        {
            _length = 0;
            _frameStart = -1;
        }

        void Ensure(int extra)
        {
            if (_length + extra <= _buffer.Length) return;
            int size = _buffer.Length * 2;
            while (size < _length + extra) size *= 2;
            Array.Resize(ref _buffer, size);
        }
    }
}
