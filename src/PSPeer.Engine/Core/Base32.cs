using System;
using System.Text;

namespace PSPeer.Engine.Core
{
    /// <summary>RFC 4648 base32 (upper case, no padding), the alphabet of urn:sha1 names.</summary>
    public static class Base32
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

        public static string Encode(byte[] data)
        {
            var sb = new StringBuilder((data.Length * 8 + 4) / 5);
            int buffer = 0, bits = 0;
            foreach (byte b in data)
            {
                buffer = (buffer << 8) | b;
                bits += 8;
                while (bits >= 5)
                {
                    sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                    bits -= 5;
                }
            }
            if (bits > 0) sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
            return sb.ToString();
        }

        /// <summary>Decodes base32 text; returns false on any character outside the alphabet.</summary>
        public static bool TryDecode(string text, out byte[] data)
        {
            data = null;
            if (text == null) return false;
            var bytes = new byte[text.Length * 5 / 8];
            int buffer = 0, bits = 0, n = 0;
            foreach (char c in text)
            {
                int v = Alphabet.IndexOf(char.ToUpperInvariant(c));
                if (v < 0) return false;
                buffer = (buffer << 5) | v;
                bits += 5;
                if (bits >= 8)
                {
                    if (n < bytes.Length) bytes[n++] = (byte)(buffer >> (bits - 8));
                    bits -= 8;
                }
            }
            data = bytes;
            return true;
        }
    }
}
