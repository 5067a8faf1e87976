using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using OxyPlot;

namespace PSPeer.Charts
{
    /// <summary>
    /// A figure as one SVG document: the figure's title, then each panel as OxyPlot drew it (nested svg elements,
    /// class="pspeer-panel" data-panel="flood-messages"), with the axes and series tagged by
    /// <see cref="TaggingSvgRenderContext"/>. All text goes through the XML writer, so markup in a name from the
    /// network is text, never an element.
    /// </summary>
    internal static class SvgChartWriter
    {
        public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
        const int HeaderHeight = 44;
        const string FontFamily = "Arial, Helvetica, sans-serif";

        public static XElement Render(ChartFigure figure, int width, int panelHeight)
        {
            int height = HeaderHeight + panelHeight * figure.Panels.Count;
            var root = new XElement(Svg + "svg",
                new XAttribute("width", width), new XAttribute("height", height),
                new XAttribute("viewBox", $"0 0 {width} {height}"),
                new XAttribute("role", "img"), new XAttribute("aria-label", figure.Title),
                new XAttribute("class", "pspeer-chart"), new XAttribute("data-kind", figure.Kind.ToString()),
                new XElement(Svg + "title", figure.Title),
                new XElement(Svg + "desc", string.Join(" ", figure.Notes)),
                new XElement(Svg + "rect", new XAttribute("width", width), new XAttribute("height", height), new XAttribute("fill", "white")),
                new XElement(Svg + "text", figure.Title,
                    new XAttribute("x", width / 2), new XAttribute("y", 29), new XAttribute("text-anchor", "middle"),
                    new XAttribute("font-family", FontFamily), new XAttribute("font-size", 20), new XAttribute("font-weight", "bold"),
                    new XAttribute("class", "pspeer-figure-title")));
            for (int i = 0; i < figure.Panels.Count; i++)
            {
                var panel = Panel(figure.Panels[i], "p" + i.ToString(CultureInfo.InvariantCulture), width, panelHeight);
                panel.SetAttributeValue("x", 0);
                panel.SetAttributeValue("y", HeaderHeight + i * panelHeight);
                root.Add(panel);
            }
            return root;
        }

        public static string ToDocument(XElement svg) =>
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + svg.ToString() + "\n";

        /// <summary>One panel drawn by OxyPlot, tagged, its ids made unique in the document by <paramref name="prefix"/>.</summary>
        static XElement Panel(ChartPanel panel, string prefix, int width, int height)
        {
            var model = OxyPlotModel.For(panel);
            XElement svg;
            TaggingSvgRenderContext rc;
            using (var stream = new MemoryStream())
            {
                rc = new TaggingSvgRenderContext(stream, width, height);
                ((IPlotModel)model).Update(true);
                ((IPlotModel)model).Render(rc, new OxyRect(0, 0, width, height));
                rc.Complete();
                rc.Flush();
                stream.Position = 0;
                svg = XDocument.Load(stream).Root;
            }
            // Should OxyPlot ever draw other than one element per call, the chart stays right, only untagged (and says why).
            if (!rc.Apply(svg, panel, out string mismatch)) svg.SetAttributeValue("data-untagged", mismatch);
            svg.SetAttributeValue("class", "pspeer-panel");
            svg.SetAttributeValue("data-panel", panel.Id);
            foreach (var e in svg.Descendants())
            {
                var id = e.Attribute("id");
                if (id != null) id.Value = prefix + "-" + id.Value;
                var clip = e.Attribute("clip-path");
                if (clip != null && clip.Value.StartsWith("url(#", StringComparison.Ordinal)) clip.Value = "url(#" + prefix + "-" + clip.Value.Substring(5);
                var font = e.Attribute("font-family");
                if (font != null && font.Value == OxyPlotModel.Font) font.Value = FontFamily;
            }
            return svg;
        }
    }
}
