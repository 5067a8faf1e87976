using System;
using System.Globalization;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// The one byte range a GET asks for (RFC 7233), resolved against the file's size.
    /// Policy: a Range header we cannot parse, in a unit other than bytes, or asking for several ranges is ignored and
    /// the whole file is sent (RFC 7233 allows a server to ignore Range); a well-formed single range that starts past
    /// the end, or any range of an empty file, is unsatisfiable (416).
    /// </summary>
    readonly struct ByteRange
    {
        public enum Kinds { Whole, Partial, Unsatisfiable }

        ByteRange(Kinds kind, long start, long length) { Kind = kind; Start = start; Length = length; }

        public Kinds Kind { get; }
        public long Start { get; }
        public long Length { get; }
        public long End => Start + Length - 1;

        public static ByteRange Whole(long size) => new ByteRange(Kinds.Whole, 0, size);

        public static ByteRange Resolve(string header, long size)
        {
            if (header == null) return Whole(size);
            string h = header.Trim();
            if (!h.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return Whole(size);
            string spec = h.Substring(6).Trim();
            if (spec.IndexOf(',') >= 0) return Whole(size);   // multi-range: answered with the whole file (documented)
            int dash = spec.IndexOf('-');
            if (dash < 0) return Whole(size);
            string first = spec.Substring(0, dash).Trim(), last = spec.Substring(dash + 1).Trim();
            var unsatisfiable = new ByteRange(Kinds.Unsatisfiable, 0, 0);

            if (first.Length == 0)
            {
                // Suffix range: the last n bytes.
                if (!TryNumber(last, out long n)) return Whole(size);
                if (n == 0 || size == 0) return unsatisfiable;
                long len = Math.Min(n, size);
                return new ByteRange(Kinds.Partial, size - len, len);
            }
            if (!TryNumber(first, out long a)) return Whole(size);
            long b;
            if (last.Length == 0) b = long.MaxValue;
            else if (!TryNumber(last, out b)) return Whole(size);
            if (b < a) return Whole(size);   // syntactically invalid range: ignored
            if (a >= size) return unsatisfiable;
            long end = Math.Min(b, size - 1);
            return new ByteRange(Kinds.Partial, a, end - a + 1);
        }

        // Digits only, no sign or spaces; numbers too large for a long clamp to long.MaxValue (still past any file's end).
        static bool TryNumber(string s, out long value)
        {
            value = 0;
            if (s.Length == 0) return false;
            foreach (char c in s) if (c < '0' || c > '9') return false;
            if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value)) value = long.MaxValue;
            return true;
        }
    }
}
