using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>
    /// Export-PeerChart's files as a viewer reads them: well-formed SVG whose panels keep their own clip paths, the
    /// measured and reference series with their points, and the example script that writes every chart.
    /// (tests/Pester/Export-PeerChart.Tests.ps1 covers the cmdlet's parameters, errors and escaping.)
    /// </summary>
    public class ExportPeerChartTests
    {
        static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

        static IEnumerable<XElement> WithClass(XContainer doc, string token) =>
            doc.Descendants().Where(e => ((string)e.Attribute("class") ?? "").Split(' ').Contains(token));

        [Fact]
        public void A_sweep_draws_one_point_per_ttl_with_the_bound_at_2E_and_reach_on_BFS()
        {
            using (var session = new ModuleSession())
            {
                string path = Path.Combine(session.Temp.Path, "flood.svg");
                var result = session.Run(@"
                    $net = New-PeerNetwork -Count 400 -Degree 4 -Simulated -Seed 5
                    $sweep = foreach ($ttl in 1..5) {
                        $null = Find-PeerFile 'nothing by this name' -Via $net.Nodes[3] -Ttl $ttl -Timeout 1
                        $net | Measure-PeerNetwork -Reset
                    }
                    $net | Stop-PeerNode
                    $sweep | Export-PeerChart -Path $path
                    $sweep", new Dictionary<string, object> { ["path"] = path });
                result.ShouldSucceed();
                var sweep = result.Output;
                Assert.Equal(5, sweep.Count);

                var doc = XDocument.Load(path);
                Assert.Equal(Svg + "svg", doc.Root.Name);
                var panels = WithClass(doc, "pspeer-panel").ToList();
                Assert.Equal(new[] { "flood-messages", "flood-reach" }, panels.Select(p => (string)p.Attribute("data-panel")));
                Assert.All(panels, p => Assert.Null(p.Attribute("data-untagged")));

                // One marker per TTL, rising from left to right (screen y falls as the value grows).
                var messages = WithClass(panels[0], "pspeer-marker").Where(e => (string)e.Attribute("data-series") == "messages").ToList();
                Assert.Equal(5, messages.Count);
                var xs = messages.Select(m => double.Parse((string)m.Attribute("cx"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(xs.OrderBy(x => x), xs);

                // The 2|E| bound is one horizontal line, above every measured point.
                var bound = WithClass(panels[0], "pspeer-series").Single(e => (string)e.Attribute("data-series") == "2|E| bound");
                Assert.Equal("reference", (string)bound.Attribute("data-role"));
                var ys = Regex.Matches((string)bound.Attribute("points"), @"[\d.]+,([\d.]+)").Cast<Match>().Select(m => m.Groups[1].Value).Distinct().ToList();
                Assert.Single(ys);
                double boundY = double.Parse(ys[0], System.Globalization.CultureInfo.InvariantCulture);
                Assert.All(messages, m => Assert.True(double.Parse((string)m.Attribute("cy"), System.Globalization.CultureInfo.InvariantCulture) > boundY));

                // Reach lies on breadth-first search: each measured marker sits on the BFS line.
                Assert.All(sweep, m => Assert.Equal((double)m.Properties["MeanReach"].Value,
                    ((IReadOnlyList<double>)m.Properties["AnalyticReachByTtl"].Value)[(int)m.Properties["FloodTtl"].Value - 1]));
                Assert.Contains(WithClass(panels[1], "pspeer-reference"), e => (string)e.Attribute("data-series") == "BFS reach (perfect flood)");
            }
        }

        [Fact]
        public void Panels_keep_their_own_clip_paths_and_every_reference_resolves()
        {
            using (var session = new ModuleSession())
            {
                string path = Path.Combine(session.Temp.Path, "flood.html");
                var result = session.Run(@"
                    $net = New-PeerNetwork -Count 100 -Simulated -Seed 6
                    $null = Find-PeerFile 'Hey Jude' -Via $net.Nodes[0] -Ttl 7
                    $net | Measure-PeerNetwork | Export-PeerChart -Path $path
                    $net | Stop-PeerNode", new Dictionary<string, object> { ["path"] = path });
                result.ShouldSucceed();

                string html = File.ReadAllText(path);
                int start = html.IndexOf("<svg", StringComparison.Ordinal), end = html.LastIndexOf("</svg>", StringComparison.Ordinal) + 6;
                var svg = XElement.Parse(html.Substring(start, end - start));
                var ids = svg.Descendants().Select(e => (string)e.Attribute("id")).Where(id => id != null).ToList();
                Assert.NotEmpty(ids);
                Assert.Equal(ids.Count, ids.Distinct().Count());
                var refs = svg.Descendants().Select(e => (string)e.Attribute("clip-path")).Where(r => r != null).ToList();
                Assert.NotEmpty(refs);
                Assert.All(refs, r => Assert.Contains(r.Substring(5, r.Length - 6), ids));
            }
        }

        [Fact]
        public void The_charts_example_writes_the_flooding_swarm_and_chord_charts()
        {
            using (var session = new ModuleSession())
            {
                string outDir = Path.Combine(session.Temp.Path, "charts");
                var result = session.Run("& $example -OutDir $out -Count 500 -LeecherCount 3 -FileSize 1MB -ChordSizes 32,128",
                    new Dictionary<string, object>
                    {
                        ["example"] = Path.Combine(ModuleSession.RepoRoot, "examples", "charts.ps1"),
                        ["out"] = outDir,
                    }, TimeSpan.FromMinutes(3));
                result.ShouldSucceed();
                var summary = result.Output.Last();
                Assert.Equal(3, summary.Properties["Completed"].Value);
                Assert.Equal(6, summary.Properties["FloodPoints"].Value);
                Assert.Equal(new[] { "flood.svg", "flood.html", "flood-hops.html", "swarm.svg", "swarm.html", "chord.svg", "chord.html" },
                    ((string[])summary.Properties["Files"].Value));

                var flood = XDocument.Load(Path.Combine(outDir, "flood.svg"));
                Assert.Equal(6, WithClass(flood, "pspeer-marker").Count(e => (string)e.Attribute("data-series") == "messages"));
                var swarm = XDocument.Load(Path.Combine(outDir, "swarm.svg"));
                Assert.Equal(3, WithClass(swarm, "pspeer-marker").Count(e => (string)e.Attribute("data-series") == "leechers complete"));
                // Every node has an upload limit, so the lower bound is drawn.
                Assert.Contains(WithClass(swarm, "pspeer-series"), e => ((string)e.Attribute("data-series")).StartsWith("lower bound", StringComparison.Ordinal));
                Assert.Equal(2, summary.Properties["ChordPoints"].Value);
                var chord = XDocument.Load(Path.Combine(outDir, "chord.svg"));
                Assert.Equal(2, WithClass(chord, "pspeer-marker").Count(e => (string)e.Attribute("data-series") == "mean hops"));
                Assert.Contains(WithClass(chord, "pspeer-reference"), e => (string)e.Attribute("data-series") == "½·log2 N");
                Assert.Equal(0, session.Run("(Get-PeerNode).Count").Output.Single().BaseObject);
            }
        }

        [Fact]
        public void A_chord_sweep_draws_hops_against_half_log2_N_and_keys_per_host()
        {
            using (var session = new ModuleSession())
            {
                string path = Path.Combine(session.Temp.Path, "chord.svg");
                var result = session.Run(@"
                    $rings = foreach ($n in 64, 256, 1024) {
                        $ring = New-PeerNetwork -Protocol Chord -Count $n -Simulated -Seed 1
                        $ring | Invoke-PeerSimulation -Lookups 200 -Keys 2000 | Measure-PeerNetwork
                        $ring | Stop-PeerNode
                    }
                    $rings | Export-PeerChart -Path $path
                    $rings", new Dictionary<string, object> { ["path"] = path });
                result.ShouldSucceed();
                Assert.Equal(3, result.Output.Count);

                var doc = XDocument.Load(path);
                Assert.Equal("Chord", (string)doc.Root.Attribute("data-kind"));
                var panels = WithClass(doc, "pspeer-panel").ToList();
                Assert.Equal(new[] { "chord-hops", "chord-keys" }, panels.Select(p => (string)p.Attribute("data-panel")));
                foreach (var series in new[] { "mean hops", "p1 hops", "p99 hops" })
                    Assert.Equal(3, WithClass(panels[0], "pspeer-marker").Count(e => (string)e.Attribute("data-series") == series));
                foreach (var series in new[] { "mean keys", "p1 keys", "p99 keys" })
                    Assert.Equal(3, WithClass(panels[1], "pspeer-marker").Count(e => (string)e.Attribute("data-series") == series));
                var half = WithClass(panels[0], "pspeer-series").Single(e => (string)e.Attribute("data-series") == "½·log2 N");
                Assert.Equal("reference", (string)half.Attribute("data-role"));
                Assert.Equal("3", (string)half.Attribute("data-points"));

                // Base-2 log axis: the sizes 64, 256, 1024 are ticks, and the markers of 64→256 and 256→1024 are as far apart.
                var ticks = WithClass(panels[0], "pspeer-axis")
                    .Where(e => (string)e.Attribute("data-axis") == "x" && e.Name.LocalName == "text").Select(e => e.Value).ToList();
                Assert.Contains("64", ticks); Assert.Contains("256", ticks); Assert.Contains("1,024", ticks);
                var xs = WithClass(panels[0], "pspeer-marker").Where(e => (string)e.Attribute("data-series") == "mean hops")
                    .Select(m => double.Parse((string)m.Attribute("cx"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(xs[1] - xs[0], xs[2] - xs[1], 1);
            }
        }
    }
}
