using System.Net;

namespace PSPeer.Engine.Core
{
    /// <summary>
    /// The IP address conversions every layer needs, written once: an address as users and peers write it, and the
    /// IPv4 address behind the ::ffff:a.b.c.d form dual-mode sockets report. "host:port" text is <see cref="HostPort"/>'s.
    /// </summary>
    public static class Addresses
    {
        /// <summary>An IP literal as typed or sent ("127.0.0.1", "::1", "[::1]", blanks around allowed); false for a host name.</summary>
        public static bool TryParseLiteral(string text, out IPAddress address) =>
            IPAddress.TryParse((text ?? "").Trim().Trim('[', ']'), out address);

        /// <summary>An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it carries; any other unchanged.</summary>
        public static IPAddress Unmapped(this IPAddress address) =>
            address != null && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

        /// <summary>An endpoint whose address is IPv4-mapped as the IPv4 endpoint it is; any other unchanged.</summary>
        public static IPEndPoint Unmapped(this IPEndPoint endPoint) =>
            endPoint != null && endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
    }
}
