using System;

namespace PSPeer.Engine.Networks
{
    /// <summary>One undirected link between two nodes of a topology, by index; A is always the smaller index.</summary>
    public readonly struct TopologyEdge : IEquatable<TopologyEdge>
    {
        public TopologyEdge(int a, int b)
        {
            if (a == b) throw new ArgumentException("A link joins two different nodes.");
            A = Math.Min(a, b);
            B = Math.Max(a, b);
        }

        public int A { get; }
        public int B { get; }

        /// <summary>A key unique to the unordered pair, for duplicate checks.</summary>
        internal long Key => ((long)A << 32) | (uint)B;

        public bool Equals(TopologyEdge other) => A == other.A && B == other.B;
        public override bool Equals(object obj) => obj is TopologyEdge e && Equals(e);
        public override int GetHashCode() => Key.GetHashCode();
        public override string ToString() => $"{A}-{B}";
    }
}
