using System.Collections.Generic;

namespace PSPeer.Charts
{
    /// <summary>One plot: a title, two titled axes and its series. A figure stacks one or more panels.</summary>
    internal sealed class ChartPanel
    {
        public ChartPanel(string id, string title, string xAxisTitle, string yAxisTitle)
        {
            Id = id;
            Title = ChartText.Clean(title);
            XAxisTitle = ChartText.Clean(xAxisTitle);
            YAxisTitle = ChartText.Clean(yAxisTitle);
        }

        /// <summary>A stable name for the panel (flood-messages, flood-reach, swarm-completion): data-panel in the SVG.</summary>
        public string Id { get; }
        public string Title { get; }
        public string XAxisTitle { get; }
        public string YAxisTitle { get; }
        /// <summary>Ticks on whole numbers only (TTLs, hops).</summary>
        public bool WholeX { get; set; }
        /// <summary>The x axis starts at zero (times: a CDF read from the start).</summary>
        public bool XFromZero { get; set; }
        /// <summary>The legend goes top left, where a rising curve that ends top right leaves room (a CDF); else bottom right.</summary>
        public bool LegendTopLeft { get; set; }
        /// <summary>The x axis is logarithmic, base 2 (ring sizes 64, 128, ... at equal steps): x values must be positive.</summary>
        public bool LogXBase2 { get; set; }
        /// <summary>Upper end of the y axis when it has a natural one (a CDF's 1).</summary>
        public double? YMaximum { get; set; }
        public List<ChartSeries> Series { get; } = new List<ChartSeries>();

        public ChartSeries Add(ChartSeries series)
        {
            Series.Add(series);
            return series;
        }
    }
}
