using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Runtime.Live
{
    /// <summary>
    /// TCP on one local address: listeners bind it, and outgoing connections leave from it (so nodes on 127.0.0.2 and
    /// 127.0.0.3 look like two hosts to the peers they dial). Two exceptions, where binding the source would only break
    /// the connection: a wildcard-bound node lets the kernel choose, and a loopback-bound node dialling a
    /// non-loopback address does too (a loopback address cannot reach other machines).
    /// </summary>
    public sealed class TcpTransport : ITransport
    {
        readonly IPAddress _bindAddress;
        readonly string _host;
        readonly string _advertised;

        public TcpTransport(string host) : this(IPAddress.Parse(host), host) { }

        /// <summary>Binds <paramref name="bindAddress"/>; listeners report <paramref name="advertisedHost"/> as their EndPoint.</summary>
        public TcpTransport(IPAddress bindAddress, string advertisedHost)
        {
            _bindAddress = bindAddress;
            _host = bindAddress.ToString();
            _advertised = advertisedHost ?? _host;
        }

        public Task<IListener> ListenAsync(int port, CancellationToken cancellationToken = default)
        {
            var socket = new Socket(_bindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (_bindAddress.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
                socket.Bind(new IPEndPoint(_bindAddress, port));
                socket.Listen(512);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw BindErrors.From(e, _host, port, "TCP");
            }
            return Task.FromResult<IListener>(new TcpListenerAdapter(socket, _advertised));
        }

        public async Task<IConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken = default)
        {
            Socket socket = null;
            try
            {
                var addresses = await Dns.GetHostAddressesAsync(host);
                var from = SourceFor(addresses, out var to);
                socket = from == null
                    ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
                    : new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                using (cancellationToken.Register(s => ((Socket)s).Dispose(), socket))
                {
                    if (from != null)
                    {
                        try { socket.Bind(new IPEndPoint(from, 0)); }
                        catch (SocketException e) { throw BindErrors.From(e, _host, 0, "TCP"); }
                    }
                    await socket.ConnectAsync(to, port);
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
            {
                socket?.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                throw new PeerException(PeerErrorIds.Unreachable,
                    $"Cannot connect to {new HostPort(host, port)}: {(e as SocketException)?.SocketErrorCode.ToString() ?? e.Message}. Is the node running there?", e);
            }
            catch (PeerException)
            {
                socket?.Dispose();
                throw;
            }
            return new TcpConnection(socket);
        }

        /// <summary>The address to bind before connecting (null: let the kernel choose), and the addresses to try.</summary>
        IPAddress SourceFor(IPAddress[] addresses, out IPAddress[] to)
        {
            to = addresses;
            if (LocalAddresses.IsWildcard(_bindAddress)) return null;
            var family = Array.FindAll(addresses, a => a.AddressFamily == _bindAddress.AddressFamily);
            if (family.Length == 0) return null;
            if (LocalAddresses.IsLoopback(_bindAddress) && !Array.TrueForAll(family, LocalAddresses.IsLoopback)) return null;
            to = family;
            return _bindAddress;
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
            ? new HostPort(ip.Address.Unmapped().ToString(), ip.Port).ToString()
            : ep?.ToString();

        public System.IO.Stream Stream { get; }
        public string LocalEndPoint { get; }
        public string RemoteEndPoint { get; }
        public void Dispose() => Stream.Dispose();
    }
}
