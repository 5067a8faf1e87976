using System;
using System.Linq;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;

namespace PSPeer.Engine.Tests.Runtime.Simulated
{
    public class HostRandomTests
    {
        [Fact]
        public void A_seed_gives_the_same_sequence_and_another_seed_another()
        {
            var a = new HostRandom(42);
            var b = new HostRandom(42);
            var c = new HostRandom(43);
            var xs = Enumerable.Range(0, 100).Select(_ => a.Next(1000)).ToList();
            Assert.Equal(xs, Enumerable.Range(0, 100).Select(_ => b.Next(1000)));
            Assert.NotEqual(xs, Enumerable.Range(0, 100).Select(_ => c.Next(1000)));
            // Two hosts from one simulation draw different sequences.
            var sim = new Simulation(new SimulationOptions { Seed = 1 });
            var h1 = sim.AddHost("h1").Random;
            var h2 = sim.AddHost("h2").Random;
            Assert.NotEqual(Enumerable.Range(0, 20).Select(_ => h1.Next(int.MaxValue)), Enumerable.Range(0, 20).Select(_ => h2.Next(int.MaxValue)));
        }

        [Fact]
        public void Draws_stay_within_their_bounds_and_spread_evenly()
        {
            var r = new HostRandom(7);
            var counts = new int[10];
            for (int i = 0; i < 100_000; i++)
            {
                int x = r.Next(10);
                Assert.InRange(x, 0, 9);
                counts[x]++;
                int y = r.Next(-5, 5);
                Assert.InRange(y, -5, 4);
                double d = r.NextDouble();
                Assert.True(d >= 0 && d < 1);
            }
            // Each of ten values near 10,000 times (a uniform spread is off by more than 600 about once in 10^9).
            Assert.All(counts, n => Assert.InRange(n, 9_400, 10_600));
            Assert.Equal(0, r.Next(0));
            Assert.Equal(0, r.Next(1));
            Assert.Equal(3, r.Next(3, 3));
            Assert.InRange(r.Next(int.MinValue, int.MaxValue), int.MinValue, int.MaxValue - 1);
            Assert.Throws<ArgumentOutOfRangeException>(() => r.Next(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => r.Next(2, 1));
        }

        [Fact]
        public void Fills_every_byte_of_a_buffer_of_any_length()
        {
            var r = new HostRandom(9);
            foreach (int length in new[] { 0, 1, 7, 8, 9, 16, 1000 })
            {
                var buffer = new byte[length];
                r.NextBytes(buffer);
                if (length >= 16) Assert.True(buffer.Distinct().Count() > length / 16);
            }
            var big = new byte[4096];
            r.NextBytes(big);
            Assert.InRange(big.Count(b => b == 0), 0, 64);   // about 16 expected
        }
    }
}
