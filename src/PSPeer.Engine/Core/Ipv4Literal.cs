using System;
using PSPeer.Engine.Content;

namespace PSPeer.Engine.Core
{
    /// <summary>
    /// An IPv4 address written the one way it is written back: four decimal numbers 0-255 joined by dots, with no
    /// leading zeros, no white space, nothing else ("10.0.0.1", not "010.0.0.1" nor " 10.0.0.1"). Only such text is read,
    /// so an address read and written again is the same text: a host cache can keep the 32 bits in place of the string
    /// and say the host exactly as it heard it, and two such hosts are the same text exactly when their values are equal.
    /// (Gnutella.Wire.IPv4 reads any dotted quad, white space and leading zeros too, for the 4 bytes a Pong carries: text
    /// it reads is not always the text it would write.)
    /// </summary>
    internal static class Ipv4Literal
    {
        /// <summary>The longest literal ("255.255.255.255").</summary>
        public const int MaxLength = 15;

        /// <summary>Whether text[start .. start+length) is a literal, and its value (a.b.c.d as a &lt;&lt; 24 | b &lt;&lt; 16 | c &lt;&lt; 8 | d; 0 when it is not one).</summary>
        public static bool TryParse(string text, int start, int length, out uint address) => TryParse(new Chars(text), start, length, out address);

        /// <summary>As <see cref="TryParse(string, int, int, out uint)"/> on Latin-1 bytes.</summary>
        public static bool TryParse(byte[] text, int start, int length, out uint address) => TryParse(new Bytes(text), start, length, out address);

        interface IText { int this[int i] { get; } }
        readonly struct Chars : IText { readonly string _s; public Chars(string s) => _s = s; public int this[int i] => _s[i]; }
        readonly struct Bytes : IText { readonly byte[] _b; public Bytes(byte[] b) => _b = b; public int this[int i] => _b[i]; }

        static bool TryParse<T>(T text, int start, int length, out uint address) where T : struct, IText
        {
            address = 0;
            if (length < 7 || length > MaxLength) return false;
            int end = start + length, parts = 0;
            int i = start;
            uint value32 = 0;
            while (true)
            {
                int first = i, value = 0;
                while (i < end && i - first < 3)
                {
                    int digit = text[i] - '0';
                    if ((uint)digit > 9) break;
                    value = value * 10 + digit;
                    i++;
                }
                int digits = i - first;
                if (digits == 0 || value > 255 || (digits > 1 && text[first] == '0')) return false;
                value32 = (value32 << 8) | (uint)value;
                if (++parts == 4)
                {
                    if (i != end) return false;
                    address = value32;
                    return true;
                }
                if (i == end || text[i] != '.') return false;
                i++;
            }
        }

        /// <summary>The literal of <paramref name="address"/>.</summary>
        public static string Format(uint address)
        {
            var bytes = t_scratch ?? (t_scratch = new byte[MaxLength]);
            return Latin1.Text(bytes, 0, Write(address, bytes, 0));
        }

        [ThreadStatic] static byte[] t_scratch;

        /// <summary>Writes the literal of <paramref name="address"/> into bytes from <paramref name="at"/>; how many it wrote (at most <see cref="MaxLength"/>).</summary>
        public static int Write(uint address, byte[] bytes, int at)
        {
            int from = at;
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                uint part = (address >> shift) & 255;
                if (part >= 100) bytes[at++] = (byte)('0' + part / 100);
                if (part >= 10) bytes[at++] = (byte)('0' + part / 10 % 10);
                bytes[at++] = (byte)('0' + part % 10);
                if (shift > 0) bytes[at++] = (byte)'.';
            }
            return at - from;
        }
    }
}
