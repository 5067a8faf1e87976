using System.Net;
using System.Net.Sockets;

namespace PSPeer.Module.Tests.Support
{
    public static class Ports
    {
        /// <summary>The port of a "host:port" end point.</summary>
        public static int Of(string endPoint) => int.Parse(endPoint.Substring(endPoint.LastIndexOf(':') + 1));

        /// <summary>True when a new listener can take the port on loopback, i.e. nothing holds it any more.</summary>
        public static bool IsFree(int port)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
            finally
            {
                listener.Stop();
            }
        }
    }
}
