using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Live
{
    public class TcpTransportTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

        [Fact]
        public async Task ConnectsAndCarriesBytesBothWays()
        {
            var transport = LiveRuntime.Loopback.Transport;
            using var listener = await transport.ListenAsync(0);
            Assert.NotEqual(0, listener.Port);
            Assert.Equal($"127.0.0.1:{listener.Port}", listener.EndPoint);

            var accept = listener.AcceptAsync();
            using var client = await transport.ConnectAsync("127.0.0.1", listener.Port).WaitAsync(Limit);
            using var server = await accept.WaitAsync(Limit);
            Assert.Equal(client.LocalEndPoint, server.RemoteEndPoint);

            await client.Stream.WriteAsync(new byte[] { 1, 2, 3 }, 0, 3);
            var buffer = new byte[3];
            int got = 0;
            while (got < 3) got += await server.Stream.ReadAsync(buffer, got, 3 - got).WaitAsync(Limit);
            Assert.Equal(new byte[] { 1, 2, 3 }, buffer);
        }

        [Fact]
        public async Task APortInUseIsOneClearError()
        {
            var transport = LiveRuntime.Loopback.Transport;
            using var first = await transport.ListenAsync(0);
            var e = await Assert.ThrowsAsync<PeerException>(() => transport.ListenAsync(first.Port));
            Assert.Equal(PeerErrorIds.PortInUse, e.ErrorId);
            Assert.Contains(first.Port.ToString(), e.Message);
            Assert.Contains("-Port 0", e.Message);
        }

        [Fact]
        public async Task NobodyListeningIsUnreachableNamingHostAndPort()
        {
            var transport = LiveRuntime.Loopback.Transport;
            int port;
            using (var l = await transport.ListenAsync(0)) port = l.Port;   // free again once disposed
            var e = await Assert.ThrowsAsync<PeerException>(() => transport.ConnectAsync("127.0.0.1", port).WaitAsync(Limit));
            Assert.Equal(PeerErrorIds.Unreachable, e.ErrorId);
            Assert.Contains($"127.0.0.1:{port}", e.Message);
        }

        [Fact]
        public async Task CancellingAcceptEndsItPromptly()
        {
            using var listener = await LiveRuntime.Loopback.Transport.ListenAsync(0);
            using var cts = new CancellationTokenSource();
            var accept = listener.AcceptAsync(cts.Token);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accept.WaitAsync(Limit));
        }

        [Fact]
        public async Task A_runtime_on_its_own_loopback_address_dials_from_that_address()
        {
            // So per-address limits tell local nodes apart as they would tell hosts apart.
            using var listener = await LiveRuntime.Loopback.Transport.ListenAsync(0);
            var accept = listener.AcceptAsync();
            using var client = await new LiveRuntime("127.0.0.7").Transport.ConnectAsync("127.0.0.1", listener.Port).WaitAsync(Limit);
            using var server = await accept.WaitAsync(Limit);
            Assert.StartsWith("127.0.0.7:", server.RemoteEndPoint);
            Assert.StartsWith("127.0.0.7:", client.LocalEndPoint);

            var second = listener.AcceptAsync();
            using var plain = await LiveRuntime.Loopback.Transport.ConnectAsync("127.0.0.1", listener.Port).WaitAsync(Limit);
            using var secondServer = await second.WaitAsync(Limit);
            Assert.StartsWith("127.0.0.1:", secondServer.RemoteEndPoint);
        }
    }
}
