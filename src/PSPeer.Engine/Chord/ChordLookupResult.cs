using System;
using System.Collections.Generic;

namespace PSPeer.Engine.Chord
{
    /// <summary>
    /// What one lookup found: the key's owner (the first node at or after its id), and how: hops (the first node asked
    /// is hop 0; each forward or further closest_preceding query adds 1; the step to the owner and retries around dead
    /// nodes are not counted), the path of nodes that handled it (hops = Path.Count − 1), retries, messages sent.
    /// </summary>
    public sealed class ChordLookupResult
    {
        /// <summary>The key's name, or null when the lookup was for an id.</summary>
        public string Key { get; internal set; }
        public ChordId KeyId { get; internal set; }
        /// <summary>The node responsible for the key; null when the lookup failed.</summary>
        public ChordContact Owner { get; internal set; }
        /// <summary>The owner's successors as the last node reported them (the replicas come first), nearest first.</summary>
        public IReadOnlyList<ChordContact> OwnerSuccessors { get; internal set; } = Array.Empty<ChordContact>();
        public int Hops { get; internal set; }
        public IReadOnlyList<ChordContact> Path { get; internal set; } = Array.Empty<ChordContact>();
        /// <summary>From the first query sent to the answer, on the runtime's clock.</summary>
        public TimeSpan Latency { get; internal set; }
        /// <summary>Queries sent again or elsewhere because a node did not answer.</summary>
        public int Retries { get; internal set; }
        /// <summary>Queries this node sent for the lookup (recursive: only the first, plus retries).</summary>
        public int Messages { get; internal set; }
        public ChordLookupMode Mode { get; internal set; }
        public bool Succeeded { get; internal set; }
        /// <summary>Why it failed (no live node, hop limit, timeout...); null when it succeeded.</summary>
        public string Failure { get; internal set; }
        /// <summary>The KRPC error code of a failed store (302, 303, 305...), 0 otherwise.</summary>
        public int ErrorCode { get; internal set; }

        public override string ToString() =>
            Succeeded ? $"{Key ?? KeyId.ToShortHex()} -> {Owner} in {Hops} hops ({Mode})" : $"{Key ?? KeyId.ToShortHex()}: failed ({Failure})";
    }
}
