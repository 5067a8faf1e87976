using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Live;

namespace PSPeer.Engine.Tests.Support
{
    /// <summary>
    /// A live TCP connection whose source is a chosen loopback address (127.0.0.2, 127.0.0.3, ...), so a test's attacker
    /// and honest client reach a node from different addresses, as different hosts would.
    /// </summary>
    static class SourceBoundConnection
    {
        public static async Task<IConnection> ConnectAsync(string source, HostPort to)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(IPAddress.Parse(to.Host), to.Port);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            return new TcpConnection(socket);
        }
    }
}
