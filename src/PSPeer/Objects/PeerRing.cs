using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Chord;

namespace PSPeer
{
    /// <summary>
    /// A Chord node's view of the ring (Get-PeerRing): its id, predecessor, successor list, the distinct nodes of its
    /// finger table, and how many keys it holds (owned and replicas). Nodes are "host:port".
    /// </summary>
    public sealed class PeerRing
    {
        internal PeerRing(PeerNode node, ChordNode chord)
        {
            Node = node.Name;
            Id = chord.Self?.Id.ToHex();
            EndPoint = chord.Self?.EndPoint?.ToString();
            Role = chord.Role;
            Predecessor = chord.Predecessor?.EndPoint?.ToString();
            Successors = (chord.Successors ?? Array.Empty<ChordContact>()).Where(c => c != null).Select(c => c.EndPoint.ToString()).ToArray();
            var fingers = chord.Fingers ?? Array.Empty<ChordContact>();
            var distinct = new List<string>();
            var seen = new HashSet<ChordId>();
            int known = 0;
            foreach (var f in fingers)
            {
                if (f == null) continue;
                known++;
                if (seen.Add(f.Id)) distinct.Add(f.EndPoint.ToString());
            }
            Fingers = distinct.ToArray();
            KnownFingers = known;
            StoredKeys = chord.StoredKeyCount;
            StoredValues = chord.StoredValueCount;
        }

        /// <summary>The node's name.</summary>
        public string Node { get; }
        /// <summary>The node's id on the ring, 40 hex digits (SHA-1 of its "address:port").</summary>
        public string Id { get; }
        public string EndPoint { get; }
        /// <summary>Peer (a ring member) or Client (lookups and stores only, behind a NAT).</summary>
        public string Role { get; }
        /// <summary>The node just before this one on the ring; null while unknown.</summary>
        public string Predecessor { get; }
        /// <summary>The successor list, nearest first.</summary>
        public string[] Successors { get; }
        /// <summary>The distinct nodes of the finger table, in finger order (finger i is the successor of id + 2^(i-1)).</summary>
        public string[] Fingers { get; }
        /// <summary>Finger entries known (of 160); several usually point at the same node.</summary>
        public int KnownFingers { get; }
        /// <summary>Keys the node holds, as owner or replica.</summary>
        public int StoredKeys { get; }
        public int StoredValues { get; }

        public override string ToString() => $"{Node}: {Successors.Length} successors, {Fingers.Length} distinct fingers, {StoredKeys} keys";
    }
}
