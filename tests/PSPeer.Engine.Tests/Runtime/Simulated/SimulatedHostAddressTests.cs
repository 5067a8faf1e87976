using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    /// <summary>A host's address, written digit by digit into one string, is the dotted quad it always was.</summary>
    public class SimulatedHostAddressTests
    {
        [Fact]
        public void Public_and_private_addresses_are_the_dotted_quads_of_the_index()
        {
            for (int index = 0; index < 1 << 20; index += index < 1000 ? 1 : 997)
            {
                int n = index + 1;
                Assert.Equal("10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255), SimulatedHost.AddressFor(index));
                Assert.Equal("172." + (16 + ((n >> 16) & 15)) + "." + ((n >> 8) & 255) + "." + (n & 255), SimulatedHost.PrivateAddressFor(index));
            }
            Assert.Equal("10.0.0.1", SimulatedHost.AddressFor(0));
            Assert.Equal("10.0.1.0", SimulatedHost.AddressFor(255));
            Assert.Equal("10.255.255.255", SimulatedHost.AddressFor((1 << 24) - 2));
            Assert.Equal("172.31.255.255", SimulatedHost.PrivateAddressFor(SimulatedHost.MaxPrivateIndex));
        }

        [Fact]
        public void A_simulations_301st_host_has_the_address_of_its_index()
        {
            var sim = new Simulation(new SimulationOptions());
            for (int i = 0; i < 300; i++) sim.AddHost("h" + i);
            var last = sim.AddHost("last");
            Assert.Equal("10.0.1.45", last.HostAddress);
        }
    }
}
