using System;
using System.Globalization;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>Dotted IPv4 text to and from the 4 network-order bytes Gnutella carries.</summary>
    static class IPv4
    {
        // Every Pong and QueryHit decoded formats an address, and the same addresses come again and again: the last
        // text made for each of 256 buckets (by the address's low byte) is kept per thread and handed out again.
        [ThreadStatic] static uint[] t_recentAddresses;
        [ThreadStatic] static string[] t_recentTexts;

        public static string Format(byte[] b, int o)
        {
            uint address = (uint)(b[o] << 24 | b[o + 1] << 16 | b[o + 2] << 8 | b[o + 3]);
            var addresses = t_recentAddresses;
            var texts = t_recentTexts;
            if (addresses == null)
            {
                t_recentAddresses = addresses = new uint[256];
                t_recentTexts = texts = new string[256];
            }
            int bucket = b[o + 3];
            if (texts[bucket] != null && addresses[bucket] == address) return texts[bucket];
            string made = Ipv4Literal.Format(address);
            addresses[bucket] = address;
            texts[bucket] = made;
            return made;
        }

        /// <summary>
        /// Four dot-separated decimal parts of 1 to 3 ASCII digits, each at most 255, white space around the whole
        /// allowed; the bytes are written as they are read (a failed parse may have written some).
        /// </summary>
        public static bool TryParse(string text, byte[] into, int offset)
        {
            if (string.IsNullOrEmpty(text)) return false;
            int start = 0, end = text.Length;
            while (start < end && char.IsWhiteSpace(text[start])) start++;
            while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
            int p = start;
            for (int i = 0; i < 4; i++)
            {
                if (i > 0)
                {
                    if (p >= end || text[p] != '.') return false;
                    p++;
                }
                int digits = 0, v = 0;
                while (p < end && text[p] != '.')
                {
                    char c = text[p];
                    if (c < '0' || c > '9' || ++digits > 3) return false;
                    v = v * 10 + (c - '0');
                    p++;
                }
                if (digits == 0 || v > 255) return false;
                into[offset + i] = (byte)v;
            }
            return p == end;
        }

        public static void Write(string text, byte[] into, int offset, string field)
        {
            if (!TryParse(text, into, offset))
                throw new ArgumentException($"{field} must be a dotted IPv4 address such as 127.0.0.1, not '{text}'.", field);
        }
    }
}
