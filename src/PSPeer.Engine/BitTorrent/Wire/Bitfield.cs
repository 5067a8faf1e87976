using System;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Which pieces a peer has, in the wire layout of BEP 3: piece 0 is the high bit of the first byte, and the spare
    /// bits of the last byte are zero. Not thread-safe: the owner (a connection, or PieceStorage under its lock)
    /// serializes changes.
    /// </summary>
    public sealed class Bitfield
    {
        readonly byte[] _bits;
        int _setCount;

        public Bitfield(int count)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
            Count = count;
            _bits = new byte[ByteLength(count)];
        }

        /// <summary>Number of pieces (bits).</summary>
        public int Count { get; }

        /// <summary>Number of bits set, kept up to date so progress and "is interesting" checks cost nothing.</summary>
        public int SetCount => _setCount;

        public bool AllSet => _setCount == Count;

        public bool this[int index]
        {
            get
            {
                CheckIndex(index);
                return (_bits[index >> 3] & (0x80 >> (index & 7))) != 0;
            }
            set => Set(index, value);
        }

        /// <summary>Bytes a bitfield of <paramref name="count"/> bits takes on the wire.</summary>
        public static int ByteLength(int count) => (int)(((long)count + 7) / 8);

        public void Set(int index, bool value = true)
        {
            CheckIndex(index);
            int mask = 0x80 >> (index & 7);
            bool was = (_bits[index >> 3] & mask) != 0;
            if (was == value) return;
            if (value) { _bits[index >> 3] |= (byte)mask; _setCount++; }
            else { _bits[index >> 3] &= (byte)~mask; _setCount--; }
        }

        public void SetAll()
        {
            for (int i = 0; i < _bits.Length; i++) _bits[i] = 0xFF;
            int spare = _bits.Length * 8 - Count;
            if (spare > 0) _bits[_bits.Length - 1] = (byte)(0xFF << spare);
            _setCount = Count;
        }

        public void ClearAll()
        {
            Array.Clear(_bits, 0, _bits.Length);
            _setCount = 0;
        }

        /// <summary>
        /// The bits themselves, in wire layout (spare bits zero), not a copy: for scans that AND two bitfields a byte at
        /// a time (the piece picker). Read only.
        /// </summary>
        internal byte[] WireBytes => _bits;

        /// <summary>A copy in wire layout (ceil(Count/8) bytes, spare bits zero).</summary>
        public byte[] ToBytes() => (byte[])_bits.Clone();

        /// <summary>Copies the wire layout into <paramref name="buffer"/> (ByteLength(Count) bytes).</summary>
        public void CopyTo(byte[] buffer, int offset) => Buffer.BlockCopy(_bits, 0, buffer, offset, _bits.Length);

        public Bitfield Clone()
        {
            var copy = new Bitfield(Count);
            Buffer.BlockCopy(_bits, 0, copy._bits, 0, _bits.Length);
            copy._setCount = _setCount;
            return copy;
        }

        /// <summary>True when this has a bit set that <paramref name="other"/> lacks (we would be interested in it).</summary>
        public bool HasAnyMissingFrom(Bitfield other)
        {
            if (other == null) throw new ArgumentNullException(nameof(other));
            if (other.Count != Count) throw new ArgumentException("The bitfields have different piece counts.", nameof(other));
            for (int i = 0; i < _bits.Length; i++)
                if ((_bits[i] & ~other._bits[i]) != 0) return true;
            return false;
        }

        /// <summary>
        /// Reads a bitfield in wire layout. Throws PeerWireException when the length is not ceil(count/8) or a spare
        /// bit is set (BEP 3: clients drop the connection then).
        /// </summary>
        public static Bitfield FromBytes(byte[] data, int offset, int length, int count)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            if (offset < 0 || length < 0 || offset + length > data.Length) throw new ArgumentOutOfRangeException(nameof(length));
            CheckWireBytes(data, offset, length, count);
            var result = new Bitfield(count);
            Buffer.BlockCopy(data, offset, result._bits, 0, length);
            int set = 0;
            for (int i = 0; i < length; i++) set += PopCount(result._bits[i]);
            result._setCount = set;
            return result;
        }

        /// <summary>Throws PeerWireException when the bytes cannot be the bitfield of <paramref name="count"/> pieces.</summary>
        internal static void CheckWireBytes(byte[] data, int offset, int length, int count)
        {
            int expected = ByteLength(count);
            if (length != expected)
                throw new PeerWireException($"a bitfield of {length} bytes was sent for {count} pieces ({expected} bytes expected)");
            int spare = expected * 8 - count;
            if (spare > 0 && (data[offset + length - 1] & ((1 << spare) - 1)) != 0)
                throw new PeerWireException("a bitfield has spare bits set past the last piece");
        }

        static int PopCount(byte b)
        {
            int n = 0;
            while (b != 0) { b &= (byte)(b - 1); n++; }
            return n;
        }

        void CheckIndex(int index)
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The piece index must be 0 to {Count - 1}.");
        }

        public override string ToString() => $"{_setCount}/{Count}";
    }
}
