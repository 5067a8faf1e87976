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
        /// successor(n + 2^(i-1)). The successor of n + d is n's own successor while d is at most the gap to it, and
        /// moves on as d doubles, so the walk gallops forward from one distinct finger to the next: about log2 N
        /// binary searches per member, not 160.
        /// </summary>
        public void FingerPositions(int position, int[] into)
        {
            if (into == null || into.Length < 160) throw new ArgumentException("Room for 160 fingers.", nameof(into));
            int n = _points.Length;
            var self = _points[position];
            int step = 1;          // the candidate is `step` members clockwise from self; n means self again
            int exponent = 0;
            while (exponent < 160)
            {
                if (step >= n)
                {
                    // No other member lies at or beyond n + 2^exponent before wrapping: the finger is n itself.
                    for (; exponent < 160; exponent++) into[exponent] = position;
                    break;
                }
                int top = _points[(position + step) % n].DistanceFrom(self).HighestBit();
                // distance >= 2^e exactly when its highest bit is at least e: this member is finger e+1 for all such e.
                for (; exponent <= top && exponent < 160; exponent++) into[exponent] = (position + step) % n;
                if (exponent >= 160) break;
                step = FirstStepReaching(position, step + 1, exponent);
            }
        }

        /// <summary>The smallest step from <paramref name="from"/> on whose member lies at least 2^exponent clockwise from the member at position (n when none).</summary>
        int FirstStepReaching(int position, int from, int exponent)
        {
            int n = _points.Length;
            var self = _points[position];
            bool Reaches(int step) => _points[(position + step) % n].DistanceFrom(self).HighestBit() >= exponent;
            // Gallop: 1, 2, 4, ... steps ahead until one reaches, then binary search in the last doubling.
            int lo = from, span = 1, hi = from;
            while (hi < n && !Reaches(hi)) { lo = hi + 1; hi = from + span; span <<= 1; }
            if (hi >= n) { hi = n; if (lo >= n) return n; }
            while (lo < hi)
            {
                int mid = lo + ((hi - lo) >> 1);
                if (Reaches(mid)) hi = mid;
                else lo = mid + 1;
            }
            return lo;
        }
    }
}
