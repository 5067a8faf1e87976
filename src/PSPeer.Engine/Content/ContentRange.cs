using System.Globalization;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// A 206 answer's "Content-Range: bytes first-last/total" (RFC 7233 section 4.2), parsed strictly: one byte range,
    /// every number present, decimal digits only. The other forms ("bytes */total" of a 416, an unknown total "*")
    /// never describe a body we can place in a file, so they do not parse.
    /// </summary>
    readonly struct ContentRange
    {
        ContentRange(long first, long last, long total) { First = first; Last = last; Total = total; }

        public long First { get; }
        public long Last { get; }
        public long Total { get; }
        public long Length => Last - First + 1;

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "bytes {0}-{1}/{2}", First, Last, Total);

        /// <summary>False when <paramref name="text"/> is not one well-formed, self-consistent byte range.</summary>
        public static bool TryParse(string text, out ContentRange range)
        {
            range = default;
            if (text == null) return false;
            string t = text.Trim();
            if (!t.StartsWith("bytes ", System.StringComparison.OrdinalIgnoreCase)) return false;
            t = t.Substring(6).Trim();
            int dash = t.IndexOf('-'), slash = t.IndexOf('/');
            if (dash <= 0 || slash <= dash + 1 || slash == t.Length - 1) return false;
            if (!TryNumber(t.Substring(0, dash), out long first) || !TryNumber(t.Substring(dash + 1, slash - dash - 1), out long last) ||
                !TryNumber(t.Substring(slash + 1), out long total))
                return false;
            // RFC 7233: a range whose last byte precedes its first, or reaches past the total, is invalid.
            if (last < first || last >= total) return false;
            range = new ContentRange(first, last, total);
            return true;
        }

        static bool TryNumber(string s, out long value)
        {
            value = 0;
            if (s.Length == 0 || s.Length > 18) return false;   // 18 digits cannot overflow a long
            foreach (char c in s) if (c < '0' || c > '9') return false;
            return long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }
    }
}
