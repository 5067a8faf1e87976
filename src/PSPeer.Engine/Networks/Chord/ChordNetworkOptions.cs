using System;
using PSPeer.Engine.Chord;

namespace PSPeer.Engine.Networks.Chord
{
    /// <summary>What a composed Chord network looks like: size, virtual nodes, the nodes' ring settings, timers, latency, where it runs.</summary>
    public sealed class ChordNetworkOptions
    {
        /// <summary>A live network opens one UDP socket per virtual node: this many virtual nodes at most.</summary>
        public const int MaxLiveNodes = 1024;
        /// <summary>First UDP port of a simulated host's virtual nodes when FirstPort is 0 (virtual node v listens on it + v).</summary>
        public const int SimulatedFirstPort = 4000;

        /// <summary>Physical hosts (each runs <see cref="VirtualNodes"/> Chord nodes, one UDP port each).</summary>
        public int Count { get; set; } = 100;
        /// <summary>Virtual nodes per host (the paper's r, §6.2): consecutive ports of one address.</summary>
        public int VirtualNodes { get; set; } = 1;
        public int SuccessorListLength { get; set; } = 16;
        /// <summary>Copies of each key: the owner and its R − 1 successors.</summary>
        public int Replicas { get; set; } = 3;
        public ChordBuildMode Build { get; set; } = ChordBuildMode.Precomputed;
        /// <summary>
        /// Joins build: nodes that join per stabilization round, as a fraction of the ring's size then (at least one a
        /// round); 0 = strictly one after another, each as soon as the last returned. See ChordNetwork's join build.
        /// </summary>
        public double JoinGrowth { get; set; } = 0.25;
        public int Seed { get; set; } = 1;
        /// <summary>True: one deterministic simulation in virtual time. False: live nodes on loopback addresses (127.0.x.y).</summary>
        public bool Simulated { get; set; } = true;

        /// <summary>Ring maintenance timers (null = the node's defaults). Simulated rings of a million nodes want them long or off.</summary>
        public TimeSpan? StabilizeInterval { get; set; }
        public TimeSpan? FixFingersInterval { get; set; }
        public TimeSpan? CheckPredecessorInterval { get; set; }
        public TimeSpan? RpcTimeout { get; set; }
        public int? RpcRetries { get; set; }
        /// <summary>
        /// Run ring maintenance (stabilize, fix_fingers, check_predecessor) on the nodes' timers. Off, a pre-computed
        /// ring stays exactly as built (the paper's static path-length experiments) and costs nothing while idle.
        /// </summary>
        public bool Maintenance { get; set; } = true;

        /// <summary>One-way latency of every simulated datagram.</summary>
        public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(10);
        /// <summary>Each simulated datagram waits a random 0 up to this much longer (so latency varies per hop).</summary>
        public TimeSpan Jitter { get; set; } = TimeSpan.Zero;
        /// <summary>Probability that a simulated datagram is lost.</summary>
        public double Loss { get; set; }

        /// <summary>
        /// UDP port of each host's first virtual node (virtual node v on FirstPort + v). 0: simulated hosts use
        /// <see cref="SimulatedFirstPort"/>; live nodes take any free port each (so tests and other rings never collide).
        /// </summary>
        public int FirstPort { get; set; }
        /// <summary>Lets a caller adjust every node's options before it starts (applied after the fields above).</summary>
        public Action<ChordOptions> ConfigureNode { get; set; }

        /// <summary>Total virtual nodes.</summary>
        public long NodeCount => (long)Count * VirtualNodes;

        internal ChordNetworkOptions Validated()
        {
            if (Count < 1) throw new ArgumentOutOfRangeException(nameof(Count), Count, "A network has at least one host.");
            if (VirtualNodes < 1 || VirtualNodes > 64) throw new ArgumentOutOfRangeException(nameof(VirtualNodes), VirtualNodes, "A host runs 1 to 64 virtual nodes.");
            if (NodeCount > 16_000_000) throw new ArgumentOutOfRangeException(nameof(Count), Count, "At most 16 million virtual nodes (the simulation's address space).");
            if (SuccessorListLength < 1) throw new ArgumentOutOfRangeException(nameof(SuccessorListLength), SuccessorListLength, "A successor list holds at least one node.");
            if (Replicas < 1) throw new ArgumentOutOfRangeException(nameof(Replicas), Replicas, "At least one copy of each key (the owner's).");
            if (JoinGrowth < 0 || JoinGrowth > 10) throw new ArgumentOutOfRangeException(nameof(JoinGrowth), JoinGrowth, "0 (one after another) up to 10 times the ring per round.");
            if (Latency < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Latency));
            if (Jitter < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Jitter));
            if (Loss < 0 || Loss >= 1) throw new ArgumentOutOfRangeException(nameof(Loss), Loss, "Loss is a probability from 0 up to (not including) 1.");
            if (FirstPort < 0 || FirstPort + VirtualNodes - 1 > 65535) throw new ArgumentOutOfRangeException(nameof(FirstPort), FirstPort, "0 (see the property) or a port with room for every virtual node above it.");
            if (!Simulated && NodeCount > MaxLiveNodes)
                throw new ArgumentOutOfRangeException(nameof(Count), Count,
                    $"A live network opens a UDP socket per virtual node: at most {MaxLiveNodes}. Use a simulated network for more.");
            return (ChordNetworkOptions)MemberwiseClone();
        }
    }
}
