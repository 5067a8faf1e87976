using System;

namespace PSPeer.Engine.Chord
{
    /// <summary>
    /// How a Chord node behaves. Every value is settable; the defaults suit a live ring on one machine (intervals of
    /// a few seconds). A simulated ring sets what it models. Read once when the node starts.
    /// </summary>
    public sealed class ChordOptions
    {
        /// <summary>r, the successors each node keeps (the paper's successor list).</summary>
        public int SuccessorListLength { get; set; } = 16;
        /// <summary>R, the nodes that hold each key: the owner and its R − 1 successors.</summary>
        public int Replicas { get; set; } = 3;
        /// <summary>The ttl a recursive lookup starts with: forwards it may take before error 304.</summary>
        public int RecursiveTtl { get; set; } = 32;
        public TimeSpan StabilizeInterval { get; set; } = TimeSpan.FromSeconds(2);
        public TimeSpan FixFingersInterval { get; set; } = TimeSpan.FromSeconds(2);
        public TimeSpan CheckPredecessorInterval { get; set; } = TimeSpan.FromSeconds(4);
        /// <summary>How long a query waits for its answer before it is sent again (or the peer is suspected).</summary>
        public TimeSpan RpcTimeout { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>How many times a query is sent again after a timeout before the peer counts as dead.</summary>
        public int RpcRetries { get; set; } = 1;
        /// <summary>A value expires this long after it was last stored.</summary>
        public TimeSpan ValueLifetime { get; set; } = TimeSpan.FromMinutes(60);
        /// <summary>How often a node stores again what it published, while it runs.</summary>
        public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(30);
        public int MaxValuesPerKey { get; set; } = 100;
        /// <summary>The largest value in UTF-8 bytes.</summary>
        public int MaxValueBytes { get; set; } = 1000;
        /// <summary>Accept notify from nodes whose id is not SHA-1 of their address (a ring of configured ids).</summary>
        public bool AllowConfiguredIds { get; set; }
        /// <summary>This node's id instead of SHA-1 of its endpoint (peers accept it only with AllowConfiguredIds).</summary>
        public ChordId? ExplicitId { get; set; }
        /// <summary>A node behind a NAT: it looks keys up and stores them, but never joins the ring.</summary>
        public bool ClientOnly { get; set; }
        /// <summary>Virtual nodes per host (ChordHost): each its own endpoint on consecutive ports.</summary>
        public int VirtualNodes { get; set; } = 1;
        /// <summary>Queries from one source address a node answers per second, once it gets more than that in all, before it drops the rest (0 = no limit).</summary>
        public int MaxQueriesPerSecondPerAddress { get; set; } = 500;

        public ChordOptions Clone() => (ChordOptions)MemberwiseClone();

        internal void Validate()
        {
            if (SuccessorListLength < 1 || SuccessorListLength > 32) throw new ArgumentOutOfRangeException(nameof(SuccessorListLength), SuccessorListLength, "1 to 32 successors (the list must fit one datagram).");
            if (Replicas < 1 || Replicas > SuccessorListLength + 1) throw new ArgumentOutOfRangeException(nameof(Replicas), Replicas, "1 to SuccessorListLength + 1.");
            if (RecursiveTtl < 0 || RecursiveTtl > 40) throw new ArgumentOutOfRangeException(nameof(RecursiveTtl), RecursiveTtl, "0 to 40 (the path must fit one datagram).");
            if (RpcTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RpcTimeout), RpcTimeout, "A positive time.");
            if (RpcRetries < 0) throw new ArgumentOutOfRangeException(nameof(RpcRetries), RpcRetries, "Zero or more.");
            if (StabilizeInterval <= TimeSpan.Zero || FixFingersInterval <= TimeSpan.Zero || CheckPredecessorInterval <= TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(nameof(StabilizeInterval), "Maintenance intervals are positive times.");
            if (MaxValuesPerKey < 1) throw new ArgumentOutOfRangeException(nameof(MaxValuesPerKey), MaxValuesPerKey, "At least one.");
            if (MaxValueBytes < 1 || MaxValueBytes > 1000) throw new ArgumentOutOfRangeException(nameof(MaxValueBytes), MaxValueBytes, "1 to 1,000 bytes (a value must fit one datagram).");
            if (VirtualNodes < 1) throw new ArgumentOutOfRangeException(nameof(VirtualNodes), VirtualNodes, "At least one.");
        }
    }
}
