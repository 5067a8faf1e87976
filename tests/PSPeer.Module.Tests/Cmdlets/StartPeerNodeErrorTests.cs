using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>A user's mistakes get one clear error with a stable id, and nothing is left running.</summary>
    public class StartPeerNodeErrorTests : System.IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        [Fact]
        public void Unreachable_index_server_is_one_error_naming_host_and_port()
        {
            int port = FreePort();

            var result = _session.Run("Start-PeerNode -Protocol Napster -IndexServer \"127.0.0.1:$port\" -Name lonely; (Get-PeerNode).Count",
                new Dictionary<string, object> { ["port"] = port });

            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("IndexServerUnreachable", error.FullyQualifiedErrorId);
            Assert.Contains("127.0.0.1:" + port, error.Exception.Message);
            Assert.Equal(0, result.Output.Single().BaseObject);
        }

        [Fact]
        public void Port_in_use_is_PortInUse()
        {
            var holder = new TcpListener(IPAddress.Loopback, 0);
            holder.Start();
            try
            {
                int port = ((IPEndPoint)holder.LocalEndpoint).Port;
                var result = _session.Run("Start-PeerNode -Protocol Napster -Role IndexServer -Port $port",
                    new Dictionary<string, object> { ["port"] = port });

                Assert.StartsWith("PortInUse", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
                Assert.Empty(result.OfType("PSPeer.PeerNode"));
            }
            finally
            {
                holder.Stop();
            }
        }

        [Fact]
        public void Missing_shared_path_is_SharedPathNotFound()
        {
            var result = _session.Run(@"
                $index = Start-PeerNode -Protocol Napster -Role IndexServer
                Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath ./no/such/folder -Name sharer
                (Get-PeerNode -Name sharer -ErrorAction SilentlyContinue) -eq $null");

            var error = Assert.Single(result.Errors, e => !e.FullyQualifiedErrorId.StartsWith("PeerNodeNotFound"));
            Assert.StartsWith("SharedPathNotFound", error.FullyQualifiedErrorId);
            Assert.Equal(true, result.Output.Last().BaseObject);
        }

        static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        public void Dispose() => _session.Dispose();
    }
}
