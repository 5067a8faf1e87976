using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Runtime.Live
{
    /// <summary>Live datagrams: UDP sockets bound on the node's address (IPv4 or IPv6; :: also receives IPv4).</summary>
    public sealed class UdpTransport : IDatagramTransport
    {
        /// <summary>The largest UDP payload over IPv4 (65,535 minus the IP and UDP headers).</summary>
        public const int MaxUdpPayload = 65507;

        readonly IPAddress _bindAddress;
        readonly string _host;
        readonly string _advertised;

        public UdpTransport(string host) : this(IPAddress.Parse(host), host) { }

        /// <summary>Binds <paramref name="bindAddress"/>; sockets report <paramref name="advertisedHost"/> in their EndPoint.</summary>
        public UdpTransport(IPAddress bindAddress, string advertisedHost)
        {
            _bindAddress = bindAddress;
            _host = bindAddress.ToString();
            _advertised = advertisedHost ?? _host;
        }

        public IDatagramSocket Bind(int port, DatagramReceiver receiver)
        {
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is 0 to 65535.");
            if (receiver == null) throw new ArgumentNullException(nameof(receiver));
            var socket = new Socket(_bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                if (_bindAddress.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
                socket.Bind(new IPEndPoint(_bindAddress, port));
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw BindErrors.From(e, _host, port, "UDP");
            }
            var udp = new UdpDatagramSocket(socket, _advertised, receiver);
            udp.Start();
            return udp;
        }

        public async Task<IPEndPoint> ResolveAsync(string host, int port, CancellationToken cancellationToken = default)
        {
            if (port < 1 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port to send to is 1 to 65535.");
            if (Addresses.TryParseLiteral(host, out var literal)) return new IPEndPoint(literal, port);
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new PeerException(PeerErrorIds.Unreachable, $"Cannot resolve {host}: {e.SocketErrorCode}.", e);
            }
            cancellationToken.ThrowIfCancellationRequested();
            bool anyFamily = _bindAddress.Equals(IPAddress.IPv6Any);
            foreach (var a in addresses)
                if (anyFamily || a.AddressFamily == _bindAddress.AddressFamily) return new IPEndPoint(a, port);
            throw new PeerException(PeerErrorIds.Unreachable, addresses.Length == 0
                ? $"Cannot resolve {host}: no address."
                : $"{host} has no {(_bindAddress.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address to reach from {_host}.");
        }
    }

    /// <summary>
    /// One bound UDP socket and its receive loop: one pending receive at a time, so the receiver is called for one
    /// datagram at a time, never concurrently. Errors a datagram provokes (an ICMP unreachable surfacing as a
    /// reset on some systems, a receiver that throws) skip that datagram; only closing the socket ends the loop.
    /// A loopback-bound socket cannot send to other machines; for those it opens a second, unbound socket on first
    /// use (the kernel picks its source), whose answers reach the same receiver.
    /// </summary>
    sealed class UdpDatagramSocket : IDatagramSocket
    {
        readonly Socket _socket;
        readonly DatagramReceiver _receiver;
        readonly object _gate = new object();
        readonly bool _boundLoopback;   // read once: LocalEndPoint is a getsockname and an allocation per call
        Socket _outside;
        volatile bool _closed;

        public UdpDatagramSocket(Socket socket, string host, DatagramReceiver receiver)
        {
            _socket = socket;
            _receiver = receiver;
            var local = (IPEndPoint)socket.LocalEndPoint;
            Port = local.Port;
            _boundLoopback = LocalAddresses.IsLoopback(local.Address);
            EndPoint = new HostPort(host, Port).ToString();
        }

        public int Port { get; }
        public string EndPoint { get; }
        public int MaxDatagramSize => UdpTransport.MaxUdpPayload;

        internal void Start() => _ = ReceiveLoopAsync(_socket);

        async Task ReceiveLoopAsync(Socket socket)
        {
            var buffer = new byte[UdpTransport.MaxUdpPayload + 1];
            EndPoint anyRemote = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            while (!_closed)
            {
                SocketReceiveFromResult result;
                try
                {
                    result = await socket.ReceiveFromAsync(new ArraySegment<byte>(buffer), SocketFlags.None, anyRemote).ConfigureAwait(false);
                }
                catch (ObjectDisposedException) { return; }
                catch (SocketException) when (!_closed) { continue; }
                catch (SocketException) { return; }
                // A datagram larger than the buffer arrives truncated; UDP cannot carry more, so this never happens.
                if (result.ReceivedBytes > UdpTransport.MaxUdpPayload) continue;
                var from = ((IPEndPoint)result.RemoteEndPoint).Unmapped();   // a dual-mode socket sees IPv4 senders as ::ffff:a.b.c.d: hand protocols the IPv4 they know
                try
                {
                    _receiver(this, from, new ArraySegment<byte>(buffer, 0, result.ReceivedBytes));
                }
                catch (Exception) when (!_closed)
                {
                    // A receiver must not end the socket over one bad datagram; it reports its own failures.
                }
            }
        }

        public void Send(byte[] buffer, int offset, int count, IPEndPoint to)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (to == null) throw new ArgumentNullException(nameof(to));
            if (count < 0 || count > MaxDatagramSize)
                throw new ArgumentOutOfRangeException(nameof(count), count, $"A datagram carries at most {MaxDatagramSize} bytes.");
            if (_closed) throw new ObjectDisposedException(nameof(IDatagramSocket), $"The datagram socket on {EndPoint} is closed.");
            var socket = SocketFor(to);
            var target = to;
            if (socket.AddressFamily == AddressFamily.InterNetworkV6 && to.AddressFamily == AddressFamily.InterNetwork)
            {
                if (!socket.DualMode)
                    throw new PeerException(PeerErrorIds.Unreachable, $"Cannot send to {to} from the IPv6 address of {EndPoint}: bind an IPv4 address (or ::) for IPv4 peers.");
                target = new IPEndPoint(to.Address.MapToIPv6(), to.Port);
            }
            else if (socket.AddressFamily == AddressFamily.InterNetwork && to.AddressFamily == AddressFamily.InterNetworkV6)
            {
                if (!to.Address.IsIPv4MappedToIPv6)
                    throw new PeerException(PeerErrorIds.Unreachable, $"Cannot send to {to} from the IPv4 address of {EndPoint}: bind an IPv6 address (or ::) for IPv6 peers.");
                target = new IPEndPoint(to.Address.MapToIPv4(), to.Port);
            }
            try
            {
                socket.SendTo(buffer, offset, count, SocketFlags.None, target);
            }
            catch (ObjectDisposedException) when (_closed)
            {
                throw new ObjectDisposedException(nameof(IDatagramSocket), $"The datagram socket on {EndPoint} is closed.");
            }
            catch (SocketException)
            {
                // No route, a full send buffer, an ICMP error from an earlier datagram: UDP promises nothing, and the
                // protocol above times out and retries as it would for a datagram lost on the way.
            }
        }

        Socket SocketFor(IPEndPoint to)
        {
            if (!_boundLoopback || LocalAddresses.IsLoopback(to.Address)) return _socket;
            lock (_gate)
            {
                if (_outside != null || _closed) return _outside ?? _socket;
                var outside = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
                outside.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
                _outside = outside;
                _ = ReceiveLoopAsync(outside);
                return outside;
            }
        }

        public void Dispose()
        {
            _closed = true;
            _socket.Dispose();
            lock (_gate) _outside?.Dispose();
        }
    }
}
