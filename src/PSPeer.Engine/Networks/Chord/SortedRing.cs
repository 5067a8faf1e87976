using System;

namespace PSPeer.Engine.Networks.Chord
{
    /// <summary>
    /// The identifier circle as an oracle sees it: every member's position sorted, each tagged with the caller's index
    /// for it (a virtual node's index in the network). It answers who succeeds a point (binary search), and computes a
    /// member's successors and fingers for a pre-computed ring, and the ground truth that lookups and stabilization are
    /// checked against. Built once per state of the ring (a million members sort in about a second).
    /// </summary>
    internal sealed class SortedRing
    {
        readonly RingPoint[] _points;
        readonly int[] _members;

        /// <summary>Sorts <paramref name="points"/> (with <paramref name="members"/> alongside) in place and keeps both.</summary>
        public SortedRing(RingPoint[] points, int[] members)
        {
            if (points == null) throw new ArgumentNullException(nameof(points));
            if (members == null || members.Length != points.Length) throw new ArgumentException("One member per point.", nameof(members));
            _points = points;
            _members = members;
            Array.Sort(_points, _members);
        }

        public int Count => _points.Length;

        /// <summary>The member at sorted position <paramref name="position"/> (taken modulo Count).</summary>
        public int MemberAt(int position) => _members[Mod(position)];

        public RingPoint PointAt(int position) => _points[Mod(position)];

        int Mod(int position) { int n = _points.Length; position %= n; return position < 0 ? position + n : position; }

        /// <summary>The sorted position of the first member at or after <paramref name="point"/>, clockwise (the owner of a key there).</summary>
        public int SuccessorPosition(RingPoint point)
        {
            int lo = 0, hi = _points.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (_points[mid].CompareTo(point) < 0) lo = mid + 1;
                else hi = mid;
            }
            return lo == _points.Length ? 0 : lo;
        }

        /// <summary>The member that owns <paramref name="point"/>: its successor on the circle.</summary>
        public int Successor(RingPoint point) => _members[SuccessorPosition(point)];

        /// <summary>
        /// Sorted positions of the 160 fingers of the member at <paramref name="position"/>: finger i (index i-1) is
        /// successor(n + 2^(i-1)). The member found for one start serves every larger start up to its own distance from
        /// n (its distance's highest bit), so there is one binary search per distinct finger (about log2 N), not 160.
        /// </summary>
        public void FingerPositions(int position, int[] into)
        {
            if (into == null || into.Length < 160) throw new ArgumentException("Room for 160 fingers.", nameof(into));
            int n = _points.Length;
            var self = _points[position];
            int exponent = 0;
            int found = n == 1 ? position : (position + 1) % n;
            while (true)
            {
                // The member found is finger e+1 for every e up to the highest bit of its distance from n; itself (a ring
                // of one, or a start past every other member) for all the rest.
                int top = found == position ? 159 : _points[found].DistanceFrom(self).HighestBit();
                for (; exponent <= top && exponent < 160; exponent++) into[exponent] = found;
                if (exponent >= 160) return;
                found = SuccessorPosition(self.AddPowerOfTwo(exponent));
            }
        }
    }
}
