using System;
using System.Text;

namespace PSPeer.Engine.Content
{
    /// <summary>Percent-encoding of URL path segments and queries (RFC 3986), strict UTF-8 both ways.</summary>
    static class UrlPath
    {
        static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>Encodes a shared file's name for /get/&lt;index&gt;/&lt;name&gt;: unreserved characters and '/' stay, the rest is %XX.</summary>
        public static string EncodeName(string name)
        {
            var sb = new StringBuilder(name.Length + 16);
            foreach (byte b in StrictUtf8.GetBytes(name))
            {
                char c = (char)b;
                bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
                if (keep) sb.Append(c); else sb.Append('%').Append(b.ToString("X2"));
            }
            return sb.ToString();
        }

        /// <summary>Decodes %XX escapes as UTF-8; false for a bad escape or bytes that are not valid UTF-8. '+' stays '+'.</summary>
        public static bool TryDecode(string text, out string decoded)
        {
            decoded = null;
            var bytes = new byte[text.Length];
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '%')
                {
                    if (i + 2 >= text.Length) return false;
                    int hi = Hex(text[i + 1]), lo = Hex(text[i + 2]);
                    if (hi < 0 || lo < 0) return false;
                    bytes[n++] = (byte)(hi * 16 + lo);
                    i += 2;
                }
                else if (c > 0x7F) return false;   // raw non-ASCII is not a valid request-target
                else bytes[n++] = (byte)c;
            }
            try { decoded = StrictUtf8.GetString(bytes, 0, n); }
            catch (ArgumentException) { return false; }
            return true;
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
