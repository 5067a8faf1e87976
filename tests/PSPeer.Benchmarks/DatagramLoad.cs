using System;
using System.Diagnostics;
using PSPeer.Engine.Runtime.Simulated;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// What the simulated-datagram benchmarks (`datagrams`, `nat`) share, so their figures stay comparable: the same
    /// simulation (seed 1, 20 ms ± 5 ms, no loss), the same xorshift step to pick each next destination (no Random per
    /// datagram), and the same measured run until enough datagrams arrived.
    /// </summary>
    static class DatagramLoad
    {
        /// <summary>The xorshift state every run starts from.</summary>
        public const uint FirstState = 2463534242;

        public static Simulation NewSimulation() =>
            new Simulation(new SimulationOptions { Seed = 1, Latency = TimeSpan.FromMilliseconds(20), Jitter = TimeSpan.FromMilliseconds(5), Loss = 0 });

        /// <summary>One xorshift32 step: the next destination's pick.</summary>
        public static uint Next(ref uint state)
        {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5;
            return state;
        }

        /// <summary>Runs <paramref name="sim"/> until <paramref name="done"/>, measuring wall time, CPU time and collections.</summary>
        public static Measured RunUntil(Simulation sim, Func<bool> done)
        {
            int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            sim.RunUntil(done, TimeSpan.FromDays(1));
            var wall = clock.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
            return new Measured(wall, cpu, GC.CollectionCount(0) - gen0, GC.CollectionCount(2) - gen2);
        }

        public readonly struct Measured
        {
            public Measured(TimeSpan wall, TimeSpan cpu, int gen0, int gen2) { Wall = wall; Cpu = cpu; Gen0 = gen0; Gen2 = gen2; }
            public TimeSpan Wall { get; }
            public TimeSpan Cpu { get; }
            public int Gen0 { get; }
            public int Gen2 { get; }
        }
    }
}
