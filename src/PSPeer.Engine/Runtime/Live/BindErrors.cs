using System;
using System.Net.Sockets;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Runtime.Live
{
    /// <summary>
    /// Turns a failed bind into the one error a user can act on, naming the address and port that were asked for
    /// (a port taken on 127.0.0.1 may be free on 127.0.0.2, so the address matters).
    /// </summary>
    static class BindErrors
    {
        public static Exception From(SocketException e, string address, int port, string protocol)
        {
            string where = $"{protocol} port {port} on {address}";
            switch (e.SocketErrorCode)
            {
                case SocketError.AddressAlreadyInUse:
                    return new PeerException(PeerErrorIds.PortInUse,
                        $"{where} is already in use: choose another -Port, or -Port 0 for any free port.", e);
                case SocketError.AccessDenied:
                    return new PeerException(PeerErrorIds.PortAccessDenied, port > 0 && port < 1024
                        ? $"{where}: ports below 1024 need the right to bind them (root, or CAP_NET_BIND_SERVICE on Linux). Choose -Port 1024 or above."
                        : $"{where}: this process may not bind it (access denied).", e);
                case SocketError.AddressNotAvailable:
                    return new PeerException(PeerErrorIds.AddressNotAvailable,
                        $"{address} is not an address of this host, so {where} cannot be bound: use one of its addresses, or 0.0.0.0 / :: for all.", e);
                default:
                    return e;
            }
        }
    }
}
