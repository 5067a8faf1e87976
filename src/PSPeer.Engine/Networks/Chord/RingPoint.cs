using System;

namespace PSPeer.Engine.Networks.Chord
{
    /// <summary>
    /// A 160-bit position on the identifier circle as three machine words, for the builders and the ground truth:
    /// sorting a million ids, finding a successor by binary search and computing finger targets must not allocate.
    /// Big-endian like the ids' bytes (Hi holds bytes 0-7, Mid 8-15, Lo 16-19), so the order is the ids' order.
    /// </summary>
    internal readonly struct RingPoint : IComparable<RingPoint>, IEquatable<RingPoint>
    {
        public readonly ulong Hi;
        public readonly ulong Mid;
        public readonly uint Lo;

        public RingPoint(ulong hi, ulong mid, uint lo) { Hi = hi; Mid = mid; Lo = lo; }

        public static RingPoint FromBytes(byte[] twenty)
        {
            if (twenty == null || twenty.Length != 20) throw new ArgumentException("A ring position is 20 bytes.", nameof(twenty));
            ulong hi = 0, mid = 0;
            uint lo = 0;
            for (int i = 0; i < 8; i++) hi = (hi << 8) | twenty[i];
            for (int i = 8; i < 16; i++) mid = (mid << 8) | twenty[i];
            for (int i = 16; i < 20; i++) lo = (lo << 8) | twenty[i];
            return new RingPoint(hi, mid, lo);
        }

        public int CompareTo(RingPoint other)
        {
            if (Hi != other.Hi) return Hi < other.Hi ? -1 : 1;
            if (Mid != other.Mid) return Mid < other.Mid ? -1 : 1;
            return Lo == other.Lo ? 0 : Lo < other.Lo ? -1 : 1;
        }

        public bool Equals(RingPoint other) => Hi == other.Hi && Mid == other.Mid && Lo == other.Lo;
        public override bool Equals(object obj) => obj is RingPoint p && Equals(p);
        public override int GetHashCode() => (int)(Hi ^ (Hi >> 32) ^ Mid ^ Lo);

        /// <summary>Clockwise distance from <paramref name="from"/> to this point, modulo 2^160.</summary>
        public RingPoint DistanceFrom(RingPoint from)
        {
            // Subtract limb by limb with borrows: Lo (32 bits), then Mid, then Hi; the final borrow wraps (mod 2^160).
            long lo = (long)Lo - from.Lo;
            ulong borrow = lo < 0 ? 1UL : 0UL;
            uint newLo = (uint)(lo & 0xFFFFFFFF);
            ulong mid = Mid - from.Mid - borrow;
            borrow = (Mid < from.Mid || (Mid == from.Mid && borrow == 1)) ? 1UL : 0UL;
            ulong hi = Hi - from.Hi - borrow;
            return new RingPoint(hi, mid, newLo);
        }

        /// <summary>The index of the highest set bit (0 = the least significant of Lo, 159 = the top of Hi); -1 for zero.</summary>
        public int HighestBit()
        {
            if (Hi != 0) return 96 + Log2(Hi);
            if (Mid != 0) return 32 + Log2(Mid);
            return Lo != 0 ? Log2(Lo) : -1;
        }

        /// <summary>Index of the highest set bit of a non-zero word, by halving (six steps, no loop over bits).</summary>
        static int Log2(ulong v)
        {
            int n = 0;
            if ((v >> 32) != 0) { v >>= 32; n += 32; }
            if ((v >> 16) != 0) { v >>= 16; n += 16; }
            if ((v >> 8) != 0) { v >>= 8; n += 8; }
            if ((v >> 4) != 0) { v >>= 4; n += 4; }
            if ((v >> 2) != 0) { v >>= 2; n += 2; }
            if ((v >> 1) != 0) n += 1;
            return n;
        }

        /// <summary>This point plus 2^<paramref name="exponent"/>, modulo 2^160 (the start of finger exponent + 1).</summary>
        public RingPoint AddPowerOfTwo(int exponent)
        {
            if (exponent < 0 || exponent >= 160) throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "0 to 159.");
            ulong hi = Hi, mid = Mid;
            uint lo = Lo;
            if (exponent < 32)
            {
                ulong sum = (ulong)lo + (1UL << exponent);
                lo = (uint)sum;
                if ((sum >> 32) != 0 && ++mid == 0) hi++;
            }
            else if (exponent < 96)
            {
                ulong add = 1UL << (exponent - 32);
                ulong sum = mid + add;
                if (sum < mid) hi++;
                mid = sum;
            }
            else hi += 1UL << (exponent - 96);
            return new RingPoint(hi, mid, lo);
        }

        public override string ToString() => Hi.ToString("x16") + Mid.ToString("x16") + Lo.ToString("x8");
    }
}
