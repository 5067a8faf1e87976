using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>A hand-driven Gnutella peer for tests: it says exactly the bytes a test wants, good or bad.</summary>
    sealed class RawGnutellaClient
    {
        public IConnection Connection { get; private set; }
        public HandshakeHead Answer { get; private set; }

        public static async Task<RawGnutellaClient> ConnectAsync(IPeerRuntime runtime, HostPort to, bool ultrapeer = true)
        {
            var client = new RawGnutellaClient { Connection = await runtime.Transport.ConnectAsync(to.Host, to.Port) };
            var stream = client.Connection.Stream;
            var hello = GnutellaHandshake.Connect(new Dictionary<string, string>
            {
                ["User-Agent"] = "RawTest/1.0",
                ["X-Ultrapeer"] = ultrapeer ? "True" : "False",
                ["Listen-IP"] = runtime.HostAddress + ":1",
            });
            await stream.WriteAsync(hello, 0, hello.Length);
            client.Answer = await GnutellaHandshake.ReadHeadAsync(stream, null, 8192, CancellationToken.None);
            if (client.Answer.Status == 200)
            {
                var ok = GnutellaHandshake.Response(200, "OK", new Dictionary<string, string>());
                await stream.WriteAsync(ok, 0, ok.Length);
            }
            return client;
        }

        public Task SendAsync(byte[] bytes) => Connection.Stream.WriteAsync(bytes, 0, bytes.Length);

        public Task SendAsync(GnutellaGuid id, byte ttl, byte hops, GnutellaPayload payload) => SendAsync(GnutellaCodec.Encode(id, ttl, hops, payload));

        /// <summary>Reads until the other side closes; returns everything it sent.</summary>
        public static async Task<byte[]> ReadToEndAsync(IConnection connection)
        {
            var all = new List<byte>();
            var buffer = new byte[4096];
            while (true)
            {
                int n;
                try { n = await connection.Stream.ReadAsync(buffer, 0, buffer.Length); }
                catch (Exception) { break; }
                if (n <= 0) break;
                for (int i = 0; i < n; i++) all.Add(buffer[i]);
            }
            return all.ToArray();
        }

        /// <summary>Sends raw text on a fresh connection and returns what comes back before the other side closes.</summary>
        public static async Task<string> ExchangeAsync(IPeerRuntime runtime, HostPort to, string text)
        {
            var connection = await runtime.Transport.ConnectAsync(to.Host, to.Port);
            using (connection)
            {
                var bytes = Encoding.ASCII.GetBytes(text);
                await connection.Stream.WriteAsync(bytes, 0, bytes.Length);
                return Encoding.ASCII.GetString(await ReadToEndAsync(connection));
            }
        }
    }
}
