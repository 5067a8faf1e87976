using System;
using System.Globalization;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>Dotted IPv4 text to and from the 4 network-order bytes Gnutella carries.</summary>
    static class IPv4
    {
        // Every Pong and QueryHit decoded formats an address: the text is built here, one string and nothing else.
        [ThreadStatic] static char[] t_text;

        public static string Format(byte[] b, int o)
        {
            var text = t_text ?? (t_text = new char[15]);
            int n = 0;
            for (int i = 0; i < 4; i++)
            {
                if (i > 0) text[n++] = '.';
                int v = b[o + i];
                if (v >= 100) text[n++] = (char)('0' + v / 100);
                if (v >= 10) text[n++] = (char)('0' + v / 10 % 10);
                text[n++] = (char)('0' + v % 10);
            }
            return new string(text, 0, n);
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
