using System;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// A way out of a host: its latency, bandwidth, loss and jitter, and when it is next free to put a byte on the
    /// wire. A host's uplink is shared by every flow and datagram leaving it; an override set for one pair of hosts
    /// (Simulation.SetLink) is shared by the flows of that direction alone.
    /// </summary>
    sealed class SimulatedLink
    {
        public long LatencyTicks;
        /// <summary>0 = unlimited.</summary>
        public long BandwidthBytesPerSecond;
        public double Loss;
        /// <summary>Each datagram or segment is delayed by a random 0 up to this many ticks more (segments never overtake).</summary>
        public long JitterTicks;
        /// <summary>The virtual tick at which the link has finished sending everything queued on it.</summary>
        public long FreeAt;

        public SimulatedLink(TimeSpan latency, long bandwidth, double loss, TimeSpan jitter) => Set(latency, bandwidth, loss, jitter);

        public void Set(TimeSpan latency, long bandwidth, double loss, TimeSpan jitter)
        {
            if (jitter < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "Jitter cannot be negative.");
            if (latency < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(latency), latency, "Latency cannot be negative.");
            if (bandwidth < 0) throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "Bandwidth is 0 (unlimited) or more.");
            if (loss < 0 || loss >= 1) throw new ArgumentOutOfRangeException(nameof(loss), loss, "Loss is a probability from 0 up to (not including) 1.");
            LatencyTicks = latency.Ticks;
            BandwidthBytesPerSecond = bandwidth;
            Loss = loss;
            JitterTicks = jitter.Ticks;
        }

        /// <summary>Ticks to serialize <paramref name="bytes"/> onto the wire (rounded up, so no byte is free).</summary>
        public long SerializationTicks(int bytes) =>
            BandwidthBytesPerSecond == 0 ? 0 : (bytes * TimeSpan.TicksPerSecond + BandwidthBytesPerSecond - 1) / BandwidthBytesPerSecond;
    }
}
