using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Live
{
    public class UdpTransportTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

        sealed class Received
        {
            readonly TaskCompletionSource<(IPEndPoint from, byte[] data)> _first = new TaskCompletionSource<(IPEndPoint, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
            public Task<(IPEndPoint from, byte[] data)> First => _first.Task;
            public void Receive(IDatagramSocket socket, IPEndPoint from, ArraySegment<byte> payload) => _first.TrySetResult((from, payload.ToArray()));
        }

        [Theory]
        [InlineData("127.0.0.1")]
        [InlineData("::1")]
        public async Task A_datagram_and_its_echo_cross_loopback(string address)
        {
            var transport = new UdpTransport(address);
            using var echo = transport.Bind(0, (s, from, p) => s.Send(p.Array, p.Offset, p.Count, from));
            var got = new Received();
            using var client = transport.Bind(0, got.Receive);
            Assert.NotEqual(0, echo.Port);
            Assert.Equal(new HostPort(address, echo.Port).ToString(), echo.EndPoint);
            client.Send(new byte[] { 9, 1, 2, 3 }, 1, 3, new IPEndPoint(IPAddress.Parse(address), echo.Port));
            var (from, data) = await got.First.WaitAsync(Limit);
            Assert.Equal(new byte[] { 1, 2, 3 }, data);
            Assert.Equal(new IPEndPoint(IPAddress.Parse(address), echo.Port), from);
        }

        [Fact]
        public async Task Datagrams_leave_from_the_nodes_own_loopback_address()
        {
            var got = new Received();
            using var server = new UdpTransport("127.0.0.1").Bind(0, got.Receive);
            using var client = new UdpTransport("127.0.0.7").Bind(0, (s, f, p) => { });
            client.Send(new byte[] { 1 }, 0, 1, new IPEndPoint(IPAddress.Loopback, server.Port));
            var (from, _) = await got.First.WaitAsync(Limit);
            Assert.Equal(IPAddress.Parse("127.0.0.7"), from.Address);
            Assert.Equal(client.Port, from.Port);
        }

        [Fact]
        public async Task A_socket_bound_to_the_ipv6_wildcard_hears_ipv4_senders_as_ipv4()
        {
            var got = new Received();
            using var server = new UdpTransport("::").Bind(0, got.Receive);
            using var client = new UdpTransport("127.0.0.1").Bind(0, (s, f, p) => { });
            client.Send(new byte[] { 5 }, 0, 1, new IPEndPoint(IPAddress.Loopback, server.Port));
            var (from, _) = await got.First.WaitAsync(Limit);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, client.Port), from);
        }

        [Fact]
        public void A_port_taken_on_one_address_is_reported_for_that_address_and_is_free_on_another()
        {
            using var first = new UdpTransport("127.0.0.1").Bind(0, (s, f, p) => { });
            var e = Assert.Throws<PeerException>(() => new UdpTransport("127.0.0.1").Bind(first.Port, (s, f, p) => { }));
            Assert.Equal(PeerErrorIds.PortInUse, e.ErrorId);
            Assert.Contains($"UDP port {first.Port} on 127.0.0.1", e.Message);
            using var other = new UdpTransport("127.0.0.2").Bind(first.Port, (s, f, p) => { });
            Assert.Equal(first.Port, other.Port);
        }

        [Fact]
        public async Task An_address_this_host_does_not_have_is_AddressNotAvailable_naming_it()
        {
            var e = Assert.Throws<PeerException>(() => new UdpTransport("192.0.2.77").Bind(0, (s, f, p) => { }));
            Assert.Equal(PeerErrorIds.AddressNotAvailable, e.ErrorId);
            Assert.Contains("192.0.2.77", e.Message);
            var tcp = await Assert.ThrowsAsync<PeerException>(() => new TcpTransport("192.0.2.77").ListenAsync(0));
            Assert.Equal(PeerErrorIds.AddressNotAvailable, tcp.ErrorId);
        }

        [Fact]
        public void Access_denied_below_1024_says_so_instead_of_port_in_use()
        {
            // Root may bind any port here, so the socket error itself is fed to the mapping both transports use.
            var e = (PeerException)BindErrors.From(new SocketException((int)SocketError.AccessDenied), "127.0.0.1", 80, "TCP");
            Assert.Equal(PeerErrorIds.PortAccessDenied, e.ErrorId);
            Assert.Contains("below 1024", e.Message);
            Assert.Contains("TCP port 80 on 127.0.0.1", e.Message);
        }

        [Fact]
        public void Oversized_and_closed_sends_fail_clearly()
        {
            var socket = new UdpTransport("127.0.0.1").Bind(0, (s, f, p) => { });
            var to = new IPEndPoint(IPAddress.Loopback, 9);
            Assert.Throws<ArgumentOutOfRangeException>(() => socket.Send(new byte[70000], 0, 65508, to));
            socket.Dispose();
            Assert.Throws<ObjectDisposedException>(() => socket.Send(new byte[1], 0, 1, to));
        }
    }
}
