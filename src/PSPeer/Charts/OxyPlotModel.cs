using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace PSPeer.Charts
{
    /// <summary>
    /// A panel as an OxyPlot model: titled axes from zero, measured series as lines through markers (or steps), reference
    /// series dashed, a legend inside the plot. Each axis and series carries a tag in its ToolTip, which the SVG
    /// writer's render context turns into attributes (<see cref="TaggingSvgRenderContext"/>).
    /// </summary>
    internal static class OxyPlotModel
    {
        public const string Font = "Arial";
        public const string XAxisTag = "axis:x", YAxisTag = "axis:y", SeriesTagPrefix = "series:";

        static readonly OxyColor[] Measured = { OxyColor.FromRgb(0x1f, 0x77, 0xb4), OxyColor.FromRgb(0x2c, 0xa0, 0x2c), OxyColor.FromRgb(0x94, 0x67, 0xbd) };
        static readonly OxyColor[] Reference = { OxyColor.FromRgb(0xd6, 0x27, 0x28), OxyColor.FromRgb(0xff, 0x7f, 0x0e), OxyColor.FromRgb(0x8c, 0x56, 0x4b) };

        public static PlotModel For(ChartPanel panel)
        {
            var model = new PlotModel
            {
                Title = panel.Title,
                DefaultFont = Font,
                DefaultFontSize = 14,
                TitleFontSize = 16,
                TitleFontWeight = FontWeights.Bold,
                Culture = CultureInfo.InvariantCulture,
                Background = OxyColors.White,
                PlotAreaBorderColor = OxyColor.FromRgb(0x99, 0x99, 0x99),
            };
            // Ring sizes double: a base-2 log axis spaces 64, 128, 256 ... evenly and makes ½·log2 N a straight line.
            Axis x = panel.LogXBase2 ? new PowerOfTwoAxis() : (Axis)new LinearAxis();
            x.Position = AxisPosition.Bottom; x.Title = panel.XAxisTitle; x.ToolTip = XAxisTag;
            x.MajorGridlineStyle = LineStyle.Dot; x.MajorGridlineColor = OxyColor.FromRgb(0xdd, 0xdd, 0xdd);
            x.MinimumPadding = 0.05; x.MaximumPadding = 0.05; x.StringFormat = "#,0.##";
            if (panel.WholeX) { x.MajorStep = 1; x.MinorStep = 1; x.StringFormat = "0"; }
            if (panel.XFromZero) x.Minimum = 0;
            var y = new LinearAxis
            {
                Position = AxisPosition.Left, Title = panel.YAxisTitle, ToolTip = YAxisTag, Minimum = 0, MaximumPadding = 0.08,
                MajorGridlineStyle = LineStyle.Dot, MajorGridlineColor = OxyColor.FromRgb(0xdd, 0xdd, 0xdd), StringFormat = "#,0.##",
            };
            if (panel.YMaximum.HasValue) { y.Maximum = panel.YMaximum.Value * 1.05; y.MajorStep = panel.YMaximum.Value / 5; }
            model.Axes.Add(x);
            model.Axes.Add(y);

            int measured = 0, reference = 0;
            for (int i = 0; i < panel.Series.Count; i++)
            {
                var s = panel.Series[i];
                var color = s.Role == SeriesRole.Reference ? Reference[reference++ % Reference.Length] : Measured[measured++ % Measured.Length];
                var line = s.Shape == SeriesShape.Steps ? new StairStepSeries() : new LineSeries();
                line.Title = s.Name;
                line.ToolTip = SeriesTagPrefix + i.ToString(CultureInfo.InvariantCulture);
                line.Color = color;
                line.StrokeThickness = s.Role == SeriesRole.Reference ? 2 : 2.5;
                if (s.Role == SeriesRole.Reference) { line.LineStyle = LineStyle.Dash; line.Dashes = new[] { 6.0, 4.0 }; }
                if (s.Shape != SeriesShape.Line) { line.MarkerType = MarkerType.Circle; line.MarkerSize = 4; line.MarkerFill = color; }
                foreach (var (px, py) in s.Points) line.Points.Add(new DataPoint(px, py));
                model.Series.Add(line);
            }
            model.Legends.Add(new Legend
            {
                LegendPosition = panel.LegendTopLeft ? LegendPosition.LeftTop : LegendPosition.RightBottom, LegendPlacement = LegendPlacement.Inside,
                LegendBackground = OxyColor.FromAColor(230, OxyColors.White), LegendBorder = OxyColor.FromRgb(0xcc, 0xcc, 0xcc),
                LegendFontSize = 13,
            });
            return model;
        }
    }
}
