using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// The handshake and frame reader over the simulated transport, whose stream offers only ReadAsync/WriteAsync:
    /// the three-way 0.6 handshake, descriptors sent in the same write as the final "200 OK", and a clean close.
    /// </summary>
    public class WireOverSimulatedLinkTests
    {
        [Fact]
        public void Three_way_handshake_then_descriptors_then_clean_close()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 5 });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var guid = GnutellaGuid.New(a.Random);

            var result = sim.Run(async () =>
            {
                var listener = await b.Transport.ListenAsync(6346);
                var serving = Serve();

                async Task<(HandshakeHead hello, List<GnutellaMessage> messages)> Serve()
                {
                    var conn = await listener.AcceptAsync();
                    var s = conn.Stream;
                    var hello = await GnutellaHandshake.ReadHeadAsync(s, null, GnutellaHandshake.DefaultMaxHeadBytes, CancellationToken.None);
                    var ok = GnutellaHandshake.Response(200, "OK", new Dictionary<string, string> { ["X-Ultrapeer"] = "True" });
                    await s.WriteAsync(ok, 0, ok.Length, CancellationToken.None);
                    var confirm = await GnutellaHandshake.ReadHeadAsync(s, null, GnutellaHandshake.DefaultMaxHeadBytes, CancellationToken.None);
                    Assert.Equal(200, confirm.Status);
                    var reader = new GnutellaFrameReader(s, GnutellaFrameReader.DefaultMaxPayloadLength, confirm.Remainder);
                    var messages = new List<GnutellaMessage>();
                    GnutellaMessage m;
                    while ((m = await reader.ReadAsync(CancellationToken.None)) != null) messages.Add(m);
                    conn.Dispose();
                    return (hello, messages);
                }

                var client = await a.Transport.ConnectAsync(b.HostAddress, 6346);
                var cs = client.Stream;
                var connect = GnutellaHandshake.Connect(new Dictionary<string, string> { ["User-Agent"] = "PSPeer/0.1", ["X-Ultrapeer"] = "False" });
                await cs.WriteAsync(connect, 0, connect.Length, CancellationToken.None);
                var answer = await GnutellaHandshake.ReadHeadAsync(cs, null, GnutellaHandshake.DefaultMaxHeadBytes, CancellationToken.None);
                Assert.Equal((200, "True"), (answer.Status, answer.Headers["x-ultrapeer"]));
                // Final OK and the first descriptors in one write: the acceptor must not lose them.
                var burst = GnutellaHandshake.Response(200, "OK", null)
                    .Concat(GnutellaCodec.Encode(guid, 1, 0, new Ping()))
                    .Concat(GnutellaCodec.Encode(guid, 7, 0, new Query { Criteria = "hey jude" }))
                    .ToArray();
                await cs.WriteAsync(burst, 0, burst.Length, CancellationToken.None);
                foreach (var update in new QueryRouteTable(12).ToUpdates(100))
                {
                    var frame = GnutellaCodec.Encode(guid, 1, 0, update);
                    await cs.WriteAsync(frame, 0, frame.Length, CancellationToken.None);
                }
                client.Dispose();
                return await serving;
            }, TimeSpan.FromMinutes(1));

            Assert.True(result.hello.IsConnect);
            Assert.Equal("PSPeer/0.1", result.hello.Headers["User-Agent"]);
            Assert.Equal(GnutellaPayloadType.Ping, result.messages[0].Header.Type);
            Assert.Equal("hey jude", ((Query)result.messages[1].Payload).Criteria);
            var table = new QueryRouteTable();
            foreach (var m in result.messages.Skip(2)) table.Apply((RouteTableUpdate)m.Payload);
            Assert.True(table.IsComplete);
            Assert.Equal(12, table.Bits);
        }
    }
}
