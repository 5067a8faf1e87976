using System;
using System.Text;

namespace PSPeer.Engine.Bencoding
{
    /// <summary>A bencoded byte string. Torrents carry binary strings (piece hashes) as well as UTF-8 text.</summary>
    public sealed class BString : BValue, IEquatable<BString>, IComparable<BString>
    {
        static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, false);
        string _text;

        public BString(byte[] bytes)
        {
            Bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));
        }

        public BString(string utf8)
        {
            if (utf8 == null) throw new ArgumentNullException(nameof(utf8));
            Bytes = Utf8.GetBytes(utf8);
            _text = utf8;
        }

        /// <summary>The raw bytes. Not copied: treat as read-only.</summary>
        public byte[] Bytes { get; }

        /// <summary>The bytes read as UTF-8 (invalid sequences become U+FFFD).</summary>
        public string Text => _text ?? (_text = Utf8.GetString(Bytes));

        public override string ToString() => Text;

        /// <summary>Orders by raw bytes, the order BEP 3 requires for dictionary keys.</summary>
        public int CompareTo(BString other) => CompareBytes(Bytes, other.Bytes);

        internal static int CompareBytes(byte[] a, byte[] b)
        {
            int n = Math.Min(a.Length, b.Length);
            for (int i = 0; i < n; i++)
            {
                int d = a[i] - b[i];
                if (d != 0) return d;
            }
            return a.Length - b.Length;
        }

        public bool Equals(BString other) => other != null && CompareBytes(Bytes, other.Bytes) == 0;
        public override bool Equals(object obj) => Equals(obj as BString);

        public override int GetHashCode()
        {
            unchecked
            {
                int h = (int)2166136261;
                foreach (byte b in Bytes) h = (h ^ b) * 16777619;
                return h;
            }
        }
    }
}
