using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Runtime.Live
{
    public sealed class TcpTransport : ITransport
    {
        readonly IPAddress _bindAddress;
        readonly string _host;

        public TcpTransport(string host)
        {
            _host = host;
            _bindAddress = IPAddress.Parse(host);
        }

        public Task<IListener> ListenAsync(int port, CancellationToken cancellationToken = default)
        {
            var socket = new Socket(_bindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(_bindAddress, port));
                socket.Listen(512);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse || e.SocketErrorCode == SocketError.AccessDenied)
            {
                socket.Dispose();
                throw new PeerException(PeerErrorIds.PortInUse,
                    $"Port {port} on {_host} is already in use: choose another -Port, or -Port 0 for any free port.", e);
            }
            return Task.FromResult<IListener>(new TcpListenerAdapter(socket, _host));
        }

        public async Task<IConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken = default)
        {
            Socket socket = null;
            try
            {
                var addresses = await Dns.GetHostAddressesAsync(host);
                cancellationToken.ThrowIfCancellationRequested();
                var source = LoopbackSourceFor(addresses);
                if (source != null)
                {
                    // Dial from our own loopback address, so a node on 127.0.0.5 is 127.0.0.5 to the nodes it dials (their
                    // per-address limits tell local nodes apart, as they would tell hosts apart).
                    socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    socket.Bind(new IPEndPoint(source, 0));
                    addresses = Array.FindAll(addresses, a => a.AddressFamily == AddressFamily.InterNetwork && IPAddress.IsLoopback(a));
                }
                else
                {
                    socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                }
                using (cancellationToken.Register(() => socket.Dispose()))
                {
                    await socket.ConnectAsync(addresses, port);
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
            {
                socket?.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                throw new PeerException(PeerErrorIds.Unreachable,
                    $"Cannot connect to {new HostPort(host, port)}: {(e as SocketException)?.SocketErrorCode.ToString() ?? e.Message}. Is the node running there?", e);
            }
            return new TcpConnection(socket);
        }

        /// <summary>
        /// Our address when we listen on a loopback address other than 127.0.0.1 and dial a loopback IPv4 address; else
        /// null (the system picks: 127.0.0.1 for loopback, the right interface for anything else).
        /// </summary>
        IPAddress LoopbackSourceFor(IPAddress[] destinations)
        {
            if (_bindAddress.AddressFamily != AddressFamily.InterNetwork || !IPAddress.IsLoopback(_bindAddress) || _bindAddress.Equals(IPAddress.Loopback)) return null;
            foreach (var d in destinations)
                if (d.AddressFamily == AddressFamily.InterNetwork && IPAddress.IsLoopback(d)) return _bindAddress;
            return null;
        }
    }

    sealed class TcpListenerAdapter : IListener
    {
        readonly Socket _socket;
        public TcpListenerAdapter(Socket socket, string host)
        {
            _socket = socket;
            Port = ((IPEndPoint)socket.LocalEndPoint).Port;
            EndPoint = new HostPort(host, Port).ToString();
        }

        public int Port { get; }
        public string EndPoint { get; }

        public async Task<IConnection> AcceptAsync(CancellationToken cancellationToken = default)
        {
            using (cancellationToken.Register(() => _socket.Dispose()))
            {
                try
                {
                    var s = await _socket.AcceptAsync();
                    try
                    {
                        s.NoDelay = true;
                        return new TcpConnection(s);
                    }
                    catch
                    {
                        // A peer that resets right after the handshake makes RemoteEndPoint throw: close its socket
                        // here, since no connection object will ever own it.
                        s.Dispose();
                        throw;
                    }
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }
        }

        public void Dispose() => _socket.Dispose();
    }

    sealed class TcpConnection : IConnection
    {
        readonly Socket _socket;
        public TcpConnection(Socket socket)
        {
            _socket = socket;
            LocalEndPoint = Format(socket.LocalEndPoint);
            RemoteEndPoint = Format(socket.RemoteEndPoint);
            Stream = new NetworkStream(socket, ownsSocket: true);
        }

        // Outgoing sockets are dual-mode, so their own address reads as ::ffff:127.0.0.1; show the IPv4 users typed.
        static string Format(EndPoint ep) => ep is IPEndPoint ip
            ? new HostPort((ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString(), ip.Port).ToString()
            : ep?.ToString();

        public System.IO.Stream Stream { get; }
        public string LocalEndPoint { get; }
        public string RemoteEndPoint { get; }
        public void Dispose() => Stream.Dispose();
    }
}
