using System;
using System.Collections.Generic;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>
    /// A route table keeps one bit per id a generation holds, and reads the previous generation's slots only for an id
    /// whose bit is set: a new id is never taken for a known one, and a known one is always found.
    /// </summary>
    public class GuidRouteTableIdBitsTests
    {
        sealed class Link { }

        static GnutellaGuid G(Random random)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new GnutellaGuid(bytes);
        }

        [Fact]
        public void Ids_in_the_previous_generation_are_found_and_most_new_ones_skip_its_slots()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var table = new GuidRouteTable<Link>(sim.AddHost("a").Clock, TimeSpan.FromMinutes(10), 1000);
            var link = new Link();
            var random = new Random(5);
            var old = new List<GnutellaGuid>();
            for (int i = 0; i < 4; i++) { var id = G(random); old.Add(id); Assert.True(table.TryAdd(id, link)); }
            foreach (var id in old) Assert.False(table.PreviousMayHold(id));   // still the current generation
            sim.RunFor(TimeSpan.FromMinutes(6));                               // rotated at 5: now the previous one
            foreach (var id in old)
            {
                Assert.True(table.PreviousMayHold(id));
                Assert.True(table.TryGet(id, out var from));
                Assert.Same(link, from);
                Assert.False(table.TryAdd(id, link));                          // a duplicate, from the previous generation
            }
            int skipped = 0;
            for (int i = 0; i < 200; i++)
            {
                var id = G(random);
                if (!table.PreviousMayHold(id)) skipped++;
                Assert.False(table.TryGet(id, out _));
            }
            // Four ids set at most four of 32 bits: seven new ids in eight, or more, are ruled out without a probe.
            Assert.True(skipped >= 200 * 7 / 8, $"{skipped} of 200 new ids skipped the previous generation");
            sim.RunFor(TimeSpan.FromMinutes(11));                              // everything expired
            foreach (var id in old) { Assert.False(table.PreviousMayHold(id)); Assert.False(table.TryGet(id, out _)); }
        }

        [Fact]
        public void A_generation_full_before_its_time_takes_its_bits_with_it_to_the_previous()
        {
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var table = new GuidRouteTable<Link>(sim.AddHost("a").Clock, TimeSpan.FromMinutes(10), 8);   // 4 a generation
            var link = new Link();
            var random = new Random(9);
            var ids = new List<GnutellaGuid>();
            for (int i = 0; i < 6; i++) { var id = G(random); ids.Add(id); Assert.True(table.TryAdd(id, link)); }
            // The fifth id rotated the first four into the previous generation: all six are still known.
            foreach (var id in ids) Assert.False(table.TryAdd(id, link));
            for (int i = 0; i < 4; i++) Assert.True(table.PreviousMayHold(ids[i]));
        }
    }
}
