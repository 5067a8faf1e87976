using System;
using System.Text;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Tests.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// A servent makes its HTTP server when the first request (or push upload) needs it: one that served nothing holds
    /// none; the first GET on its port makes it and is answered; stopping makes a stopped one (a late request is closed).
    /// </summary>
    public class GnutellaLazyHttpTests
    {
        static async Task<string> GetAsync(IConnection connection, string target)
        {
            var request = Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            await connection.Stream.WriteAsync(request, 0, request.Length);
            var all = await SimulatedStreamHelpers.ReadToEndAsync(connection.Stream);
            return Encoding.ASCII.GetString(all);
        }

        [Fact]
        public void The_http_server_appears_with_the_first_request_and_a_servent_that_never_served_stops_one_made_stopped()
        {
            var world = new GnutellaWorld();
            var sharing = world.Add("sharing", files: "Hey Jude.mp3");
            var other = world.Add("other");
            world.Link(other, sharing);
            Assert.False(sharing.HoldsHttpServer);
            Assert.False(other.HoldsHttpServer);

            var client = world.Sim.AddHost("client");
            var address = world.Address(sharing);
            string answer = world.Run(async () =>
            {
                var connection = await client.Transport.ConnectAsync(address.Host, address.Port);
                return await GetAsync(connection, "/get/0/Hey%20Jude.mp3");
            });
            Assert.StartsWith("HTTP/1.1 200", answer);
            Assert.True(sharing.HoldsHttpServer);
            Assert.False(other.HoldsHttpServer);

            world.Run(() => other.StopAsync());
            Assert.True(other.HoldsHttpServer);   // made stopped at stop, for requests that arrive late
        }
    }
}
