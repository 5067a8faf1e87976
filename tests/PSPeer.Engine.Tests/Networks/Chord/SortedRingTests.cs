using System;
using System.Linq;
using System.Numerics;
using PSPeer.Engine.Networks.Chord;
using Xunit;

namespace PSPeer.Engine.Tests.Networks.Chord
{
    /// <summary>
    /// The oracle behind pre-computed rings and every ground-truth check: successors and fingers from the sorted ids,
    /// against a brute force over BigInteger (finger i = the first member at or after n + 2^(i-1) mod 2^160).
    /// </summary>
    public class SortedRingTests
    {
        static readonly BigInteger Modulus = BigInteger.One << 160;

        static BigInteger Value(RingPoint p) => BigInteger.Parse("0" + p.ToString(), System.Globalization.NumberStyles.HexNumber);

        static RingPoint Point(BigInteger v)
        {
            var hex = v.ToString("x").TrimStart('0').PadLeft(40, '0');
            var bytes = Enumerable.Range(0, 20).Select(i => Convert.ToByte(hex.Substring(2 * i, 2), 16)).ToArray();
            return RingPoint.FromBytes(bytes);
        }

        static RingPoint RandomPoint(Random random)
        {
            var bytes = new byte[20];
            random.NextBytes(bytes);
            return RingPoint.FromBytes(bytes);
        }

        /// <summary>Brute force: the member whose value is the first at or after target, clockwise.</summary>
        static int BruteSuccessor(BigInteger[] values, BigInteger target)
        {
            int best = -1;
            BigInteger bestDistance = 0;
            for (int i = 0; i < values.Length; i++)
            {
                var d = ((values[i] - target) % Modulus + Modulus) % Modulus;
                if (best < 0 || d < bestDistance) { best = i; bestDistance = d; }
            }
            return best;
        }

        [Fact]
        public void Distance_wraps_around_the_circle_and_its_highest_bit_is_the_bit_length()
        {
            var random = new Random(5);
            for (int t = 0; t < 500; t++)
            {
                var a = RandomPoint(random);
                var b = RandomPoint(random);
                var expected = ((Value(b) - Value(a)) % Modulus + Modulus) % Modulus;
                var d = b.DistanceFrom(a);
                Assert.Equal(expected, Value(d));
                // BigInteger.Log can round at exact powers of two: check the bit itself.
                if (!expected.IsZero) Assert.True((expected >> d.HighestBit()) == 1, $"highest bit of {expected:x}");
            }
            for (int t = 0; t < 200; t++)
            {
                var a = RandomPoint(random);
                int e = random.Next(160);
                Assert.Equal((Value(a) + (BigInteger.One << e)) % Modulus, Value(a.AddPowerOfTwo(e)));
            }
            Assert.Equal(BigInteger.Zero, Value(new RingPoint(ulong.MaxValue, ulong.MaxValue, uint.MaxValue).AddPowerOfTwo(0)));
            Assert.Equal(-1, new RingPoint(1, 2, 3).DistanceFrom(new RingPoint(1, 2, 3)).HighestBit());
            Assert.Equal(159, new RingPoint(ulong.MaxValue, 0, 0).HighestBit());
            Assert.Equal(0, new RingPoint(0, 0, 1).HighestBit());
        }

        [Theory]
        [InlineData(1, 1)]
        [InlineData(2, 2)]
        [InlineData(7, 3)]
        [InlineData(64, 4)]
        [InlineData(400, 6)]
        public void Fingers_and_successors_match_a_brute_force_over_big_integers(int count, int seed)
        {
            var random = new Random(seed);
            var points = Enumerable.Range(0, count).Select(_ => RandomPoint(random)).ToArray();
            var values = points.Select(Value).ToArray();
            var ring = new SortedRing((RingPoint[])points.Clone(), Enumerable.Range(0, count).ToArray());
            var fingers = new int[160];
            // Every member of a small ring; 8 spread over a large one (the brute force is O(members) per finger).
            int stride = ring.Count > 100 ? ring.Count / 8 : 1;
            for (int p = 0; p < ring.Count; p += stride)
            {
                int member = ring.MemberAt(p);
                ring.FingerPositions(p, fingers);
                for (int e = 0; e < 160; e++)
                {
                    var target = (values[member] + (BigInteger.One << e)) % Modulus;
                    Assert.Equal(BruteSuccessor(values, target), ring.MemberAt(fingers[e]));
                }
                if (count > 1) Assert.Equal(BruteSuccessor(values, (values[member] + 1) % Modulus), ring.MemberAt(p + 1));
            }
            for (int t = 0; t < 200; t++)
            {
                var key = RandomPoint(random);
                Assert.Equal(BruteSuccessor(values, Value(key)), ring.Successor(key));
            }
        }

        [Fact]
        public void Fingers_of_crowded_neighbours_and_exact_hits_are_right()
        {
            // Members at 0, 1, 2, 4, 2^159: targets land exactly on members, and most fingers wrap to the far one.
            var values = new[] { BigInteger.Zero, BigInteger.One, new BigInteger(2), new BigInteger(4), BigInteger.One << 159 };
            var ring = new SortedRing(values.Select(Point).ToArray(), Enumerable.Range(0, values.Length).ToArray());
            var fingers = new int[160];
            for (int p = 0; p < ring.Count; p++)
            {
                int member = ring.MemberAt(p);
                ring.FingerPositions(p, fingers);
                for (int e = 0; e < 160; e++)
                    Assert.Equal(BruteSuccessor(values, (values[member] + (BigInteger.One << e)) % Modulus), ring.MemberAt(fingers[e]));
            }
        }

        [Fact]
        public void Summaries_use_nearest_rank_percentiles()
        {
            var s = SampleSummary.Of(Enumerable.Range(1, 100).Select(i => (double)i).ToArray(), 100);
            Assert.Equal(50.5, s.Mean);
            Assert.Equal(1, s.P1);
            Assert.Equal(50, s.P50);
            Assert.Equal(99, s.P99);
            Assert.Equal(100, s.Max);
            Assert.Equal(99 / 50.5, s.P99OverMean, 6);
            Assert.Equal(0, SampleSummary.Of(new double[0], 0).Count);
            var one = SampleSummary.Of(new[] { 7 });
            Assert.Equal(7, one.P1);
            Assert.Equal(7, one.P99);
        }
    }
}
