using System.Collections.Generic;

namespace PSPeer.Charts
{
    /// <summary>What a series is on the chart: what was measured, or the theory it is held against.</summary>
    internal enum SeriesRole { Measured, Reference }

    /// <summary>How a series is drawn: a line through markers, a step function (a CDF), or a plain dashed line.</summary>
    internal enum SeriesShape { LineWithMarkers, Steps, Line }

    /// <summary>One named series of (x, y) points. Its name shows in the legend and in the SVG's data-series attribute.</summary>
    internal sealed class ChartSeries
    {
        public ChartSeries(string name, SeriesRole role, SeriesShape shape)
        {
            Name = ChartText.Clean(name);
            Role = role;
            Shape = shape;
        }

        public string Name { get; }
        public SeriesRole Role { get; }
        public SeriesShape Shape { get; }
        public List<(double X, double Y)> Points { get; } = new List<(double X, double Y)>();

        public ChartSeries Add(double x, double y)
        {
            Points.Add((x, y));
            return this;
        }
    }
}
