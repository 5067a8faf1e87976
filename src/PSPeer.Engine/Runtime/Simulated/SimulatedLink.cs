using System;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// One direction between two hosts: its latency, bandwidth and loss, and when it is next free to put a byte on
    /// the wire. Every connection from A to B shares A->B's bandwidth, as flows share a real path.
    /// </summary>
    sealed class SimulatedLink
    {
        public long LatencyTicks;
        /// <summary>0 = unlimited.</summary>
        public long BandwidthBytesPerSecond;
        public double Loss;
        /// <summary>The virtual tick at which the link has finished sending everything queued on it.</summary>
        public long FreeAt;

        public SimulatedLink(TimeSpan latency, long bandwidth, double loss) => Set(latency, bandwidth, loss);

        public void Set(TimeSpan latency, long bandwidth, double loss)
        {
            if (latency < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(latency), latency, "Latency cannot be negative.");
            if (bandwidth < 0) throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "Bandwidth is 0 (unlimited) or more.");
            if (loss < 0 || loss >= 1) throw new ArgumentOutOfRangeException(nameof(loss), loss, "Loss is a probability from 0 up to (not including) 1.");
            LatencyTicks = latency.Ticks;
            BandwidthBytesPerSecond = bandwidth;
            Loss = loss;
        }

        /// <summary>Ticks to serialize <paramref name="bytes"/> onto the wire (rounded up, so no byte is free).</summary>
        public long SerializationTicks(int bytes) =>
            BandwidthBytesPerSecond == 0 ? 0 : (bytes * TimeSpan.TicksPerSecond + BandwidthBytesPerSecond - 1) / BandwidthBytesPerSecond;
    }
}
