using OxyPlot;

namespace PSPeer.Charts
{
    /// <summary>
    /// OxyPlot lays out titles, tick labels and the legend by measuring text. Its managed measurer (the PDF exporter's)
    /// knows Helvetica's widths but answers in points, while the SVG is drawn in pixels: 96/72 larger. And a viewer
    /// without Arial or Helvetica draws with a wider face (Linux's usual DejaVu Sans is about 10% wider than Helvetica),
    /// which would clip legend entries and push axis titles into tick labels. So text is measured in pixels, a little
    /// wide; with Arial it just has some slack.
    /// </summary>
    internal sealed class RoomyTextMeasurer : PdfRenderContext
    {
        const double PointsToPixels = 96.0 / 72.0;
        const double WiderFace = 1.12;

        public RoomyTextMeasurer(double width, double height) : base(width, height, OxyColors.White) { }

        public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight)
        {
            var size = base.MeasureText(text, fontFamily, fontSize, fontWeight);
            return new OxySize(size.Width * PointsToPixels * WiderFace, size.Height * PointsToPixels * 1.04);
        }
    }
}
