using System;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>Everything that shapes one simulated world. The same options and seed give the same run.</summary>
    public sealed class SimulationOptions
    {
        public int Seed { get; set; } = 1;
        /// <summary>One-way latency of every link unless <see cref="Simulation.SetLink"/> says otherwise.</summary>
        public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(10);
        /// <summary>Bytes per second each host's uplink carries (every flow leaving the host shares it); 0 = unlimited.</summary>
        public long BandwidthBytesPerSecond { get; set; } = 0;
        /// <summary>Probability that a segment is lost and must be retransmitted (adds delay; streams stay reliable).</summary>
        public double Loss { get; set; } = 0;
        public DateTimeOffset Start { get; set; } = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
        /// <summary>
        /// Writes are cut into segments of at most this many bytes; each is delivered, delayed and lost on its own,
        /// so a large transfer arrives progressively, as over TCP.
        /// </summary>
        public int SegmentSize { get; set; } = 16 * 1024;
        /// <summary>The fixed part of the retransmission timeout; a lost segment arrives 3 x latency + this later.</summary>
        public TimeSpan MinRetransmitTimeout { get; set; } = TimeSpan.FromMilliseconds(200);
        /// <summary>Connections a listener holds before refusing new ones, like a TCP backlog.</summary>
        public int ListenBacklog { get; set; } = 512;
        /// <summary>Each datagram and segment waits a random 0 up to this much longer (datagrams may then reorder).</summary>
        public TimeSpan Jitter { get; set; } = TimeSpan.Zero;
        /// <summary>The largest datagram payload a simulated socket sends (UDP's 65,507 bytes by default).</summary>
        public int MaxDatagramSize { get; set; } = 65507;

        internal SimulationOptions Validated()
        {
            if (Latency < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Latency), Latency, "Latency cannot be negative.");
            if (BandwidthBytesPerSecond < 0) throw new ArgumentOutOfRangeException(nameof(BandwidthBytesPerSecond), BandwidthBytesPerSecond, "Bandwidth is 0 (unlimited) or more.");
            if (Loss < 0 || Loss >= 1) throw new ArgumentOutOfRangeException(nameof(Loss), Loss, "Loss is a probability from 0 up to (not including) 1.");
            if (SegmentSize < 1) throw new ArgumentOutOfRangeException(nameof(SegmentSize), SegmentSize, "A segment holds at least one byte.");
            if (MinRetransmitTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MinRetransmitTimeout));
            if (ListenBacklog < 1) throw new ArgumentOutOfRangeException(nameof(ListenBacklog));
            if (Jitter < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "Jitter cannot be negative.");
            if (MaxDatagramSize < 1 || MaxDatagramSize > 65507) throw new ArgumentOutOfRangeException(nameof(MaxDatagramSize), MaxDatagramSize, "A datagram carries 1 to 65,507 bytes.");
            return new SimulationOptions
            {
                Seed = Seed, Latency = Latency, BandwidthBytesPerSecond = BandwidthBytesPerSecond, Loss = Loss, Start = Start,
                SegmentSize = SegmentSize, MinRetransmitTimeout = MinRetransmitTimeout, ListenBacklog = ListenBacklog,
                Jitter = Jitter, MaxDatagramSize = MaxDatagramSize,
            };
        }
    }
}
