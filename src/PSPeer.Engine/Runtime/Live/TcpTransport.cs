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
            catch (SocketException e)
            {
                socket.Dispose();
                throw BindErrors.From(e, _host, port, "TCP");
            }
            return Task.FromResult<IListener>(new TcpListenerAdapter(socket, _host));
        }

        public async Task<IConnection> ConnectAsync(string host, int port, CancellationToken cancellationToken = default)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using (cancellationToken.Register(() => socket.Dispose()))
                {
                    var addresses = await Dns.GetHostAddressesAsync(host);
                    await socket.ConnectAsync(addresses, port);
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                socket.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                throw new PeerException(PeerErrorIds.Unreachable,
                    $"Cannot connect to {new HostPort(host, port)}: {(e as SocketException)?.SocketErrorCode.ToString() ?? e.Message}. Is the node running there?", e);
            }
            return new TcpConnection(socket);
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
