using System;
using PSPeer.Engine.Gnutella;

namespace PSPeer.Engine.Networks
{
    /// <summary>What a composed Gnutella network looks like: size, shape, roles, content, and where it runs.</summary>
    public sealed class GnutellaNetworkOptions
    {
        /// <summary>
        /// Live networks open real sockets (a listener per node, two per link): this many nodes at most, and fewer when
        /// the process's descriptor budget cannot hold them (GnutellaNetwork.CheckLiveFits says what they need).
        /// </summary>
        public const int MaxLiveCount = 4096;

        public int Count { get; set; } = 100;
        public TopologyKind Topology { get; set; } = TopologyKind.Random;
        /// <summary>Mean links per ultrapeer among ultrapeers (Random), 2m (PowerLaw) or ring neighbours (Ring).</summary>
        public int Degree { get; set; } = 4;
        /// <summary>Share of nodes that are ultrapeers; the rest are leaves. 1 = a flat network of ultrapeers.</summary>
        public double UltrapeerFraction { get; set; } = 1.0;
        /// <summary>Ultrapeers each leaf attaches to.</summary>
        public int LeafUltrapeerLinks { get; set; } = 3;
        public int Seed { get; set; } = 1;
        /// <summary>True: one deterministic simulation in virtual time. False: live servents on loopback (small counts).</summary>
        public bool Simulated { get; set; } = true;
        /// <summary>One-way latency of simulated links.</summary>
        public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(10);
        /// <summary>Share of nodes that share files from the synthetic library (at least one node always does).</summary>
        public double SharingFraction { get; set; } = 0.1;
        /// <summary>Files each sharing node holds (titles drawn by popularity, so "Hey Jude" is the most common).</summary>
        public int FilesPerSharingNode { get; set; } = 3;
        /// <summary>Live only: the folder under which each node's shared files are written (one subfolder per node).</summary>
        public string LiveSharedRoot { get; set; }
        /// <summary>
        /// Record every flood (who received it, at what hop) from the nodes' events, for Measure. It makes every node
        /// format its events; leave it off for the largest benchmark networks.
        /// </summary>
        public bool TraceQueries { get; set; } = true;
        /// <summary>Most floods the trace keeps (oldest forgotten first).</summary>
        public int MaxTracedFloods { get; set; } = 1000;
        /// <summary>
        /// Bits of the QRP tables leaves send in a simulated network (2^bits slots; QRP lets a servent choose its table
        /// size). Each ultrapeer holds one table per leaf, so the Gnutella default of 16 (8 KiB) would dominate the
        /// memory of a 100,000-node network; 13 (1 KiB) still gives a leaf with a few files a negligible false-match
        /// rate. Live networks keep the servent's default.
        /// </summary>
        public int SimulatedQrpTableBits { get; set; } = 13;
        /// <summary>
        /// Ultrapeers search for their leaves (and for themselves without a TTL) by dynamic querying instead of flooding.
        /// Off by default: the network then measures the classic flood.
        /// </summary>
        public bool DynamicQuerying { get; set; }
        /// <summary>Ultrapeers exchange last-hop QRP tables and skip neighbours that cannot match on a query's last hop. Off by default.</summary>
        public bool UltrapeerQueryRouting { get; set; }
        /// <summary>Lets a caller adjust every servent's options (rate limits, TTL) before it starts.</summary>
        public Action<GnutellaOptions> ConfigureServent { get; set; }
        /// <summary>
        /// Live only: the address every node binds. Null gives each node its own loopback address (127.0.x.y), so
        /// per-address logic on the way sees as many hosts as there are nodes.
        /// </summary>
        public string LiveAddress { get; set; }

        /// <summary>
        /// Simulated only: share of nodes behind a NAT of <see cref="NatKind"/>, each on its own home network (leaves
        /// first). Every servent then detects whether it is firewalled. 0 = no NAT.
        /// </summary>
        public double NatFraction { get; set; }
        /// <summary>The behaviour of those NATs; port-restricted is what Linux masquerade does.</summary>
        public PSPeer.Engine.Runtime.Simulated.NatKind NatKind { get; set; } = PSPeer.Engine.Runtime.Simulated.NatKind.PortRestricted;

        internal GnutellaNetworkOptions Validated()
        {
            if (NatFraction < 0 || NatFraction > 1) throw new ArgumentOutOfRangeException(nameof(NatFraction), NatFraction, "A fraction is 0 to 1.");
            if (Count < 1) throw new ArgumentOutOfRangeException(nameof(Count), Count, "A network has at least one node.");
            if (Degree < 1) throw new ArgumentOutOfRangeException(nameof(Degree), Degree, "The degree is at least 1.");
            if (UltrapeerFraction <= 0 || UltrapeerFraction > 1)
                throw new ArgumentOutOfRangeException(nameof(UltrapeerFraction), UltrapeerFraction, "The ultrapeer fraction is above 0 and at most 1.");
            if (LeafUltrapeerLinks < 1) throw new ArgumentOutOfRangeException(nameof(LeafUltrapeerLinks), LeafUltrapeerLinks, "A leaf attaches to at least one ultrapeer.");
            if (SharingFraction < 0 || SharingFraction > 1) throw new ArgumentOutOfRangeException(nameof(SharingFraction), SharingFraction, "A fraction is 0 to 1.");
            if (FilesPerSharingNode < 1) throw new ArgumentOutOfRangeException(nameof(FilesPerSharingNode));
            if (SimulatedQrpTableBits < 6 || SimulatedQrpTableBits > 22) throw new ArgumentOutOfRangeException(nameof(SimulatedQrpTableBits), SimulatedQrpTableBits, "A QRP table has 6 to 22 bits.");
            if (Latency < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Latency));
            return (GnutellaNetworkOptions)MemberwiseClone();
        }
    }
}
