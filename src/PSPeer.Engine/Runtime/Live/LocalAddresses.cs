using System;
using System.Net;
using System.Net.Sockets;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Runtime.Live
{
    /// <summary>What a live node's -Address and -ExternalAddress mean, checked once where the node's runtime is made.</summary>
    public static class LocalAddresses
    {
        /// <summary>True for 0.0.0.0 and :: (every address of this host).</summary>
        public static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

        /// <summary>
        /// Parses a -Address or -ExternalAddress value: an IPv4 or IPv6 literal (brackets allowed). Throws PeerException
        /// AddressNotAvailable naming the text otherwise: a host name would bind whatever it resolves to today.
        /// </summary>
        public static IPAddress Parse(string text, string parameter)
        {
            if (!string.IsNullOrWhiteSpace(text) && Addresses.TryParseLiteral(text, out var address)) return address.Unmapped();
            throw new PeerException(PeerErrorIds.AddressNotAvailable,
                $"'{text}' is not an IP address for {parameter}: give an IPv4 or IPv6 address such as 127.0.0.1, ::1 or 0.0.0.0.");
        }

        /// <summary>
        /// The address peers are told for a node bound to <paramref name="bound"/>: the external address when one is
        /// given; never the wildcard (for 0.0.0.0 / ::, the local address of the route out, found by pointing a UDP
        /// socket at a documentation address without sending anything; loopback when there is no route).
        /// </summary>
        public static IPAddress Advertised(IPAddress bound, IPAddress external)
        {
            if (external != null)
            {
                if (IsWildcard(external)) throw new PeerException(PeerErrorIds.AddressNotAvailable,
                    $"-ExternalAddress {external} is the wildcard: give the address other hosts reach this node at.");
                return external;
            }
            if (!IsWildcard(bound)) return bound;
            bool v6 = bound.AddressFamily == AddressFamily.InterNetworkV6;
            var probe = v6 ? IPAddress.Parse("2001:db8::1") : IPAddress.Parse("192.0.2.1");
            try
            {
                using (var s = new Socket(probe.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
                {
                    s.Connect(new IPEndPoint(probe, 9));
                    var local = ((IPEndPoint)s.LocalEndPoint).Address;
                    if (!IsWildcard(local)) return local;
                }
            }
            catch (SocketException) { /* no route out: this host is alone */ }
            return v6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        }

        /// <summary>127.0.0.0/8 or ::1.</summary>
        public static bool IsLoopback(IPAddress address) => IPAddress.IsLoopback(address.Unmapped());
    }
}
