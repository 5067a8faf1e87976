using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using System.Xml.Linq;

namespace PSPeer.Charts
{
    /// <summary>
    /// A self-contained HTML report: the title, the notes, the chart as inline SVG and each panel's numbers as a table.
    /// Nothing is loaded from anywhere (a Content-Security-Policy of default-src 'none' says so to the browser, and
    /// there is no script); every string is HTML-encoded.
    /// </summary>
    internal static class HtmlChartReport
    {
        public static string Render(ChartFigure figure, XElement svg)
        {
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .Append("<meta name=\"generator\" content=\"PSPeer Export-PeerChart\">\n")
                .Append("<title>").Append(E(figure.Title)).Append("</title>\n")
                .Append("<style>\n")
                .Append("body { font-family: Arial, Helvetica, sans-serif; color: #222; margin: 2em auto; max-width: 60em; padding: 0 1em; }\n")
                .Append("figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }\n")
                .Append("table { border-collapse: collapse; margin: 0.5em 0 1.5em; } th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }\n")
                .Append("th { background: #f4f4f4; } p.pspeer-note { color: #555; }\n")
                .Append("</style>\n</head>\n<body>\n")
                .Append("<main class=\"pspeer-report\" data-kind=\"").Append(E(figure.Kind.ToString())).Append("\">\n")
                .Append("<h1>").Append(E(figure.Title)).Append("</h1>\n");
            foreach (var note in figure.Notes) html.Append("<p class=\"pspeer-note\">").Append(E(note)).Append("</p>\n");
            html.Append("<figure>\n").Append(svg.ToString()).Append("\n</figure>\n");
            foreach (var panel in figure.Panels) Table(html, panel);
            html.Append("</main>\n</body>\n</html>\n");
            return html.ToString();
        }

        /// <summary>One row per x with a column per series when the series share their x values; else one row per point.</summary>
        static void Table(StringBuilder html, ChartPanel panel)
        {
            html.Append("<h2>").Append(E(panel.Title)).Append("</h2>\n<table class=\"pspeer-data\" data-panel=\"").Append(E(panel.Id)).Append("\">\n<thead><tr>");
            var xs = panel.Series.Select(s => s.Points.Select(p => p.X).ToList()).ToList();
            bool shared = xs.All(x => x.SequenceEqual(xs[0]));
            if (shared)
            {
                html.Append("<th>").Append(E(panel.XAxisTitle)).Append("</th>");
                foreach (var s in panel.Series) html.Append("<th>").Append(E(s.Name)).Append("</th>");
                html.Append("</tr></thead>\n<tbody>\n");
                for (int i = 0; i < xs[0].Count; i++)
                {
                    html.Append("<tr><td>").Append(N(xs[0][i])).Append("</td>");
                    foreach (var s in panel.Series) html.Append("<td>").Append(N(s.Points[i].Y)).Append("</td>");
                    html.Append("</tr>\n");
                }
            }
            else
            {
                html.Append("<th>series</th><th>").Append(E(panel.XAxisTitle)).Append("</th><th>").Append(E(panel.YAxisTitle)).Append("</th></tr></thead>\n<tbody>\n");
                foreach (var s in panel.Series)
                    foreach (var (x, y) in s.Points)
                        html.Append("<tr><td>").Append(E(s.Name)).Append("</td><td>").Append(N(x)).Append("</td><td>").Append(N(y)).Append("</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }

        static string E(string text) => WebUtility.HtmlEncode(text ?? "");

        static string N(double value) => value.ToString("#,0.###", CultureInfo.InvariantCulture);
    }
}
