using System;
using System.Text;

namespace PSPeer.Engine.Content
{
    /// <summary>Percent-encoding of URL path segments and queries (RFC 3986), strict UTF-8 both ways.</summary>
    static class UrlPath
    {
        static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>Encodes a shared file's name for /get/&lt;index&gt;/&lt;name&gt;: unreserved characters and '/' stay, the rest is %XX.</summary>
        public static string EncodeName(string name) => EncodeBytes(StrictUtf8.GetBytes(name), keepSlash: true);

        /// <summary>
        /// Percent-encodes raw bytes (a query value such as a tracker's info_hash): unreserved characters stay, and '/'
        /// when <paramref name="keepSlash"/>; everything else is %XX.
        /// </summary>
        public static string EncodeBytes(byte[] bytes, bool keepSlash = false)
        {
            var sb = new StringBuilder(bytes.Length + 16);
            foreach (byte b in bytes)
            {
                char c = (char)b;
                bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~'
                    || (keepSlash && c == '/');
                if (keep) sb.Append(c); else sb.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 15]);
            }
            return sb.ToString();
        }

        const string HexDigits = "0123456789ABCDEF";

        /// <summary>Decodes %XX escapes as UTF-8; false for a bad escape or bytes that are not valid UTF-8. '+' stays '+'.</summary>
        public static bool TryDecode(string text, out string decoded)
        {
            decoded = null;
            var bytes = DecodeBytes(text);
            if (bytes == null) return false;
            try { decoded = StrictUtf8.GetString(bytes); }
            catch (ArgumentException) { return false; }
            return true;
        }

        /// <summary>
        /// Decodes %XX escapes to raw bytes (a tracker's info_hash and peer_id are binary); null for a bad escape or a
        /// raw non-ASCII character, which is not a valid request-target. '+' stays '+'.
        /// </summary>
        public static byte[] DecodeBytes(string text)
        {
            var bytes = new byte[text.Length];
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '%')
                {
                    if (i + 2 >= text.Length) return null;
                    int hi = Hex(text[i + 1]), lo = Hex(text[i + 2]);
                    if (hi < 0 || lo < 0) return null;
                    bytes[n++] = (byte)(hi * 16 + lo);
                    i += 2;
                }
                else if (c > 0x7F) return null;
                else bytes[n++] = (byte)c;
            }
            if (n == bytes.Length) return bytes;
            var exact = new byte[n];
            Buffer.BlockCopy(bytes, 0, exact, 0, n);
            return exact;
        }

        static int Hex(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
