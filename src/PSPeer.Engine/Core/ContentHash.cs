using System;
using System.Security.Cryptography;

namespace PSPeer.Engine.Core
{
    /// <summary>The SHA-1 of a file's bytes, written as urn:sha1:BASE32 (the form Gnutella and HUGE use).</summary>
    public readonly struct ContentHash : IEquatable<ContentHash>
    {
        public const string Prefix = "urn:sha1:";
        readonly byte[] _bytes;

        public ContentHash(byte[] sha1)
        {
            if (sha1 == null || sha1.Length != 20) throw new ArgumentException("A SHA-1 content hash has 20 bytes.", nameof(sha1));
            _bytes = (byte[])sha1.Clone();
        }

        public bool IsEmpty => _bytes == null;
        public byte[] ToByteArray() => (byte[])_bytes?.Clone();
        public string Base32Text => _bytes == null ? "" : Base32.Encode(_bytes);
        /// <summary>The SHA-1 as 40 uppercase hex digits, as Get-FileHash -Algorithm SHA1 and sha1sum (in lowercase) print it; "" when empty.</summary>
        public string Hex => _bytes == null ? "" : BitConverter.ToString(_bytes).Replace("-", "");
        public override string ToString() => _bytes == null ? "" : Prefix + Base32.Encode(_bytes);

        public static ContentHash Compute(byte[] data)
        {
            using (var sha = SHA1.Create()) return new ContentHash(sha.ComputeHash(data));
        }

        /// <summary>Accepts "urn:sha1:BASE32", "sha1:BASE32" or bare 32-character base32 (any case).</summary>
        public static bool TryParse(string text, out ContentHash hash)
        {
            hash = default;
            if (string.IsNullOrWhiteSpace(text)) return false;
            text = text.Trim();
            if (text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) text = text.Substring(Prefix.Length);
            else if (text.StartsWith("sha1:", StringComparison.OrdinalIgnoreCase)) text = text.Substring(5);
            if (text.Length != 32 || !Base32.TryDecode(text, out var bytes) || bytes.Length != 20) return false;
            hash = new ContentHash(bytes);
            return true;
        }

        public static ContentHash Parse(string text) =>
            TryParse(text, out var h) ? h : throw new FormatException($"'{text}' is not a urn:sha1 content hash (expected urn:sha1: and 32 base32 characters).");

        public bool Equals(ContentHash other)
        {
            if (_bytes == null || other._bytes == null) return _bytes == other._bytes;
            for (int i = 0; i < 20; i++) if (_bytes[i] != other._bytes[i]) return false;
            return true;
        }
        public override bool Equals(object obj) => obj is ContentHash h && Equals(h);
        public override int GetHashCode() => _bytes == null ? 0 : BitConverter.ToInt32(_bytes, 0);
        public static bool operator ==(ContentHash a, ContentHash b) => a.Equals(b);
        public static bool operator !=(ContentHash a, ContentHash b) => !a.Equals(b);
    }
}
