using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Chord
{
    /// <summary>
    /// One Chord virtual node: one UDP endpoint speaking KRPC (issue 12), on any runtime (live UDP or simulated
    /// datagrams). It keeps the paper's routing state (predecessor, a successor list of r, 160 fingers), runs
    /// stabilize/notify, fix_fingers and check_predecessor on the runtime's clock, answers both lookup styles, and
    /// holds the keys it owns or replicates.
    /// </summary>
    /// <remarks>
    /// The state is kept small because a simulated ring holds a million of these: fingers as a table of the few
    /// distinct contacts plus one byte per finger, no collections until something is stored or pending, one timer.
    /// Options are read, not copied: many nodes may share one <see cref="ChordOptions"/> (do not change it while
    /// they run).
    /// </remarks>
    public sealed partial class ChordNode : PeerNodeBase
    {
        public ChordNode(IPeerRuntime runtime, string name, int port, ChordOptions options)
            : base(runtime, name, "Chord", (options ?? new ChordOptions()).ClientOnly ? "Client" : "Peer")
        {
            _options = options ?? new ChordOptions();
            _options.Validate();
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "0 (any free port) to 65535.");
            _requestedPort = port;
        }

        readonly ChordOptions _options;
        readonly int _requestedPort;

        /// <summary>The port asked for (0 = any free one); the bound one is in Self.EndPoint.</summary>
        public int RequestedPort => _requestedPort;

        /// <summary>The options this node runs with (shared, not copied).</summary>
        public ChordOptions Options => _options;

        /// <summary>This node as the wire names it; null until it has started.</summary>
        public ChordContact Self => _self;

        /// <summary>The node just before this one on the ring; null when unknown.</summary>
        public ChordContact Predecessor => _predecessor;

        /// <summary>The successor list, nearest first (a one-node ring: itself).</summary>
        public IReadOnlyList<ChordContact> Successors => (IReadOnlyList<ChordContact>)_successors ?? Array.Empty<ChordContact>();

        /// <summary>160 entries, index i − 1 for finger i (the successor of n + 2^(i−1)); null where unknown.</summary>
        public IReadOnlyList<ChordContact> Fingers => _fingers.Snapshot();

        /// <summary>True once the node is part of a ring (started alone, or joined); never for a ClientOnly node.</summary>
        public bool InRing => _inRing;

        /// <summary>Keys this node holds (owned and replicas).</summary>
        public int StoredKeyCount { get { lock (_gate) return _store?.KeyCount ?? 0; } }

        /// <summary>Values this node holds across its keys.</summary>
        public int StoredValueCount { get { lock (_gate) return _store?.ValueCount ?? 0; } }

        /// <summary>What this node holds, by key id (a snapshot): each value's bytes as stored.</summary>
        public IEnumerable<(ChordId KeyId, IReadOnlyList<byte[]> Values)> StoredItems()
        {
            lock (_gate) return _store?.Snapshot(Runtime.Clock.Now.UtcTicks) ?? new List<(ChordId, IReadOnlyList<byte[]>)>();
        }

        public ChordCounters Counters { get; } = new ChordCounters();

        public override string ToString() => $"{Name} (Chord {Role} {EndPoint} {_self?.Id.ToShortHex()})";
    }
}
