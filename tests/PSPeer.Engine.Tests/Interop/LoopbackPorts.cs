using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace PSPeer.Engine.Tests.Interop
{
    /// <summary>Loopback ports for tools that cannot be told "port 0": ask the OS for a free one, then hand it over.</summary>
    public static class LoopbackPorts
    {
        /// <summary>A port that was free a moment ago (a small race with other processes is accepted in tests).</summary>
        public static int Free()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
            finally { listener.Stop(); }
        }

        /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>; false after <paramref name="timeout"/>.</summary>
        public static async Task<bool> WaitUntilListeningAsync(int port, TimeSpan timeout, Func<bool> gaveUp = null)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (gaveUp != null && gaveUp()) return false;
                using (var client = new TcpClient())
                {
                    try
                    {
                        await client.ConnectAsync(IPAddress.Loopback, port);
                        return true;
                    }
                    catch (SocketException) { }
                }
                await Task.Delay(50);
            }
            return false;
        }
    }
}
