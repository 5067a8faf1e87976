using System;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    public class GuidRouteTableTests
    {
        sealed class Link { public readonly string Name; public Link(string n) { Name = n; } }

        static readonly Link Left = new Link("left"), Right = new Link("right");

        static GnutellaGuid G(int i)
        {
            var b = new byte[16];
            BitConverter.GetBytes(i).CopyTo(b, 0);
            b[8] = 0xFF;
            return new GnutellaGuid(b);
        }

        [Fact]
        public void Second_add_of_a_guid_is_a_duplicate_and_keeps_the_first_route()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var table = new GuidRouteTable<Link>(sim.AddHost("a").Clock, TimeSpan.FromMinutes(10), 1000);
            Assert.True(table.TryAdd(G(1), Left));
            Assert.False(table.TryAdd(G(1), Right));
            Assert.True(table.TryGet(G(1), out var from));
            Assert.Same(Left, from);
            Assert.False(table.TryGet(G(2), out _));
            Assert.Equal(1, table.Count);
        }

        [Fact]
        public void Entries_live_at_least_half_the_lifetime_and_never_longer_than_it_in_virtual_time()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var clock = sim.AddHost("a").Clock;
            var table = new GuidRouteTable<Link>(clock, TimeSpan.FromMinutes(10), 1000);
            table.TryAdd(G(1), Left);
            sim.RunFor(TimeSpan.FromMinutes(4));
            table.TryAdd(G(2), Left);
            Assert.True(table.Contains(G(1)));
            sim.RunFor(TimeSpan.FromMinutes(2));   // t = 6: G(1)'s generation rotated at 5, still held
            Assert.True(table.Contains(G(1)));
            Assert.True(table.Contains(G(2)));
            sim.RunFor(TimeSpan.FromMinutes(4.5)); // t = 10.5: G(1) and G(2) (added in [0,5)) are gone
            Assert.False(table.Contains(G(1)));
            Assert.False(table.Contains(G(2)));
            Assert.True(table.TryAdd(G(1), Right));   // no longer a duplicate
            sim.RunFor(TimeSpan.FromHours(1));
            Assert.Equal(0, table.Count);
        }

        [Fact]
        public void Looking_late_does_not_extend_a_lifetime()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var table = new GuidRouteTable<Link>(sim.AddHost("a").Clock, TimeSpan.FromMinutes(10), 1000);
            table.TryAdd(G(1), Left);
            sim.RunFor(TimeSpan.FromMinutes(9));   // first look at t = 9 rotates on the t = 5 boundary
            Assert.True(table.Contains(G(1)));
            sim.RunFor(TimeSpan.FromMinutes(1.5)); // t = 10.5
            Assert.False(table.Contains(G(1)));
        }

        [Fact]
        public void Capacity_bounds_the_table_and_evicts_the_oldest_first()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var table = new GuidRouteTable<Link>(sim.AddHost("a").Clock, TimeSpan.FromMinutes(10), 100);
            for (int i = 0; i < 1000; i++)
            {
                Assert.True(table.TryAdd(G(i), Left));
                Assert.True(table.Count <= 100);
            }
            Assert.True(table.Contains(G(999)));
            Assert.True(table.Contains(G(950)));   // the newest half-capacity is always kept
            Assert.False(table.Contains(G(0)));
            Assert.False(table.Contains(G(899)));
        }

        [Fact]
        public void Remove_all_forgets_the_routes_of_a_closed_link()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var table = new GuidRouteTable<Link>(sim.AddHost("a").Clock, TimeSpan.FromMinutes(10), 1000);
            for (int i = 0; i < 10; i++) table.TryAdd(G(i), i % 2 == 0 ? Left : Right);
            sim.RunFor(TimeSpan.FromMinutes(6));   // half in the previous generation
            for (int i = 10; i < 20; i++) table.TryAdd(G(i), i % 2 == 0 ? Left : Right);
            table.RemoveAll(Left);
            Assert.Equal(10, table.Count);
            for (int i = 0; i < 20; i++) Assert.Equal(i % 2 == 1, table.Contains(G(i)));
        }
    

        [Fact]
        public void An_idle_table_holds_nothing_until_its_first_route_and_lets_go_once_everything_expired()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var table = new GuidRouteTable<Link>(sim.AddHost("a").Clock, TimeSpan.FromMinutes(10), 1000);
            Assert.False(table.HoldsStorage);
            Assert.False(table.Contains(G(1)));
            table.RemoveAll(Left);
            Assert.Equal(0, table.Count);
            Assert.False(table.HoldsStorage);
            Assert.True(table.TryAdd(G(1), Left));
            Assert.True(table.HoldsStorage);
            sim.RunFor(TimeSpan.FromMinutes(7));   // rotated at 5 into the previous generation, still routed
            Assert.True(table.TryGet(G(1), out var from));
            Assert.Same(Left, from);
            Assert.True(table.TryAdd(G(2), Right));
            sim.RunFor(TimeSpan.FromMinutes(14));  // t = 21: both generations are older than the lifetime
            Assert.Equal(0, table.Count);
            Assert.False(table.HoldsStorage);
            Assert.True(table.TryAdd(G(1), Right));   // and it works again from nothing
            Assert.True(table.TryGet(G(1), out from));
            Assert.Same(Right, from);
        }

        [Fact]
        public void A_table_on_its_owners_lock_routes_and_evicts_as_one_with_its_own()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var clock = sim.AddHost("a").Clock;
            var gate = new object();
            var shared = new GuidRouteTable<Link>(clock, TimeSpan.FromMinutes(10), 100, gate);
            var own = new GuidRouteTable<Link>(clock, TimeSpan.FromMinutes(10), 100);
            for (int i = 0; i < 500; i++)
            {
                // Taken while the owner holds its lock, as a servent does: the lock is re-entered, not waited for.
                lock (gate) Assert.Equal(own.TryAdd(G(i % 170), Left), shared.TryAdd(G(i % 170), Left));
                if (i % 50 == 0) sim.RunFor(TimeSpan.FromMinutes(1));
                Assert.Equal(own.Count, shared.Count);
            }
            for (int i = 0; i < 170; i++) Assert.Equal(own.Contains(G(i)), shared.Contains(G(i)));
        }
    }
}
