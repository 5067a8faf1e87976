using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using PSPeer.Charts;

namespace PSPeer
{
    /// <summary>
    /// Draws measurements as a chart ready for a slide: Gnutella flooding from Measure-PeerNetwork (query messages per
    /// TTL against the 2|E| bound, nodes reached against breadth-first search), a torrent swarm's completion times as a
    /// CDF from leecher nodes or Receive-PeerFile results (against the lower bound when every uploader has an upload
    /// limit). Collects everything piped in and draws once, at the end. The format follows -Path's extension: .svg, or
    /// .html/.htm for a self-contained report (the SVG inline and the numbers as tables; nothing loaded from the
    /// internet). The charts are drawn by OxyPlot (OxyPlot.Core, managed code only).
    /// <para>A file it did not write is never replaced: the same chart already there is left as it is; a different file
    /// is a DestinationFileExists error unless -Force. -WhatIf/-Confirm ask before writing.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "PeerChart", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportPeerChartCommand : PSCmdlet
    {
        enum Format { Svg, Html }

        readonly List<(IChartBuilder Builder, object Input)> _inputs = new List<(IChartBuilder, object)>();
        string _path;
        Format _format;

        /// <summary>Where to write the chart; the extension picks the format (.svg, .html, .htm).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>What to draw: PeerNetworkMeasurement objects, BitTorrent leecher (and seeder) nodes, PeerDownload results.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject InputObject { get; set; }

        /// <summary>The chart to draw. Default: the one that draws the input's type.</summary>
        [Parameter]
        public PeerChartKind Kind { get; set; }

        /// <summary>The chart's title. Default: says what was measured (the network's size, the torrent and its leechers).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; }

        /// <summary>Width of the chart in pixels.</summary>
        [Parameter]
        [ValidateRange(320, 4000)]
        public int Width { get; set; } = 900;

        /// <summary>Height of each panel in pixels (the flooding chart has two, one above the other).</summary>
        [Parameter]
        [ValidateRange(200, 3000)]
        public int Height { get; set; } = 450;

        /// <summary>Replace a different file at -Path.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the written file (FileInfo).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        bool KindGiven => MyInvocation.BoundParameters.ContainsKey(nameof(Kind));

        protected override void BeginProcessing()
        {
            _path = GetUnresolvedProviderPathFromPSPath(Path);
            string extension = System.IO.Path.GetExtension(_path).ToLowerInvariant();
            switch (extension)
            {
                case ".svg": _format = Format.Svg; break;
                case ".html":
                case ".htm": _format = Format.Html; break;
                case ".png":
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.ChartFormatNotSupported, ErrorCategory.InvalidArgument, Path,
                        "PNG needs a rasterizer with native code (OxyPlot.SkiaSharp over SkiaSharp's libSkiaSharp), which PSPeer does not ship: it writes .svg and .html with managed code only.",
                        "Export .svg (a browser, Inkscape or rsvg-convert turns it into PNG: rsvg-convert -o chart.png chart.svg) or .html."));
                    break;
                default:
                    ThrowTerminatingError(Errors.Make(CmdletErrorIds.ChartFormatNotSupported, ErrorCategory.InvalidArgument, Path,
                        $"'{Path}' does not end in .svg, .html or .htm, so there is no format to write it in.",
                        "Name the file with a .svg extension for a drawing or .html for a report."));
                    break;
            }
        }

        protected override void ProcessRecord()
        {
            var value = InputObject?.BaseObject;
            if (value == null) return;
            // An array given to -InputObject rather than piped: its elements are the inputs.
            if (!(value is string) && value is IEnumerable many)
            {
                foreach (var item in many) Take(item is PSObject ps ? ps.BaseObject : item);
                return;
            }
            Take(value);
        }

        void Take(object input)
        {
            if (input == null) return;
            var builder = KindGiven ? ChartBuilders.For(Kind) : ChartBuilders.Taking(input);
            if (builder == null || !builder.Takes(input))
            {
                WriteError(Errors.Make(CmdletErrorIds.ChartInputNotSupported, ErrorCategory.InvalidType, input,
                    KindGiven ? $"A {input.GetType().Name} is not something the {Kind} chart draws."
                              : $"A {input.GetType().Name} is not something Export-PeerChart draws.",
                    "Pipe Measure-PeerNetwork results of Gnutella networks (Flood) or Chord rings (Chord), or BitTorrent leecher nodes or Receive-PeerFile results of torrents (Swarm)."));
                return;
            }
            _inputs.Add((builder, input));
        }

        protected override void EndProcessing()
        {
            if (_inputs.Count == 0)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.ChartInputEmpty, ErrorCategory.InvalidData, null,
                    "Nothing to draw: no measurement, node or download was piped in.",
                    "Pipe Measure-PeerNetwork results, or BitTorrent leecher nodes or Receive-PeerFile results, to Export-PeerChart."));
            var builders = _inputs.Select(i => i.Builder).Distinct().ToList();
            if (builders.Count > 1)
                ThrowTerminatingError(Errors.Make(CmdletErrorIds.ChartInputMixed, ErrorCategory.InvalidData, null,
                    $"The inputs are for different charts ({string.Join(", ", builders.Select(b => b.Kind))}), and one file holds one chart.",
                    "Export each kind to its own file, or choose one with -Kind (the other inputs are then reported and left out)."));

            ChartFigure figure;
            try
            {
                figure = builders[0].Build(_inputs.Select(i => i.Input).ToList(), Title);
            }
            catch (ChartInputException ex)
            {
                ThrowTerminatingError(Errors.Make(ex.ErrorId, ErrorCategory.InvalidData, null, ex.Message, ex.RecommendedAction));
                return;
            }
            var svg = SvgChartWriter.Render(figure, Width, Height);
            string text = _format == Format.Html ? HtmlChartReport.Render(figure, svg) : SvgChartWriter.ToDocument(svg);
            Write(figure, new UTF8Encoding(false).GetBytes(text));
        }

        void Write(ChartFigure figure, byte[] bytes)
        {
            bool exists = File.Exists(_path);
            // Compared only when the sizes agree: -Path may name some large unrelated file.
            if (exists && new FileInfo(_path).Length == bytes.Length && File.ReadAllBytes(_path).SequenceEqual(bytes))
            {
                WriteVerbose($"'{_path}' already holds this chart.");
                if (PassThru) WriteObject(new FileInfo(_path));
                return;
            }
            if (exists && !Force)
            {
                WriteError(Errors.Make(CmdletErrorIds.DestinationFileExists, ErrorCategory.ResourceExists, _path,
                    $"'{_path}' already exists and holds something else.",
                    "Add -Force to replace it, or choose another -Path."));
                return;
            }
            if (!ShouldProcess(_path, exists ? $"Replace with the {figure.Kind} chart '{figure.Title}'" : $"Write the {figure.Kind} chart '{figure.Title}'")) return;
            AtomicFile.Write(_path, bytes);
            WriteVerbose($"Wrote the {figure.Kind} chart '{figure.Title}' to '{_path}' ({bytes.Length} bytes).");
            if (PassThru) WriteObject(new FileInfo(_path));
        }
    }
}
