using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>Small protocol pieces the simulation tests share: a connected pair, exact reads and an echo server.</summary>
    static class SimulatedStreamHelpers
    {
        /// <summary>Two hosts "a" and "b" (10 ms latency unless <paramref name="options"/> say otherwise), a connected to b:7000.</summary>
        public static (Simulation sim, SimulatedHost a, SimulatedHost b, IConnection client, IConnection server) Pair(SimulationOptions options = null)
        {
            var sim = new Simulation(options ?? new SimulationOptions { Latency = TimeSpan.FromMilliseconds(10) });
            var a = sim.AddHost("a");
            var b = sim.AddHost("b");
            var pair = sim.Run(async () =>
            {
                var listener = await b.Transport.ListenAsync(7000);
                var accept = listener.AcceptAsync();
                var client = await a.Transport.ConnectAsync(b.HostAddress, 7000);
                return (client, await accept);
            }, TimeSpan.FromMinutes(1));
            return (sim, a, b, pair.client, pair.Item2);
        }

        public static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken cancellationToken = default)
        {
            var buffer = new byte[count];
            int read = 0;
            while (read < count)
            {
                int n = await stream.ReadAsync(buffer, read, count - read, cancellationToken);
                if (n == 0) throw new EndOfStreamException($"The stream ended after {read} of {count} bytes.");
                read += n;
            }
            return buffer;
        }

        /// <summary>Reads until the peer closes; returns everything.</summary>
        public static async Task<byte[]> ReadToEndAsync(Stream stream)
        {
            var all = new MemoryStream();
            var buffer = new byte[4096];
            int n;
            while ((n = await stream.ReadAsync(buffer, 0, buffer.Length, CancellationToken.None)) > 0) all.Write(buffer, 0, n);
            return all.ToArray();
        }

        /// <summary>Accepts connections forever and echoes each back until its client closes.</summary>
        public static async Task EchoServerAsync(IListener listener)
        {
            while (true)
            {
                IConnection connection;
                try { connection = await listener.AcceptAsync(); }
                catch (ObjectDisposedException) { return; }
                _ = EchoAsync(connection);
            }
        }

        static async Task EchoAsync(IConnection connection)
        {
            using (connection)
            {
                var buffer = new byte[8192];
                try
                {
                    int n;
                    while ((n = await connection.Stream.ReadAsync(buffer, 0, buffer.Length, CancellationToken.None)) > 0)
                        await connection.Stream.WriteAsync(buffer, 0, n, CancellationToken.None);
                }
                catch (IOException) { }
            }
        }

        public static byte[] Pattern(int length, int seed = 0)
        {
            var bytes = new byte[length];
            for (int i = 0; i < length; i++) bytes[i] = (byte)((i * 31 + seed * 7 + (i >> 8)) & 0xFF);
            return bytes;
        }
    }
}
