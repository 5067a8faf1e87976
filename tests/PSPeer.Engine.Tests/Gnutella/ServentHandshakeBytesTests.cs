using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// The servent's own handshake heads, byte for byte: its CONNECT, its 200 answer and its confirmation are made once
    /// per servent and spliced per connection, and must stay exactly what real servents accepted before.
    /// </summary>
    public class ServentHandshakeBytesTests
    {
        const string UltrapeerHeaders =
            "User-Agent: PSPeer/0.1\r\nX-Ultrapeer: True\r\nListen-IP: {0}\r\nX-Query-Routing: 0.1\r\nPong-Caching: 0.1\r\n" +
            "Bye-Packet: 0.1\r\nGGEP: 0.5\r\nX-Degree: 32\r\nX-Max-TTL: 7\r\nX-Dynamic-Querying: 0.1\r\nX-Ext-Probes: 0.1\r\n" +
            "X-Ultrapeer-Query-Routing: 0.1\r\n";

        static async Task<string> ReadHeadTextAsync(IConnection connection)
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (!(bytes.Count >= 4 && bytes[bytes.Count - 4] == '\r' && bytes[bytes.Count - 3] == '\n' && bytes[bytes.Count - 2] == '\r' && bytes[bytes.Count - 1] == '\n'))
            {
                int n = await connection.Stream.ReadAsync(one, 0, 1, CancellationToken.None);
                Assert.True(n > 0, "the servent closed before ending its head: " + Encoding.UTF8.GetString(bytes.ToArray()));
                bytes.Add(one[0]);
            }
            return Encoding.UTF8.GetString(bytes.ToArray());
        }

        static Task SendAsync(IConnection connection, string text)
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            return connection.Stream.WriteAsync(bytes, 0, bytes.Length);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void The_answer_to_a_connect_is_our_headers_then_this_connections(bool compress)
        {
            var world = new GnutellaWorld();
            var n0 = world.Add("n0", configure: o => { o.DynamicQuerying = true; o.UltrapeerQueryRouting = true; o.CompressLinks = compress; });
            var n1 = world.Add("n1");
            world.Link(n1, n0);   // n0 learns n1 as an ultrapeer: it lists it in X-Try-Ultrapeers
            var hosts = new[] { world.Sim.AddHost("raw-a"), world.Sim.AddHost("raw-b") };
            var answers = new List<string>();
            foreach (var host in hosts)
                world.Run(async () =>
                {
                    var connection = await host.Transport.ConnectAsync(world.Address(n0).Host, world.Address(n0).Port, CancellationToken.None);
                    await SendAsync(connection, "GNUTELLA CONNECT/0.6\r\nUser-Agent: Raw/1\r\nX-Ultrapeer: True\r\nAccept-Encoding: deflate\r\n\r\n");
                    answers.Add(await ReadHeadTextAsync(connection));
                    connection.Dispose();
                });
            world.Settle();

            bool deflate = compress && PSPeer.Engine.Gnutella.Compression.LinkCompression.IsSupported;
            for (int i = 0; i < hosts.Length; i++)
            {
                string expected = "GNUTELLA/0.6 200 OK\r\n" + string.Format(UltrapeerHeaders, world.Address(n0)) +
                    (deflate ? "Accept-Encoding: deflate\r\n" : "") +
                    "Remote-IP: " + hosts[i].HostAddress + "\r\n" +
                    (deflate ? "Content-Encoding: deflate\r\n" : "") +
                    "X-Try-Ultrapeers: " + world.Address(n1) + "\r\n" +
                    "X-Ultrapeer-Needed: True\r\n\r\n";
                Assert.Equal(expected, answers[i]);
            }
        }

        [Theory]
        [InlineData(GnutellaRole.Ultrapeer, false)]
        [InlineData(GnutellaRole.Leaf, false)]
        [InlineData(GnutellaRole.Leaf, true)]
        public void Connect_and_confirmation_are_the_same_text_on_every_dial(GnutellaRole role, bool compress)
        {
            var world = new GnutellaWorld();
            var n0 = world.Add("n0", role, o => o.CompressLinks = compress);
            var peer = world.Sim.AddHost("raw");
            var heads = new List<string>();
            world.Run(async () =>
            {
                var listener = await peer.Transport.ListenAsync(6346);
                for (int dial = 0; dial < 2; dial++)
                {
                    var accepting = listener.AcceptAsync();
                    var connecting = n0.ConnectAsync(new HostPort(peer.HostAddress, 6346));
                    var connection = await accepting;
                    heads.Add(await ReadHeadTextAsync(connection));
                    await SendAsync(connection, "GNUTELLA/0.6 200 OK\r\nX-Ultrapeer: True\r\nAccept-Encoding: deflate\r\n\r\n");
                    heads.Add(await ReadHeadTextAsync(connection));
                    await connecting;
                    connection.Dispose();
                }
                listener.Dispose();
            });
            world.Settle();

            bool deflate = compress && PSPeer.Engine.Gnutella.Compression.LinkCompression.IsSupported;
            string own = role == GnutellaRole.Leaf
                ? $"User-Agent: PSPeer/0.1\r\nX-Ultrapeer: False\r\nListen-IP: {world.Address(n0)}\r\nX-Query-Routing: 0.1\r\nPong-Caching: 0.1\r\nBye-Packet: 0.1\r\nGGEP: 0.5\r\n"
                : string.Format(UltrapeerHeaders.Replace("X-Dynamic-Querying: 0.1\r\nX-Ext-Probes: 0.1\r\nX-Ultrapeer-Query-Routing: 0.1\r\n", ""), world.Address(n0));
            string connect = "GNUTELLA CONNECT/0.6\r\n" + own + (deflate ? "Accept-Encoding: deflate\r\n" : "") + "\r\n";
            string confirm = "GNUTELLA/0.6 200 OK\r\nUser-Agent: PSPeer/0.1\r\n" + (deflate ? "Content-Encoding: deflate\r\n" : "") + "\r\n";
            Assert.Equal(new[] { connect, confirm, connect, confirm }, heads);
        }
    }
}
