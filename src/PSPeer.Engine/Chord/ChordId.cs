using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Chord
{
    /// <summary>
    /// A point on Chord's 160-bit identifier circle: a node's id (SHA-1 of "address:port") or a key's (SHA-1 of its
    /// UTF-8 name). Big-endian like SHA-1, so ordering the bytes orders the ids. Three words, no array: a node holds
    /// hundreds of these.
    /// </summary>
    /// <remarks>
    /// Intervals are the paper's, on the circle: (a, b] runs clockwise from just after a to b, wrapping past zero when
    /// b &lt;= a; (a, a] is the whole circle and (a, a) the whole circle but a.
    /// </remarks>
    public readonly struct ChordId : IEquatable<ChordId>, IComparable<ChordId>
    {
        /// <summary>Bytes in an id.</summary>
        public const int Length = 20;

        /// <summary>Bits in an id, and so fingers in a table.</summary>
        public const int Bits = 160;

        // bits 159..96, 95..32, 31..0
        readonly ulong _high;
        readonly ulong _middle;
        readonly uint _low;

        ChordId(ulong high, ulong middle, uint low)
        {
            _high = high;
            _middle = middle;
            _low = low;
        }

        [ThreadStatic] static SHA1 t_sha1;

        static SHA1 Sha1 => t_sha1 ?? (t_sha1 = SHA1.Create());

        /// <summary>The id of a key: SHA-1 of its UTF-8 name.</summary>
        public static ChordId FromKey(string key)
        {
            if (key == null) throw new ArgumentNullException(nameof(key));
            return FromBytes(Sha1.ComputeHash(Encoding.UTF8.GetBytes(key)));
        }

        /// <summary>The id of a node: SHA-1 of "address:port" as its peers reach it.</summary>
        public static ChordId FromEndPoint(string hostPort)
        {
            if (string.IsNullOrEmpty(hostPort)) throw new ArgumentException("An endpoint is \"address:port\".", nameof(hostPort));
            return FromBytes(Sha1.ComputeHash(Encoding.ASCII.GetBytes(hostPort)));
        }

        /// <summary>The id in 20 big-endian bytes at <paramref name="offset"/>.</summary>
        public static ChordId FromBytes(byte[] bytes, int offset = 0)
        {
            if (bytes == null) throw new ArgumentNullException(nameof(bytes));
            if (offset < 0 || bytes.Length - offset < Length) throw new ArgumentException("A Chord id is 20 bytes.", nameof(bytes));
            return new ChordId(ReadUInt64(bytes, offset), ReadUInt64(bytes, offset + 8), (uint)ReadUInt64Tail(bytes, offset + 16));
        }

        /// <summary>The id from 40 hex digits.</summary>
        public static ChordId Parse(string hex)
        {
            if (hex == null || hex.Length != 2 * Length) throw new FormatException("A Chord id is 40 hex digits.");
            var bytes = new byte[Length];
            for (int i = 0; i < Length; i++)
                bytes[i] = byte.Parse(hex.Substring(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return FromBytes(bytes);
        }

        /// <summary>A uniformly random id from the runtime's source (seeded in a simulation).</summary>
        public static ChordId Random(IRandomSource random)
        {
            if (random == null) throw new ArgumentNullException(nameof(random));
            var bytes = new byte[Length];
            random.NextBytes(bytes);
            return FromBytes(bytes);
        }

        /// <summary>The id 0.</summary>
        public static ChordId Zero => default;

        public byte[] ToBytes()
        {
            var bytes = new byte[Length];
            WriteTo(bytes, 0);
            return bytes;
        }

        /// <summary>Writes the 20 big-endian bytes at <paramref name="offset"/>.</summary>
        public void WriteTo(byte[] buffer, int offset)
        {
            for (int i = 0; i < 8; i++) buffer[offset + i] = (byte)(_high >> (56 - 8 * i));
            for (int i = 0; i < 8; i++) buffer[offset + 8 + i] = (byte)(_middle >> (56 - 8 * i));
            for (int i = 0; i < 4; i++) buffer[offset + 16 + i] = (byte)(_low >> (24 - 8 * i));
        }

        /// <summary>40 lowercase hex digits.</summary>
        public string ToHex() => _high.ToString("x16", CultureInfo.InvariantCulture) + _middle.ToString("x16", CultureInfo.InvariantCulture) + _low.ToString("x8", CultureInfo.InvariantCulture);

        /// <summary>The first 8 hex digits: enough to tell nodes apart in a trace.</summary>
        public string ToShortHex() => (_high >> 32).ToString("x8", CultureInfo.InvariantCulture);

        public override string ToString() => ToHex();

        /// <summary>n + 2^exponent mod 2^160 (exponent 0..159): finger i starts at successor(n + 2^(i-1)).</summary>
        public ChordId AddPowerOfTwo(int exponent)
        {
            if (exponent < 0 || exponent >= Bits) throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "0 to 159.");
            ulong addHigh = 0, addMiddle = 0; uint addLow = 0;
            if (exponent < 32) addLow = 1u << exponent;
            else if (exponent < 96) addMiddle = 1UL << (exponent - 32);
            else addHigh = 1UL << (exponent - 96);
            return Add(addHigh, addMiddle, addLow);
        }

        ChordId Add(ulong high, ulong middle, uint low)
        {
            ulong l = (ulong)_low + low;
            uint newLow = (uint)l;
            ulong carry = l >> 32;
            ulong m = _middle + middle;
            ulong carry2 = m < _middle ? 1UL : 0UL;
            ulong m2 = m + carry;
            if (m2 < m) carry2++;
            ulong h = _high + high + carry2;
            return new ChordId(h, m2, newLow);
        }

        /// <summary>(other − this) mod 2^160 as a double: how far clockwise <paramref name="other"/> lies (for measurement, not routing).</summary>
        public double DistanceTo(ChordId other)
        {
            // Subtract with borrow, then scale: the top word dominates; a double keeps 53 bits anyway.
            ulong low = (ulong)other._low - _low;
            ulong borrow = other._low < _low ? 1UL : 0UL;
            ulong middle = other._middle - _middle - borrow;
            ulong borrow2 = (other._middle < _middle || (other._middle == _middle && borrow == 1)) ? 1UL : 0UL;
            ulong high = other._high - _high - borrow2;
            return high * 79228162514264337593543950336.0 + middle * 4294967296.0 + (uint)low;
        }

        /// <summary>This ∈ (from, to] on the circle; (x, x] is the whole circle.</summary>
        public bool InOpenClosed(ChordId from, ChordId to)
        {
            int c = from.CompareTo(to);
            if (c == 0) return true;
            if (c < 0) return CompareTo(from) > 0 && CompareTo(to) <= 0;
            return CompareTo(from) > 0 || CompareTo(to) <= 0;
        }

        /// <summary>This ∈ (from, to) on the circle; (x, x) is the whole circle but x.</summary>
        public bool InOpen(ChordId from, ChordId to)
        {
            int c = from.CompareTo(to);
            if (c == 0) return !Equals(from);
            if (c < 0) return CompareTo(from) > 0 && CompareTo(to) < 0;
            return CompareTo(from) > 0 || CompareTo(to) < 0;
        }

        public int CompareTo(ChordId other)
        {
            if (_high != other._high) return _high < other._high ? -1 : 1;
            if (_middle != other._middle) return _middle < other._middle ? -1 : 1;
            if (_low != other._low) return _low < other._low ? -1 : 1;
            return 0;
        }

        public bool Equals(ChordId other) => _high == other._high && _middle == other._middle && _low == other._low;
        public override bool Equals(object obj) => obj is ChordId other && Equals(other);
        public override int GetHashCode() => unchecked((int)(_high >> 32) ^ (int)_high ^ (int)_middle ^ (int)_low);
        public static bool operator ==(ChordId a, ChordId b) => a.Equals(b);
        public static bool operator !=(ChordId a, ChordId b) => !a.Equals(b);

        static ulong ReadUInt64(byte[] b, int o)
        {
            ulong v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | b[o + i];
            return v;
        }

        static ulong ReadUInt64Tail(byte[] b, int o)
        {
            ulong v = 0;
            for (int i = 0; i < 4; i++) v = (v << 8) | b[o + i];
            return v;
        }
    }
}
