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
        static readonly TimeSpan DriverLimit = TimeSpan.FromSeconds(150);
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
                var driver = StartDriver(url, 3, shots, "<script>");
                var lines = new List<string>();
                string result = null;
                var finished = Task.Run(async () =>
                {
                    string line;
                    while ((line = await driver.StandardOutput.ReadLineAsync()) != null)
                    {
                        lock (lines) lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
                        if (line.StartsWith("DRAWN ", StringComparison.Ordinal))
                        {
                            // The page is open and drawn: search now, so its events reach the page live.
                            lock (lines) lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} searching");
                            var search = session.Run("Find-PeerFile 'Hey Jude' -Via (Get-PeerNode Gnutella-Leaf-1) -Timeout 5");
                            search.ShouldSucceed();
                            Assert.Contains(search.Output, o => (string)o.Properties["Name"].Value == EvilName);
                            await driver.StandardInput.WriteLineAsync("SEARCHED");
                            await driver.StandardInput.FlushAsync();
                        }
                        if (line.StartsWith("RESULT ", StringComparison.Ordinal)) result = line.Substring(7);
                    }
                });
                var stderr = driver.StandardError.ReadToEndAsync();
                bool exited = driver.WaitForExit((int)DriverLimit.TotalMilliseconds);
                if (!exited) { try { driver.Kill(true); } catch (InvalidOperationException) { } }
                await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(10)));
                if (finished.IsFaulted) await finished;   // an assertion in the search step
                string log = string.Join("\n", lines) + "\n" + await stderr;
                File.WriteAllText(Path.Combine(shots, "driver.log"), log);
                _output.WriteLine(log);
                Assert.True(exited, "the browser driver did not finish in time:\n" + log);
                Assert.True(driver.ExitCode == 0 && result != null, "the browser test failed:\n" + log);

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
                var driver = StartDriver(url, 200, shots, null);
                var lines = new List<string>();
                string result = null;
                long reached = -1;
                var finished = Task.Run(async () =>
                {
                    string line;
                    while ((line = await driver.StandardOutput.ReadLineAsync()) != null)
                    {
                        lock (lines) lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
                        if (line.StartsWith("DRAWN ", StringComparison.Ordinal))
                        {
                            // One flood of TTL 3 from node 0; the network counts the nodes it reached.
                            lock (lines) lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} flooding");
                            var flood = session.Run("$null = Find-PeerFile 'no such song' -Via $net.Nodes[0] -Ttl 3 -Timeout 2\n($net | Measure-PeerNetwork).MeanReach");
                            flood.ShouldSucceed();
                            reached = Convert.ToInt64(flood.Output.Single().BaseObject);
                            lock (lines) lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} flooded: {reached} nodes reached");
                            await driver.StandardInput.WriteLineAsync("SEARCHED");
                            await driver.StandardInput.FlushAsync();
                        }
                        if (line.StartsWith("RESULT ", StringComparison.Ordinal)) result = line.Substring(7);
                    }
                });
                var stderr = driver.StandardError.ReadToEndAsync();
                bool exited = driver.WaitForExit((int)DriverLimit.TotalMilliseconds);
                if (!exited) { try { driver.Kill(true); } catch (InvalidOperationException) { } }
                await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(10)));
                if (finished.IsFaulted) await finished;
                string log = string.Join("\n", lines) + "\n" + await stderr;
                File.WriteAllText(Path.Combine(shots, "driver.log"), log);
                _output.WriteLine(log);
                Assert.True(exited && driver.ExitCode == 0 && result != null, "the browser test failed:\n" + log);

                // The page counted the same nodes the network did (every node of 200 is drawn and watched).
                var flood = JObject.Parse(result)["flood"];
                Assert.Equal(reached, (long)flood["reached"]);
                Assert.True((int)JObject.Parse(result)["mostHeld"] > 0);
            }
        }

        const string RingMode = "--ring";

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
                var driver = StartDriver(url, 24, shots, RingMode);
                var lines = new List<string>();
                string result = null;
                string[] lookupPath = null;
                var finished = Task.Run(async () =>
                {
                    string line;
                    while ((line = await driver.StandardOutput.ReadLineAsync()) != null)
                    {
                        lock (lines) lines.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
                        if (line.StartsWith("DRAWN ", StringComparison.Ordinal))
                        {
                            var lookup = session.Run("(Find-PeerKey 'Hey Jude' -Via $net.Nodes[3]).Path");
                            lookup.ShouldSucceed();
                            lookupPath = lookup.Output.Select(o => nameAt[(string)o.BaseObject]).ToArray();
                            await driver.StandardInput.WriteLineAsync("SEARCHED");
                            await driver.StandardInput.FlushAsync();
                        }
                        if (line.StartsWith("RESULT ", StringComparison.Ordinal)) result = line.Substring(7);
                    }
                });
                var stderr = driver.StandardError.ReadToEndAsync();
                bool exited = driver.WaitForExit((int)DriverLimit.TotalMilliseconds);
                if (!exited) { try { driver.Kill(true); } catch (InvalidOperationException) { } }
                await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(10)));
                if (finished.IsFaulted) await finished;
                string log = string.Join("\n", lines) + "\n" + await stderr;
                File.WriteAllText(Path.Combine(shots, "driver.log"), log);
                _output.WriteLine(log);
                Assert.True(exited && driver.ExitCode == 0 && result != null, "the browser test failed:\n" + log);

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

        static Process StartDriver(string url, int nodes, string shots, string evilText)
        {
            var start = new ProcessStartInfo(BrowserTools.Node)
            {
                WorkingDirectory = BrowserTools.DriverFolder,
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            };
            var args = evilText == null
                ? new[] { "dashboard.mjs", "--simulated", url, nodes.ToString(), shots }
                : evilText == RingMode ? new[] { "dashboard.mjs", "--ring", url, nodes.ToString(), shots }
                : new[] { "dashboard.mjs", url, nodes.ToString(), shots, evilText };
            foreach (string arg in args) start.ArgumentList.Add(arg);
            start.Environment["PSPEER_CHROMIUM"] = BrowserTools.Chromium;
            return Process.Start(start);
        }
    }
}
