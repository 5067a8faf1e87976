using System;

namespace PSPeer.Engine.Napster
{
    /// <summary>
    /// Sans-IO frame decoder: bytes in, frames out. It owns one fixed receive buffer, so a read loop reads straight
    /// into it (<see cref="GetReceiveBuffer"/>, <see cref="Commit"/>) and then decodes every complete frame that read
    /// brought (<see cref="TryRead"/>) without copying or allocating. A length prefix above <see cref="MaxPayload"/>
    /// is refused before anything is buffered for it, so a peer cannot make us allocate.
    /// </summary>
    public sealed class NapsterFrameReader
    {
        /// <summary>Largest payload accepted (and written): no legitimate Napster message comes near it.</summary>
        public const int MaxPayload = 8192;
        public const int HeaderSize = 4;

        readonly byte[] _buffer;
        readonly int _maxPayload;
        int _start;   // first unread byte
        int _end;     // one past the last received byte

        public NapsterFrameReader(int maxPayload = MaxPayload, int bufferSize = 32 * 1024)
        {
            if (maxPayload < 0 || maxPayload > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(maxPayload));
            if (bufferSize < HeaderSize + maxPayload) throw new ArgumentOutOfRangeException(nameof(bufferSize), "The buffer must hold at least one largest frame.");
            _maxPayload = maxPayload;
            _buffer = new byte[bufferSize];
        }

        /// <summary>Bytes received but not yet returned as frames (a partial frame at the end of a connection).</summary>
        public int Buffered => _end - _start;

        /// <summary>
        /// Free space to receive into. Moves unread bytes to the front first, so frames returned earlier are no longer
        /// valid. Never empty: the buffer always holds a whole largest frame, and frames are drained before reading.
        /// </summary>
        public ArraySegment<byte> GetReceiveBuffer()
        {
            Compact();
            return new ArraySegment<byte>(_buffer, _end, _buffer.Length - _end);
        }

        /// <summary>Records that <paramref name="count"/> bytes were written into the segment from GetReceiveBuffer.</summary>
        public void Commit(int count)
        {
            if (count < 0 || _end + count > _buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
            _end += count;
        }

        /// <summary>Copies as many bytes as fit; returns how many were taken. Drain frames with TryRead and feed the rest.</summary>
        public int Feed(byte[] data, int offset, int count)
        {
            var free = GetReceiveBuffer();
            int n = Math.Min(count, free.Count);
            Buffer.BlockCopy(data, offset, _buffer, _end, n);
            _end += n;
            return n;
        }

        /// <summary>Returns the next complete frame; false when more bytes are needed. Throws on an oversized length.</summary>
        public bool TryRead(out NapsterFrame frame)
        {
            frame = default;
            int available = _end - _start;
            if (available < HeaderSize) return false;
            int length = _buffer[_start] | (_buffer[_start + 1] << 8);
            if (length > _maxPayload)
                throw new NapsterProtocolException($"a frame announces {length} payload bytes, above the {_maxPayload}-byte limit");
            if (available < HeaderSize + length) return false;
            var type = (NapsterMessageType)(_buffer[_start + 2] | (_buffer[_start + 3] << 8));
            frame = new NapsterFrame(type, _buffer, _start + HeaderSize, length);
            _start += HeaderSize + length;
            return true;
        }

        void Compact()
        {
            if (_start == 0) return;
            int unread = _end - _start;
            if (unread > 0) Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
            _start = 0;
            _end = unread;
        }
    }
}
