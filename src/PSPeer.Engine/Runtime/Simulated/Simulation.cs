using System;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// A deterministic world in virtual time: one scheduler, one seeded random source, in-memory links with
    /// latency, bandwidth and loss, partitions, and hosts that crash and restart. The same seed gives the same run.
    /// </summary>
    public sealed class Simulation
    {
        public Simulation(SimulationOptions options) { throw new NotImplementedException(); }
        /// <summary>A new host with its own address, storage and view of the shared clock.</summary>
        public SimulatedHost AddHost(string name) => throw new NotImplementedException();
        public DateTimeOffset Now => throw new NotImplementedException();
        /// <summary>Runs <paramref name="action"/> on the simulation's scheduler at the current virtual time.</summary>
        public void Post(Action action) => throw new NotImplementedException();
        /// <summary>Advances virtual time by <paramref name="duration"/>, running everything due, on the calling thread.</summary>
        public void RunFor(TimeSpan duration) => throw new NotImplementedException();
        /// <summary>Runs until <paramref name="condition"/> holds or <paramref name="limit"/> of virtual time passes; returns whether it held.</summary>
        public bool RunUntil(Func<bool> condition, TimeSpan limit) => throw new NotImplementedException();
    }

    public sealed class SimulationOptions
    {
        public int Seed { get; set; } = 1;
        public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(10);
        /// <summary>Bytes per second each direction of a link carries; 0 = unlimited.</summary>
        public long BandwidthBytesPerSecond { get; set; } = 0;
        /// <summary>Probability that a segment is lost and must be retransmitted (adds delay; streams stay reliable).</summary>
        public double Loss { get; set; } = 0;
        public DateTimeOffset Start { get; set; } = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public sealed class SimulatedHost : IPeerRuntime
    {
        SimulatedHost() { }
        public string Name => throw new NotImplementedException();
        public IClock Clock => throw new NotImplementedException();
        public IRandomSource Random => throw new NotImplementedException();
        public ITransport Transport => throw new NotImplementedException();
        public IFileStorage Storage => throw new NotImplementedException();
        public System.Reactive.Concurrency.IScheduler Scheduler => throw new NotImplementedException();
        public string HostAddress => throw new NotImplementedException();
        public bool IsSimulated => true;
        public bool IsUp => throw new NotImplementedException();
        /// <summary>Kills every connection and listener of this host; its storage survives.</summary>
        public void Crash() => throw new NotImplementedException();
        public void Restart() => throw new NotImplementedException();
    }
}
