using System;
using System.Net;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Live
{
    /// <summary>Live nodes on any local address: the source of what they send, what they advertise, and clear bind errors.</summary>
    public class LiveAddressTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

        [Fact]
        public async Task Connections_leave_from_the_nodes_own_loopback_address()
        {
            using var listener = await new LiveRuntime("127.0.0.1").Transport.ListenAsync(0);
            var accept = listener.AcceptAsync();
            using var client = await new LiveRuntime("127.0.0.5").Transport.ConnectAsync("127.0.0.1", listener.Port).WaitAsync(Limit);
            using var server = await accept.WaitAsync(Limit);
            Assert.StartsWith("127.0.0.5:", server.RemoteEndPoint);
            Assert.StartsWith("127.0.0.5:", client.LocalEndPoint);
        }

        [Fact]
        public async Task A_node_on_ipv6_loopback_listens_and_dials_there()
        {
            var runtime = new LiveRuntime("::1");
            using var listener = await runtime.Transport.ListenAsync(0);
            Assert.Equal($"[::1]:{listener.Port}", listener.EndPoint);
            var accept = listener.AcceptAsync();
            using var client = await runtime.Transport.ConnectAsync("::1", listener.Port).WaitAsync(Limit);
            using var server = await accept.WaitAsync(Limit);
            Assert.StartsWith("[::1]:", server.RemoteEndPoint);
        }

        [Theory]
        [InlineData("0.0.0.0")]
        [InlineData("::")]
        public async Task A_wildcard_bound_node_never_advertises_the_wildcard(string wildcard)
        {
            var runtime = new LiveRuntime(wildcard);
            Assert.False(LocalAddresses.IsWildcard(IPAddress.Parse(runtime.HostAddress)), runtime.HostAddress);
            Assert.Equal(wildcard, runtime.BindAddress);
            using var listener = await runtime.Transport.ListenAsync(0);
            Assert.Equal(new HostPort(runtime.HostAddress, listener.Port).ToString(), listener.EndPoint);
            // Bound to every address: reachable on loopback too.
            var accept = listener.AcceptAsync();
            using var client = await LiveRuntime.Loopback.Transport.ConnectAsync(wildcard == "::" ? "::1" : "127.0.0.1", listener.Port).WaitAsync(Limit);
            using var server = await accept.WaitAsync(Limit);
        }

        [Fact]
        public async Task The_external_address_is_what_listeners_and_sockets_report()
        {
            var runtime = new LiveRuntime("0.0.0.0", "203.0.113.7");
            Assert.Equal("203.0.113.7", runtime.HostAddress);
            Assert.Equal("203.0.113.7", runtime.ExternalAddress);
            using var listener = await runtime.Transport.ListenAsync(0);
            Assert.Equal($"203.0.113.7:{listener.Port}", listener.EndPoint);
            using var socket = runtime.Datagrams.Bind(0, (s, f, p) => { });
            Assert.Equal($"203.0.113.7:{socket.Port}", socket.EndPoint);
        }

        [Theory]
        [InlineData("build01", null)]
        [InlineData("127.0.0.1", "0.0.0.0")]
        public void An_address_that_is_not_an_ip_or_a_wildcard_to_advertise_is_AddressNotAvailable(string address, string external)
        {
            var e = Assert.Throws<PeerException>(() => new LiveRuntime(address, external));
            Assert.Equal(PeerErrorIds.AddressNotAvailable, e.ErrorId);
            Assert.Contains(external ?? address, e.Message);
        }

        [Fact]
        public async Task A_tcp_port_taken_on_one_address_is_reported_for_it_and_free_on_another()
        {
            using var first = await new LiveRuntime("127.0.0.1").Transport.ListenAsync(0);
            var e = await Assert.ThrowsAsync<PeerException>(() => new LiveRuntime("127.0.0.1").Transport.ListenAsync(first.Port));
            Assert.Equal(PeerErrorIds.PortInUse, e.ErrorId);
            Assert.Contains($"TCP port {first.Port} on 127.0.0.1", e.Message);
            using var other = await new LiveRuntime("127.0.0.2").Transport.ListenAsync(first.Port);
            Assert.Equal($"127.0.0.2:{first.Port}", other.EndPoint);
        }
    }
}
