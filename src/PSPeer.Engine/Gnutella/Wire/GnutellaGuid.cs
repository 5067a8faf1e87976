using System;
using System.Globalization;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// A 16-byte Gnutella GUID (message id or servent id). Held as two 64-bit halves so routing tables with a hundred
    /// thousand entries compare and hash without touching arrays.
    /// </summary>
    public readonly struct GnutellaGuid : IEquatable<GnutellaGuid>
    {
        public const int Size = 16;
        readonly ulong _high;   // bytes 0..7, byte 0 most significant
        readonly ulong _low;    // bytes 8..15

        public GnutellaGuid(byte[] sixteen)
        {
            if (sixteen == null || sixteen.Length != Size) throw new ArgumentException("A Gnutella GUID has 16 bytes.", nameof(sixteen));
            _high = ReadHalf(sixteen, 0);
            _low = ReadHalf(sixteen, 8);
        }

        GnutellaGuid(ulong high, ulong low) { _high = high; _low = low; }

        /// <summary>Reads 16 bytes at <paramref name="offset"/> (the caller has checked the bounds).</summary>
        public static GnutellaGuid Read(byte[] buffer, int offset)
        {
            if (buffer == null || offset < 0 || offset + Size > buffer.Length) throw new ArgumentOutOfRangeException(nameof(offset));
            return new GnutellaGuid(ReadHalf(buffer, offset), ReadHalf(buffer, offset + 8));
        }

        /// <summary>
        /// A fresh random GUID. Byte 8 is 0xFF and byte 15 is 0x00: the mark by which 0.6 servents tell a modern peer's
        /// GUIDs from those of old 0.4 clients.
        /// </summary>
        public static GnutellaGuid New(IRandomSource random)
        {
            if (random == null) throw new ArgumentNullException(nameof(random));
            // The same 16 random bytes drawn as ever, into this thread's scratch rather than an array per GUID: a
            // network build makes one for every route table update it sends (hundreds of thousands at 10^5 nodes).
            var bytes = t_newBytes ?? (t_newBytes = new byte[Size]);
            random.NextBytes(bytes);
            bytes[8] = 0xFF;
            bytes[15] = 0x00;
            return new GnutellaGuid(bytes);
        }

        [ThreadStatic] static byte[] t_newBytes;

        public bool IsEmpty => _high == 0 && _low == 0;

        public byte[] ToArray()
        {
            var bytes = new byte[Size];
            CopyTo(bytes, 0);
            return bytes;
        }

        public void CopyTo(byte[] buffer, int offset)
        {
            if (buffer == null || offset < 0 || offset + Size > buffer.Length) throw new ArgumentOutOfRangeException(nameof(offset));
            WriteHalf(_high, buffer, offset);
            WriteHalf(_low, buffer, offset + 8);
        }

        /// <summary>32 upper-case hex digits, byte 0 first (the form GIV lines and logs use).</summary>
        public override string ToString()
        {
            // One string (two formatted halves and their concatenation were three): a searcher names each hit's servent.
            var text = t_hex ?? (t_hex = new char[32]);
            WriteHex(_high, text, 0);
            WriteHex(_low, text, 16);
            return new string(text);
        }

        [ThreadStatic] static char[] t_hex;

        static void WriteHex(ulong v, char[] into, int at)
        {
            for (int i = 15; i >= 0; i--, v >>= 4) into[at + i] = "0123456789ABCDEF"[(int)(v & 0xF)];
        }

        public static bool TryParse(string hex, out GnutellaGuid guid)
        {
            guid = default;
            if (hex == null) return false;
            hex = hex.Trim();
            if (hex.Length != 32) return false;
            if (!ulong.TryParse(hex.Substring(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong high)) return false;
            if (!ulong.TryParse(hex.Substring(16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong low)) return false;
            guid = new GnutellaGuid(high, low);
            return true;
        }

        public static GnutellaGuid Parse(string hex) =>
            TryParse(hex, out var g) ? g : throw new FormatException($"'{hex}' is not a Gnutella GUID (expected 32 hex digits).");

        public bool Equals(GnutellaGuid other) => _high == other._high && _low == other._low;
        public override bool Equals(object obj) => obj is GnutellaGuid g && Equals(g);
        public override int GetHashCode()
        {
            ulong x = _high ^ (_low * 0x9E3779B97F4A7C15UL);
            return (int)x ^ (int)(x >> 32);
        }
        public static bool operator ==(GnutellaGuid a, GnutellaGuid b) => a.Equals(b);
        public static bool operator !=(GnutellaGuid a, GnutellaGuid b) => !a.Equals(b);

        static ulong ReadHalf(byte[] b, int o)
        {
            ulong v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | b[o + i];
            return v;
        }

        static void WriteHalf(ulong v, byte[] b, int o)
        {
            for (int i = 7; i >= 0; i--) { b[o + i] = (byte)v; v >>= 8; }
        }
    }
}
