using System.Collections.Generic;

namespace PSPeer.Engine.Networks
{
    /// <summary>What one query GUID did in the network, gathered from the nodes' events.</summary>
    public sealed class FloodTrace
    {
        /// <summary>Hops beyond this are counted at this value (Gnutella clamps TTL + hops to 7 anyway).</summary>
        public const int MaxHops = 16;

        readonly HashSet<int> _reached = new HashSet<int>();
        readonly int[] _firstReachedAtHops = new int[MaxHops + 1];
        readonly int[] _copiesAtHops = new int[MaxHops + 1];

        internal FloodTrace(string guid) => Guid = guid;

        public string Guid { get; }
        /// <summary>Distinct nodes that received the query (the searcher not included).</summary>
        public int Reached => _reached.Count;
        public long Duplicates { get; internal set; }
        public long DroppedTtl { get; internal set; }
        public long Forwards { get; internal set; }
        public long HitsRoutedBack { get; internal set; }
        public long HitsDropped { get; internal set; }
        /// <summary>Nodes that forwarded this query (reverse-path routing may only pass its hits through these).</summary>
        internal HashSet<int> Forwarders { get; } = new HashSet<int>();
        /// <summary>Nodes that routed a hit of this query back.</summary>
        internal HashSet<int> HitRouters { get; } = new HashSet<int>();
        internal HashSet<int> ReachedNodes => _reached;

        /// <summary>Nodes first reached at hop distance h (index h; hops as the receiving node counts them).</summary>
        public IReadOnlyList<int> FirstReachedAtHops => _firstReachedAtHops;

        /// <summary>Query messages (first copies and duplicates) that arrived at hop distance h (index h).</summary>
        public IReadOnlyList<int> CopiesAtHops => _copiesAtHops;
        /// <summary>The TTL the searcher sent this query with (the highest, when dynamic querying resent it); 0 when not seen.</summary>
        public int Ttl { get; private set; }

        internal void NoteSent(int ttl) { if (ttl > Ttl) Ttl = ttl; }

        internal void Copy(int hops) => _copiesAtHops[hops < 0 ? 0 : hops > MaxHops ? MaxHops : hops]++;

        internal void Receive(int node, int hops)
        {
            if (!_reached.Add(node)) { return; }
            if (hops < 0) hops = 0;
            _firstReachedAtHops[hops > MaxHops ? MaxHops : hops]++;
        }
    }
}
