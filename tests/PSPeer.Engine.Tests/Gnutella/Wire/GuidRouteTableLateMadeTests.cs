using System;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// A route table made on first use, told when its owner was made, ages exactly as one made with its owner: its
    /// generations turn over on the same boundaries. Made late without being told, it would keep a route longer.
    /// </summary>
    public class GuidRouteTableLateMadeTests
    {
        static GnutellaGuid G(int i)
        {
            var b = new byte[16];
            BitConverter.GetBytes(i).CopyTo(b, 0);
            b[8] = 0xFF;
            return new GnutellaGuid(b);
        }

        [Fact]
        public void A_table_made_late_with_its_owners_start_keeps_and_forgets_routes_as_one_made_at_the_start()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var clock = sim.AddHost("a").Clock;
            var lifetime = TimeSpan.FromMinutes(10);
            long start = clock.Now.UtcTicks;
            var early = new GuidRouteTable<object>(clock, lifetime, 1000);
            sim.RunFor(TimeSpan.FromMinutes(6));
            var late = new GuidRouteTable<object>(clock, lifetime, 1000, null, false, start);
            var plain = new GuidRouteTable<object>(clock, lifetime, 1000);   // made late, aged from now
            var from = new object();
            foreach (var table in new[] { early, late, plain }) Assert.True(table.TryAdd(G(1), from));

            sim.RunFor(TimeSpan.FromMinutes(6));   // t = 12: G(1)'s generation began at 5 (at 6 for the plain one)
            Assert.True(early.Contains(G(1)));
            Assert.True(late.Contains(G(1)));
            Assert.True(plain.Contains(G(1)));

            sim.RunFor(TimeSpan.FromMinutes(3.5)); // t = 15.5: more than a lifetime after 5, not after 6
            Assert.False(early.Contains(G(1)));
            Assert.False(late.Contains(G(1)));
            Assert.True(plain.Contains(G(1)));
        }
    }
}
