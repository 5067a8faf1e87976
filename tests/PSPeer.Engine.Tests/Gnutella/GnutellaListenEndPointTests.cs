using System;
using System.Threading.Tasks;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella
{
    /// <summary>
    /// Where a servent listens, as the HostPort it advertises and compares links with: its host's own address string
    /// and the listener's port, simulated or live, read from the listener's "address:port" without parsing it.
    /// </summary>
    public class GnutellaListenEndPointTests
    {
        static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

        [Fact]
        public void A_simulated_servent_listens_at_its_hosts_own_address_string()
        {
            var sim = new Simulation(new SimulationOptions());
            var host = sim.AddHost("a");
            var servent = new GnutellaServent(host, "a", new GnutellaOptions { Port = 6346, AutoConnect = false });
            sim.Run(() => servent.StartAsync(), Limit);
            // Equal, not necessarily the same string: the endpoint is shared process-wide (HostCache.Shared), so another
            // simulation's servent at the same address and port may have put its own copy there first.
            Assert.Equal(host.HostAddress, servent.ListenAddress.Host);
            Assert.Same(servent.ListenAddress, HostCache.Shared(new PSPeer.Engine.Core.HostPort(host.HostAddress, 6346)));
            Assert.Equal(6346, servent.ListenAddress.Port);
            Assert.Equal(host.HostAddress + ":6346", servent.EndPoint);
        }

        [Fact]
        public async Task A_live_servent_listens_at_its_address_and_the_port_it_was_given()
        {
            var runtime = new LiveRuntime("127.0.0.46");
            var servent = new GnutellaServent(runtime, "live", new GnutellaOptions { Port = 0, AutoConnect = false });
            try
            {
                await servent.StartAsync().WaitAsync(Limit);
                Assert.Equal("127.0.0.46", servent.ListenAddress.Host);
                Assert.Same(runtime.HostAddress, servent.ListenAddress.Host);
                Assert.True(servent.ListenAddress.Port > 0);
                Assert.Equal("127.0.0.46:" + servent.ListenAddress.Port, servent.EndPoint);
            }
            finally { await servent.StopAsync().WaitAsync(Limit); }
        }
    }
}
