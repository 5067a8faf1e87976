using System;
using System.Collections.Generic;
using OxyPlot.Axes;

namespace PSPeer.Charts
{
    /// <summary>
    /// A base-2 logarithmic axis ticked at the powers of two only (64, 128, 256 ...). OxyPlot's logarithmic axis
    /// falls back to evenly spaced ticks (100, 200, 300 ...) over a range narrower than a few decades, which on a
    /// ring-size sweep labels none of the sizes drawn.
    /// </summary>
    internal sealed class PowerOfTwoAxis : LogarithmicAxis
    {
        public PowerOfTwoAxis() { Base = 2; }

        public override void GetTickValues(out IList<double> majorLabelValues, out IList<double> majorTickValues, out IList<double> minorTickValues)
        {
            var ticks = new List<double>();
            if (ActualMinimum > 0 && ActualMaximum >= ActualMinimum)
            {
                int from = (int)Math.Ceiling(Math.Log(ActualMinimum, 2) - 1e-9), to = (int)Math.Floor(Math.Log(ActualMaximum, 2) + 1e-9);
                // Every other power (or fewer) when the range is wide, so labels stay apart.
                int step = Math.Max(1, (to - from + 1) / 12 + 1);
                for (int k = from; k <= to; k += step) ticks.Add(Math.Pow(2, k));
            }
            majorLabelValues = ticks;
            majorTickValues = ticks;
            minorTickValues = new List<double>();
        }
    }
}
