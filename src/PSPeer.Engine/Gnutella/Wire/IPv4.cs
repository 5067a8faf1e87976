using System;
using System.Globalization;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>Dotted IPv4 text to and from the 4 network-order bytes Gnutella carries.</summary>
    static class IPv4
    {
        public static string Format(byte[] b, int o) =>
            string.Concat(b[o].ToString(CultureInfo.InvariantCulture), ".", b[o + 1].ToString(CultureInfo.InvariantCulture), ".",
                          b[o + 2].ToString(CultureInfo.InvariantCulture), ".", b[o + 3].ToString(CultureInfo.InvariantCulture));

        public static bool TryParse(string text, byte[] into, int offset)
        {
            if (string.IsNullOrEmpty(text)) return false;
            var parts = text.Trim().Split('.');
            if (parts.Length != 4) return false;
            for (int i = 0; i < 4; i++)
            {
                if (parts[i].Length == 0 || parts[i].Length > 3) return false;
                if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v > 255) return false;
                into[offset + i] = (byte)v;
            }
            return true;
        }

        public static void Write(string text, byte[] into, int offset, string field)
        {
            if (!TryParse(text, into, offset))
                throw new ArgumentException($"{field} must be a dotted IPv4 address such as 127.0.0.1, not '{text}'.", field);
        }
    }
}
