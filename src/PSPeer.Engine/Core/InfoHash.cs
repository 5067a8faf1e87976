using System;
using System.Globalization;

namespace PSPeer.Engine.Core
{
    /// <summary>
    /// A BitTorrent v1 info-hash: the SHA-1 of a torrent's bencoded info dictionary. Written as 40 lowercase hex
    /// digits; parsed from hex (any case) or 32-character base32 (the other form magnet links use).
    /// </summary>
    public readonly struct InfoHash : IEquatable<InfoHash>
    {
        public const int Length = 20;
        readonly byte[] _bytes;

        public InfoHash(byte[] twentyBytes)
        {
            if (twentyBytes == null || twentyBytes.Length != Length)
                throw new ArgumentException("An info-hash has exactly 20 bytes.", nameof(twentyBytes));
            _bytes = (byte[])twentyBytes.Clone();
        }

        /// <summary>Builds from 20 bytes at an offset (handshakes and compact tracker requests carry it inline).</summary>
        public InfoHash(byte[] buffer, int offset)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || offset > buffer.Length - Length) throw new ArgumentOutOfRangeException(nameof(offset));
            _bytes = new byte[Length];
            Buffer.BlockCopy(buffer, offset, _bytes, 0, Length);
        }

        public bool IsEmpty => _bytes == null;

        /// <summary>A copy of the 20 bytes (20 zero bytes for default(InfoHash)).</summary>
        public byte[] ToArray() => _bytes == null ? new byte[Length] : (byte[])_bytes.Clone();

        /// <summary>Copies the 20 bytes into a buffer without allocating.</summary>
        public void CopyTo(byte[] destination, int offset)
        {
            if (_bytes == null) Array.Clear(destination, offset, Length);
            else Buffer.BlockCopy(_bytes, 0, destination, offset, Length);
        }

        /// <summary>40 lowercase hex digits.</summary>
        public string Hex
        {
            get
            {
                var b = _bytes ?? new byte[Length];
                var chars = new char[Length * 2];
                for (int i = 0; i < Length; i++)
                {
                    chars[2 * i] = HexDigit(b[i] >> 4);
                    chars[2 * i + 1] = HexDigit(b[i] & 15);
                }
                return new string(chars);
            }
        }

        /// <summary>32 uppercase base32 characters.</summary>
        public string Base32Text => Base32.Encode(_bytes ?? new byte[Length]);

        public override string ToString() => Hex;

        static char HexDigit(int v) => (char)(v < 10 ? '0' + v : 'a' + v - 10);

        /// <summary>Parses 40 hex digits or 32 base32 characters; surrounding white space is ignored.</summary>
        public static InfoHash Parse(string hexOrBase32)
        {
            if (TryParse(hexOrBase32, out var hash)) return hash;
            throw new FormatException("'" + hexOrBase32 + "' is not an info-hash: expected 40 hex digits or 32 base32 characters.");
        }

        public static bool TryParse(string hexOrBase32, out InfoHash hash)
        {
            hash = default(InfoHash);
            if (hexOrBase32 == null) return false;
            var text = hexOrBase32.Trim();
            if (text.Length == 40)
            {
                var bytes = new byte[Length];
                for (int i = 0; i < Length; i++)
                {
                    if (!byte.TryParse(text.Substring(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                        return false;
                }
                hash = new InfoHash(bytes);
                return true;
            }
            if (text.Length == 32 && Base32.TryDecode(text, out var decoded) && decoded.Length == Length)
            {
                hash = new InfoHash(decoded);
                return true;
            }
            return false;
        }

        public bool Equals(InfoHash other)
        {
            if (_bytes == null || other._bytes == null) return _bytes == other._bytes;
            for (int i = 0; i < Length; i++) if (_bytes[i] != other._bytes[i]) return false;
            return true;
        }

        public override bool Equals(object obj) => obj is InfoHash h && Equals(h);
        public override int GetHashCode() => _bytes == null ? 0 : BitConverter.ToInt32(_bytes, 0);
        public static bool operator ==(InfoHash a, InfoHash b) => a.Equals(b);
        public static bool operator !=(InfoHash a, InfoHash b) => !a.Equals(b);
    }
}
