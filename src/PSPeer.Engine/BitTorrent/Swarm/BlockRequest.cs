using System;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>One block of one piece, as a request names it.</summary>
    public struct BlockRequest : IEquatable<BlockRequest>
    {
        public BlockRequest(int piece, int begin, int length)
        {
            Piece = piece;
            Begin = begin;
            Length = length;
        }

        public int Piece { get; }
        public int Begin { get; }
        public int Length { get; }

        /// <summary>Piece and offset in one number, for sets of outstanding requests.</summary>
        public long Key => KeyOf(Piece, Begin);
        public static long KeyOf(int piece, int begin) => ((long)piece << 32) | (uint)begin;

        public bool Equals(BlockRequest other) => Piece == other.Piece && Begin == other.Begin && Length == other.Length;
        public override bool Equals(object obj) => obj is BlockRequest other && Equals(other);
        public override int GetHashCode() => Key.GetHashCode() ^ Length;
        public override string ToString() => $"piece {Piece} @{Begin} +{Length}";
    }
}
