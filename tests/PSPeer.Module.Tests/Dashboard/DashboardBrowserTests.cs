using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Newtonsoft.Json.Linq;
using System.Threading.Tasks;
using PSPeer.Module.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace PSPeer.Module.Tests.Dashboard
{
    /// <summary>
    /// The dashboard in Debian's chromium, driven by playwright-core (tests/browser/dashboard.mjs): a small live
    /// network's page draws its nodes, a search made while it is open shows its events, a shared file whose name holds
    /// "&lt;script&gt;" shows as text and runs nothing, and requests without the token are refused. Screenshots of each
    /// step stay in TestResults/browser/.
    /// </summary>
    public class DashboardBrowserTests
    {
        const string EvilName = "Hey Jude <script>window.pwned=1<img src=x onerror=window.pwned=2>.mp3";
        readonly ITestOutputHelper _output;

        public DashboardBrowserTests(ITestOutputHelper output) => _output = output;

        [BrowserFact]
        public async Task A_live_network_is_drawn_its_search_streams_in_and_hostile_names_stay_text()
        {
            using (var session = new ModuleSession())
            {
                string music = Path.Combine(session.Temp.Path, "music");
                Directory.CreateDirectory(music);
                File.WriteAllText(Path.Combine(music, EvilName), "na na na, na-na-na na");
                var started = session.Run(@"
$a    = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -SharedPath ./music
$b    = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Bootstrap $a
$leaf = Start-PeerNode -Protocol Gnutella -Role Leaf -Bootstrap $a, $b
Show-PeerNetwork");
                started.ShouldSucceed();
                string url = (string)started.Output[0].Properties["Url"].Value;

                string shots = BrowserTools.ArtifactFolder(nameof(A_live_network_is_drawn_its_search_streams_in_and_hostile_names_stay_text));
                await DashboardDriver.RunAsync(_output, shots, DashboardDriver.Live, url, 3, note =>
                {
                    note("searching");
                    var search = session.Run("Find-PeerFile 'Hey Jude' -Via (Get-PeerNode Gnutella-Leaf-1) -Timeout 5");
                    search.ShouldSucceed();
                    Assert.Contains(search.Output, o => (string)o.Properties["Name"].Value == EvilName);
                }, "<script>");

                foreach (string shot in new[] { "01-topology.png", "02-search-events.png", "03-file-name-as-text.png", "04-without-token.png" })
                    Assert.True(new FileInfo(Path.Combine(shots, shot)).Length > 1000, shot + " was not kept");

                // The server counted the refusals the browser and the driver met.
                var refused = session.Run("(Get-PeerDashboard)[0].RequestsRefused");
                Assert.True(Convert.ToInt64(refused.Output[0].BaseObject) >= 6, "refusals counted: " + refused.Output[0]);
            }
        }

        [BrowserFact]
        public async Task A_simulated_flood_is_replayed_on_virtual_time_and_its_reach_counted()
        {
            using (var session = new ModuleSession())
            {
                var started = session.Run("$net = New-PeerNetwork -Protocol Gnutella -Count 200 -Degree 4 -Simulated -Seed 11\nShow-PeerNetwork $net");
                started.ShouldSucceed();
                string url = (string)started.Output[0].Properties["Url"].Value;
                string shots = BrowserTools.ArtifactFolder(nameof(A_simulated_flood_is_replayed_on_virtual_time_and_its_reach_counted));
                long reached = -1;
                string result = await DashboardDriver.RunAsync(_output, shots, DashboardDriver.Simulated, url, 200, note =>
                {
                    // One flood of TTL 3 from node 0; the network counts the nodes it reached.
                    note("flooding");
                    var flood = session.Run("$null = Find-PeerFile 'no such song' -Via $net.Nodes[0] -Ttl 3 -Timeout 2\n($net | Measure-PeerNetwork).MeanReach");
                    flood.ShouldSucceed();
                    reached = Convert.ToInt64(flood.Output.Single().BaseObject);
                    note($"flooded: {reached} nodes reached");
                });

                // The page counted the same nodes the network did (every node of 200 is drawn and watched).
                var flood = JObject.Parse(result)["flood"];
                Assert.Equal(reached, (long)flood["reached"]);
                Assert.True((int)JObject.Parse(result)["mostHeld"] > 0);
            }
        }

        [BrowserFact]
        public async Task A_chord_ring_shows_a_clicked_node_s_fingers_and_a_lookup_s_path()
        {
            using (var session = new ModuleSession())
            {
                var started = session.Run("$net = New-PeerNetwork -Protocol Chord -Count 24 -Simulated -Seed 5\nShow-PeerNetwork $net");
                started.ShouldSucceed();
                string url = (string)started.Output[0].Properties["Url"].Value;
                var rings = session.Run("foreach ($n in $net.Nodes) { Get-PeerRing -Node $n }");
                rings.ShouldSucceed();
                var nameAt = rings.Output.ToDictionary(o => (string)o.Properties["EndPoint"].Value, o => (string)o.Properties["Node"].Value);
                var fingersOf = rings.Output.ToDictionary(o => (string)o.Properties["Node"].Value, o => (string[])o.Properties["Fingers"].Value);
                string shots = BrowserTools.ArtifactFolder(nameof(A_chord_ring_shows_a_clicked_node_s_fingers_and_a_lookup_s_path));
                string[] lookupPath = null;
                string result = await DashboardDriver.RunAsync(_output, shots, DashboardDriver.Ring, url, 24, note =>
                {
                    var lookup = session.Run("(Find-PeerKey 'Hey Jude' -Via $net.Nodes[3]).Path");
                    lookup.ShouldSucceed();
                    lookupPath = lookup.Output.Select(o => nameAt[(string)o.BaseObject]).ToArray();
                });

                // The page drew the clicked node's distinct fingers and the lookup's path, hop by hop, as the node reports them.
                var page = JObject.Parse(result);
                string NameOf(JToken id) => ((string)id).Substring(((string)id).IndexOf('/') + 1);
                string selected = NameOf(page["selected"]);
                var expectedFingers = fingersOf[selected].Select(f => nameAt[f]).Where(f => f != selected).Distinct().OrderBy(f => f, StringComparer.Ordinal);
                Assert.Equal(expectedFingers, page["fingers"].Select(NameOf).OrderBy(f => f, StringComparer.Ordinal));
                Assert.NotEmpty(lookupPath);
                Assert.Equal(lookupPath, page["path"].Select(NameOf));
            }
        }

        [BrowserFact]
        public async Task Chord_and_napster_counters_show_what_the_nodes_counted()
        {
            using (var session = new ModuleSession())
            {
                string url = ProtocolCountersScene.Start(session);
                string shots = BrowserTools.ArtifactFolder(nameof(Chord_and_napster_counters_show_what_the_nodes_counted));
                Dictionary<string, long> expected = null;
                string result = await DashboardDriver.RunAsync(_output, shots, DashboardDriver.Counters, url, ProtocolCountersScene.NodesDrawn, note =>
                {
                    expected = ProtocolCountersScene.Act(session);
                    note("counted: " + string.Join(", ", expected.Select(kv => kv.Key + "=" + kv.Value)));
                    return JObject.FromObject(expected).ToString(Newtonsoft.Json.Formatting.None);
                });

                // The page's table, read as text, says what the engine's nodes counted: one table per protocol.
                var page = JObject.Parse(result);
                var shown = ((JObject)page["counters"]).Properties().ToDictionary(p => p.Name, p => (long)p.Value);
                Assert.Equal(expected.OrderBy(kv => kv.Key), shown.OrderBy(kv => kv.Key));
                Assert.Equal(new[] { "Chord", "Napster" }, page["tables"].Select(t => (string)t));
                Assert.True(new FileInfo(Path.Combine(shots, "08-protocol-counters.png")).Length > 1000, "the screenshot was not kept");
            }
        }
    }
}
