using System;
using System.Globalization;
using System.Net;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Napster
{
    /// <summary>
    /// SearchResult (201): "name" urn:sha1:HASH size bitrate frequency length nick ip link-speed data-port file-index.
    /// The last two fields are PSPeer's extension (see <see cref="NapsterMessageType"/>).
    /// </summary>
    public sealed class NapsterSearchResult
    {
        public NapsterSearchResult(string name, ContentHash hash, long size, string nick, string ip, int linkSpeed, int dataPort, int fileIndex)
        {
            Name = name; Hash = hash; Size = size; Nick = nick; Ip = ip; LinkSpeed = linkSpeed; DataPort = dataPort; FileIndex = fileIndex;
        }

        public string Name { get; }
        public ContentHash Hash { get; }
        public long Size { get; }
        public string Nick { get; }
        /// <summary>The sharing peer's address as the server saw it.</summary>
        public string Ip { get; }
        public int LinkSpeed { get; }
        public int DataPort { get; }
        public int FileIndex { get; }

        public string Format() => string.Format(CultureInfo.InvariantCulture, "\"{0}\" {1} {2} 0 0 0 {3} {4} {5} {6} {7}",
            Name, Hash, Size, Nick, EncodeIp(Ip), LinkSpeed, DataPort, FileIndex);

        public static NapsterSearchResult Parse(string payload)
        {
            var r = new NapsterFieldReader(payload, "search result");
            string name = r.Quoted("the file name");
            if (!ContentHash.TryParse(r.Word("the hash"), out var hash)) throw r.Fail("the hash must be urn:sha1: and 32 base32 characters");
            long size = r.Long("the size", 0, NapsterShare.MaxFileSize);
            r.Word("the bitrate");
            r.Word("the frequency");
            r.Word("the length");
            string nick = r.Word("the nick");
            string ip = DecodeIp(r.Word("the ip"));
            int speed = r.Int("the link speed", 0, 10);
            int port = (int)r.OptionalLong("the data port", 0, 65535, 0);
            int index = (int)r.OptionalLong("the file index", -1, int.MaxValue, -1);
            return new NapsterSearchResult(name, hash, size, nick, ip, speed, port, index);
        }

        /// <summary>
        /// OpenNap sends an IPv4 address as the 32-bit integer a little-endian machine reads from its four bytes in
        /// network order (127.0.0.1 = 16777343). Other addresses (simulated hosts, IPv6) go as text.
        /// </summary>
        public static string EncodeIp(string address)
        {
            byte[] b = IPAddress.TryParse(address, out var ip) ? ip.GetAddressBytes() : null;
            if (b != null && b.Length == 4)
            {
                uint value = (uint)(b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24));
                return value.ToString(CultureInfo.InvariantCulture);
            }
            return address;
        }

        public static string DecodeIp(string field)
        {
            if (uint.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out uint value))
                return $"{value & 0xFF}.{(value >> 8) & 0xFF}.{(value >> 16) & 0xFF}.{value >> 24}";
            return field;
        }
    }
}
