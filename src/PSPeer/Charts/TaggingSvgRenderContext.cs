using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using OxyPlot;

namespace PSPeer.Charts
{
    /// <summary>
    /// OxyPlot's SVG render context, noting which axis or series each drawn element belongs to (OxyPlot sets an axis's
    /// or a series' ToolTip before drawing it, and again for the series' legend entry). Every Draw call writes exactly
    /// one element, so after rendering, the n-th drawn element of the output gets the n-th note as attributes that a
    /// browser test or a stylesheet can find: class="pspeer-axis-title" data-axis="x", class="pspeer-series
    /// pspeer-reference" data-series="2|E| bound", class="pspeer-legend-item", ...
    /// </summary>
    internal sealed class TaggingSvgRenderContext : SvgRenderContext
    {
        static readonly HashSet<string> Drawn = new HashSet<string> { "polyline", "polygon", "ellipse", "rect", "text", "line", "path", "image" };

        readonly List<(string Tag, int Run)> _notes = new List<(string, int)>();
        readonly Dictionary<string, int> _runs = new Dictionary<string, int>();
        string _tag;
        int _run;

        public TaggingSvgRenderContext(Stream stream, double width, double height)
            : base(stream, width, height, false, new RoomyTextMeasurer(width, height), OxyColors.Undefined, false)
        {
        }

        public override void SetToolTip(string text)
        {
            _tag = string.IsNullOrEmpty(text) ? null : text;
            if (_tag == null) return;
            _runs.TryGetValue(_tag, out _run);
            _runs[_tag] = ++_run;
        }

        void Note() => _notes.Add((_tag, _run));

        public override void DrawLine(IList<ScreenPoint> points, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode, double[] dashArray, LineJoin lineJoin)
        {
            Note();
            base.DrawLine(points, stroke, thickness, edgeRenderingMode, dashArray, lineJoin);
        }

        public override void DrawPolygon(IList<ScreenPoint> points, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode, double[] dashArray, LineJoin lineJoin)
        {
            Note();
            base.DrawPolygon(points, fill, stroke, thickness, edgeRenderingMode, dashArray, lineJoin);
        }

        public override void DrawEllipse(OxyRect rect, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode)
        {
            Note();
            base.DrawEllipse(rect, fill, stroke, thickness, edgeRenderingMode);
        }

        public override void DrawRectangle(OxyRect rect, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode)
        {
            Note();
            base.DrawRectangle(rect, fill, stroke, thickness, edgeRenderingMode);
        }

        public override void DrawText(ScreenPoint p, string text, OxyColor fill, string fontFamily, double fontSize, double fontWeight, double rotation,
            HorizontalAlignment horizontalAlignment, VerticalAlignment verticalAlignment, OxySize? maxSize)
        {
            // Chart text is one line (ChartText.Clean): one text element, or none for an empty string.
            if (!string.IsNullOrEmpty(text)) Note();
            base.DrawText(p, text, fill, fontFamily, fontSize, fontWeight, rotation, horizontalAlignment, verticalAlignment, maxSize);
        }

        public override void DrawImage(OxyImage source, double srcX, double srcY, double srcWidth, double srcHeight, double destX, double destY,
            double destWidth, double destHeight, double opacity, bool interpolate)
        {
            Note();
            base.DrawImage(source, srcX, srcY, srcWidth, srcHeight, destX, destY, destWidth, destHeight, opacity, interpolate);
        }

        /// <summary>
        /// Puts the notes on the drawn elements of <paramref name="svg"/> (this context's output) in document order.
        /// False, and nothing changed, when the elements and the notes do not pair up one to one.
        /// </summary>
        public bool Apply(XElement svg, ChartPanel panel, out string mismatch)
        {
            var elements = svg.Descendants().Where(e => Drawn.Contains(e.Name.LocalName) && !e.Ancestors().Any(a => a.Name.LocalName == "clipPath" || a.Name.LocalName == "defs")).ToList();
            mismatch = elements.Count == _notes.Count ? null : $"{elements.Count} elements, {_notes.Count} drawn";
            if (mismatch != null) return false;
            for (int i = 0; i < elements.Count; i++) Tag(elements[i], _notes[i], panel);
            return true;
        }

        static void Tag(XElement e, (string Tag, int Run) note, ChartPanel panel)
        {
            string name = e.Name.LocalName;
            if (note.Tag == null)
            {
                if (name == "text" && e.Value == panel.Title) e.SetAttributeValue("class", "pspeer-panel-title");
                return;
            }
            if (note.Tag == OxyPlotModel.XAxisTag || note.Tag == OxyPlotModel.YAxisTag)
            {
                string axis = note.Tag == OxyPlotModel.XAxisTag ? "x" : "y";
                string title = axis == "x" ? panel.XAxisTitle : panel.YAxisTitle;
                e.SetAttributeValue("class", name == "text" && e.Value == title ? "pspeer-axis-title" : "pspeer-axis");
                e.SetAttributeValue("data-axis", axis);
                return;
            }
            if (!note.Tag.StartsWith(OxyPlotModel.SeriesTagPrefix, StringComparison.Ordinal)) return;
            int index = int.Parse(note.Tag.Substring(OxyPlotModel.SeriesTagPrefix.Length), CultureInfo.InvariantCulture);
            var series = panel.Series[index];
            string role = series.Role == SeriesRole.Reference ? "reference" : "measured";
            e.SetAttributeValue("data-series", series.Name);
            e.SetAttributeValue("data-role", role);
            if (note.Run > 1)
            {
                // The second time a series is drawn is its legend entry.
                e.SetAttributeValue("class", "pspeer-legend-item pspeer-" + role);
                return;
            }
            bool marker = name == "ellipse" || name == "polygon";
            e.SetAttributeValue("class", (marker ? "pspeer-marker pspeer-" : "pspeer-series pspeer-") + role);
            if (!marker) e.SetAttributeValue("data-points", series.Points.Count.ToString(CultureInfo.InvariantCulture));
        }
    }
}
