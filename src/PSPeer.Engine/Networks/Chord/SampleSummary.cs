using System;
using System.Collections.Generic;
using System.Globalization;

namespace PSPeer.Engine.Networks.Chord
{
    /// <summary>
    /// A distribution boiled down to what the Chord paper prints: count, mean, 1st/50th/99th percentiles, min and max.
    /// Percentiles are nearest-rank on the sorted samples (p1 of 100 samples is the smallest; p99 the 99th), so a
    /// summary of integers (hops, keys) stays an integer, as in the paper's figures.
    /// </summary>
    public sealed class SampleSummary
    {
        public static readonly SampleSummary Empty = new SampleSummary(0, 0, 0, 0, 0, 0, 0);

        SampleSummary(long count, double mean, double min, double p1, double p50, double p99, double max)
        {
            Count = count; Mean = mean; Min = min; P1 = p1; P50 = p50; P99 = p99; Max = max;
        }

        public long Count { get; }
        public double Mean { get; }
        public double Min { get; }
        public double P1 { get; }
        public double P50 { get; }
        public double P99 { get; }
        public double Max { get; }
        /// <summary>How far the 99th percentile lies above the mean (the paper's load-balance figure); 0 when the mean is 0.</summary>
        public double P99OverMean => Mean == 0 ? 0 : P99 / Mean;

        /// <summary>Summarizes the samples; sorts <paramref name="samples"/> in place (pass a copy to keep the order).</summary>
        public static SampleSummary Of(double[] samples, int count)
        {
            if (count <= 0) return Empty;
            Array.Sort(samples, 0, count);
            double sum = 0;
            for (int i = 0; i < count; i++) sum += samples[i];
            return new SampleSummary(count, sum / count, samples[0], Rank(samples, count, 0.01), Rank(samples, count, 0.50),
                Rank(samples, count, 0.99), samples[count - 1]);
        }

        public static SampleSummary Of(IReadOnlyCollection<double> samples)
        {
            var copy = new double[samples.Count];
            int i = 0;
            foreach (double s in samples) copy[i++] = s;
            return Of(copy, copy.Length);
        }

        public static SampleSummary Of(int[] samples)
        {
            var copy = new double[samples.Length];
            for (int i = 0; i < samples.Length; i++) copy[i] = samples[i];
            return Of(copy, copy.Length);
        }

        /// <summary>The same distribution with <paramref name="offset"/> added to every sample.</summary>
        public SampleSummary Shifted(double offset) => Count == 0 ? this :
            new SampleSummary(Count, Mean + offset, Min + offset, P1 + offset, P50 + offset, P99 + offset, Max + offset);

        /// <summary>Nearest rank: the smallest sample with at least a fraction q of the samples at or below it.</summary>
        static double Rank(double[] sorted, int count, double q)
        {
            int rank = (int)Math.Ceiling(q * count);
            return sorted[Math.Min(count, Math.Max(1, rank)) - 1];
        }

        public override string ToString() => Count == 0 ? "none" : string.Format(CultureInfo.InvariantCulture,
            "mean {0:0.###}, p1 {1:0.###}, p50 {2:0.###}, p99 {3:0.###}, max {4:0.###} (n = {5})", Mean, P1, P50, P99, Max, Count);
    }
}
