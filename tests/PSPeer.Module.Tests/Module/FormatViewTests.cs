using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests
{
    /// <summary>
    /// Every output type has a table view in the built module's PSPeer.Format.ps1xml, and PowerShell's own formatter
    /// renders it: `$obj | Out-Default` shows the view's column headers, in order, on the host.
    /// </summary>
    public class FormatViewTests : IDisposable
    {
        // How to get one object of each type the module emits (PeerEvent is covered by WatchPeerEventTests).
        static readonly Dictionary<string, string> Producers = new Dictionary<string, string>
        {
            ["PSPeer.PeerNode"] = "$alice",
            ["PSPeer.PeerSearchHit"] = "Find-PeerFile 'Hey Jude' -Via $alice",
            ["PSPeer.PeerDownload"] = "Find-PeerFile 'Hey Jude' -Via $alice | Receive-PeerFile -Destination $downloads",
            ["PSPeer.PeerSharedFile"] = "Publish-PeerFile -Path $extra -Node $bob -PassThru",
            ["PSPeer.TorrentInfo"] = "New-Torrent -Path $extra -Tracker http://127.0.0.1:6969/announce",
            ["PSPeer.PeerNetwork"] = "New-PeerNetwork -Protocol Gnutella -Count 20 -Simulated",
            ["PSPeer.PeerNetworkMeasurement"] = "New-PeerNetwork -Protocol Gnutella -Count 20 -Simulated | Measure-PeerNetwork",
            // Rows scripts build while sweeping -Ttl (examples/gnutella-flood.ps1, Measure-PeerNetwork's help).
            ["PSPeer.FloodByTtl"] = "[pscustomobject]@{ PSTypeName = 'PSPeer.FloodByTtl'; Ttl = 2; Reached = 17; Predicted = 17; Messages = 20; Duplicates = 3; Hits = 1; MeanHops = 2 }",
            // Chord (issue 12)
            ["PSPeer.PeerLookup"] = "Find-PeerKey 'Hey Jude' -Via (Start-PeerNode -Protocol Chord)",
            ["PSPeer.PeerRing"] = "Get-PeerRing -Node (Start-PeerNode -Protocol Chord)",
            ["PSPeer.PeerChordMeasurement"] = "New-PeerNetwork -Protocol Chord -Count 32 -Simulated | Invoke-PeerSimulation -Lookups 10 | Measure-PeerNetwork",
            ["PSPeer.PeerDashboard"] = "Show-PeerNetwork",
        };

        readonly ModuleSession _session = new ModuleSession();

        public static IEnumerable<object[]> OutputTypes() => Producers.Keys.Select(k => new object[] { k });

        [Fact]
        public void Every_table_view_in_the_format_file_has_a_test()
        {
            var covered = new HashSet<string>(Producers.Keys) { "PSPeer.Engine.Core.PeerEvent" };
            Assert.All(TableViews().Keys, type => Assert.Contains(type, covered));
            Assert.All(covered, type => Assert.Contains(type, TableViews().Keys));
        }

        [Theory]
        [MemberData(nameof(OutputTypes))]
        public void Output_renders_as_its_table_view(string typeName)
        {
            var scenario = new NapsterScenario(_session);
            var variables = scenario.Variables;
            variables["extra"] = TempFolder.WriteRandomFile(_session.Temp.Sub("more"), "Yesterday.mp3", 50_000, seed: 3);

            var result = _session.Run(NapsterScenario.StartScript + "$out = " + Producers[typeName] + "\n$out.PSObject.TypeNames[0]", variables);

            result.ShouldSucceed();
            Assert.Equal(typeName, result.Output.Single().BaseObject);
            string text = _session.Render("$out");
            string header = HeaderLine(text);
            var labels = TableViews()[typeName];
            int at = 0;
            foreach (string label in labels)
            {
                int found = header.IndexOf(label, at, StringComparison.Ordinal);
                Assert.True(found >= 0, $"column '{label}' missing or out of order in:\n{text}");
                at = found + label.Length;
            }
            string[] lines = text.Split('\n');
            int headerIndex = Array.FindIndex(lines, l => l.TrimEnd() == header);
            Assert.Matches(@"^[- ]+$", lines[headerIndex + 1].TrimEnd());
        }

        /// <summary>The first non-blank line of rendered output: a table's header.</summary>
        public static string HeaderLine(string rendered) =>
            rendered.Split('\n').Select(l => l.TrimEnd()).First(l => l.Length > 0);

        /// <summary>Type name -> column headers of each table view in the built module's format file.</summary>
        static Dictionary<string, List<string>> TableViews()
        {
            string formatFile = Path.Combine(Path.GetDirectoryName(ModuleSession.RequireManifest()), "PSPeer.Format.ps1xml");
            var views = new Dictionary<string, List<string>>();
            foreach (var view in XDocument.Load(formatFile).Descendants("View"))
            {
                var table = view.Element("TableControl");
                if (table == null) continue;
                string type = view.Element("ViewSelectedBy")?.Element("TypeName")?.Value;
                var headers = table.Element("TableHeaders").Elements("TableColumnHeader").ToList();
                var items = table.Descendants("TableColumnItem").ToList();
                var labels = headers.Select((h, i) => h.Element("Label")?.Value ?? items.ElementAtOrDefault(i)?.Element("PropertyName")?.Value).ToList();
                if (type != null && !views.ContainsKey(type)) views[type] = labels;
            }
            return views;
        }

        public void Dispose() => _session.Dispose();
    }
}
