using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Dashboard
{
    /// <summary>
    /// Show-PeerNetwork's server as any HTTP client sees it: the token on every request and on the event stream, read
    /// only, names from the network escaped, a simulated network unchanged by being watched, large networks sampled with
    /// only the drawn nodes subscribed, and the dashboard's lifetime (its network, the module).
    /// </summary>
    public class ShowPeerNetworkTests
    {
        static readonly TimeSpan StreamLimit = TimeSpan.FromSeconds(20);

        static string UrlOf(ScriptResult result) => (string)result.Output.Last().Properties["Url"].Value;

        [Fact]
        public async Task Every_request_needs_the_token_and_the_page_is_read_only()
        {
            using (var session = new ModuleSession())
            {
                var shown = session.Run("$index = Start-PeerNode -Protocol Napster -Role IndexServer\n$d = Show-PeerNetwork\n$d");
                shown.ShouldSucceed();
                using (var http = new DashboardHttp(UrlOf(shown)))
                {
                    var page = await http.GetAsync(http.WithToken(""));
                    Assert.Equal(HttpStatusCode.OK, page.Status);
                    Assert.Contains("dashboard.js?t=" + http.Token, page.Body);
                    Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(http.WithToken("dashboard.js"))).Status);
                    var state = JObject.Parse((await http.GetAsync(http.WithToken("api/state"))).Body);
                    Assert.Equal("Napster-IndexServer-1", (string)state["nodes"].Single()["name"]);

                    foreach (string path in new[] { "", "api/state", "api/events", "dashboard.js", "index.html" })
                        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(http.Base + path)).Status);
                    Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(http.Base + "api/state?t=" + http.Token.Substring(1))).Status);
                    Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(http.Base + "api/events?t=")).Status);
                    // A page elsewhere that points its own name at 127.0.0.1 sends its own Host: refused even with the token.
                    Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(http.WithToken("api/state"), host: "attacker.example:" + http.Port)).Status);
                    Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.GetAsync(http.WithToken("api/state"), "POST")).Status);
                    Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.GetAsync(http.WithToken("api/state"), "DELETE")).Status);
                }
                var refused = session.Run("$d.RequestsRefused");
                Assert.Equal(8L, Convert.ToInt64(refused.Output.Single().BaseObject));
            }
        }

        [Fact]
        public async Task Names_from_the_network_reach_the_event_stream_escaped()
        {
            using (var session = new ModuleSession())
            {
                string music = session.Temp.Sub("music");
                string evil = "Hey Jude <script>alert(1)<img src=x onerror=alert(2)>.mp3";
                File.WriteAllText(Path.Combine(music, evil), "na na na");
                var shown = session.Run(@"
$up   = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -SharedPath ./music
$leaf = Start-PeerNode -Protocol Gnutella -Role Leaf -Bootstrap $up
Show-PeerNetwork -Node $up, $leaf");
                shown.ShouldSucceed();
                using (var http = new DashboardHttp(UrlOf(shown)))
                using (var stream = await http.OpenEventsAsync())
                {
                    await stream.ReadUntilAsync(m => m.Any(x => x.Event == "status"), StreamLimit);   // subscribed from here on
                    var search = session.Run("Find-PeerFile 'Hey Jude' -Via $leaf -Timeout 5");
                    search.ShouldSucceed();
                    Assert.Equal(evil, (string)search.Output.Single().Properties["Name"].Value);

                    var messages = await stream.ReadUntilAsync(m => m.Any(x => x.Event == "events" && x.Data.Contains("SearchHit")), StreamLimit);
                    var hit = messages.Where(m => m.Event == "events").SelectMany(m => JArray.Parse(m.Data)).First(e => (string)e["y"] == "SearchHit");
                    Assert.Equal(evil, (string)hit["m"]);                         // the page gets the name itself, as text
                    Assert.Contains("\\u003cscript\\u003e", stream.Raw.ToString());   // sent with HTML's characters escaped
                    Assert.DoesNotContain("<script>", stream.Raw.ToString());
                    Assert.DoesNotContain("<img", stream.Raw.ToString());
                }
            }
        }

        [Fact]
        public async Task A_simulated_network_runs_the_same_while_a_page_watches_it()
        {
            using (var session = new ModuleSession())
            {
                var built = session.Run(@"
$quiet   = New-PeerNetwork -Protocol Gnutella -Count 300 -Simulated -Seed 7
$watched = New-PeerNetwork -Protocol Gnutella -Count 300 -Simulated -Seed 7
Show-PeerNetwork $watched");
                built.ShouldSucceed();
                using (var http = new DashboardHttp(UrlOf(built)))
                using (var stream = await http.OpenEventsAsync())
                {
                    await stream.ReadUntilAsync(m => m.Any(x => x.Event == "status"), StreamLimit);
                    Assert.Equal(300, Convert.ToInt32(session.Run("(Get-PeerDashboard).SubscribedNodeCount").Output.Single().BaseObject));

                    const string Flood = @"
$hits = Find-PeerFile 'Hey Jude' -Via $net.Nodes[3] -Ttl 4 | ForEach-Object { '{0} {1} {2}' -f $_.Source, $_.Hops, $_.Latency.Ticks }
$m = $net | Measure-PeerNetwork
@($hits) + @($m.MessagesSent, $m.Duplicates, $m.Hits, $m.MeanReach, $net.Elapsed.Ticks) -join '|'";
                    string quiet = (string)session.Run("$net = $quiet" + Flood).Output.Single().BaseObject;
                    string watched = (string)session.Run("$net = $watched" + Flood).Output.Single().BaseObject;
                    Assert.Equal(quiet, watched);
                    Assert.Contains(" ", quiet);   // the flood found something: the comparison is of a real run

                    // The page was fed the flood, stamped with virtual time.
                    var messages = await stream.ReadUntilAsync(m => m.Any(x => x.Event == "events" && x.Data.Contains("QueryReceived")), StreamLimit);
                    var received = messages.Where(m => m.Event == "events").SelectMany(m => JArray.Parse(m.Data)).First(e => (string)e["y"] == "QueryReceived");
                    Assert.StartsWith("net:", (string)received["s"]);
                    Assert.NotNull(received["d"]["hops"]);
                }
            }
        }

        [Fact]
        public async Task A_large_network_is_sampled_and_only_drawn_nodes_are_subscribed_while_a_page_is_open()
        {
            using (var session = new ModuleSession())
            {
                var built = session.Run("$net = New-PeerNetwork -Protocol Gnutella -Count 400 -Simulated -Seed 3\n$d = Show-PeerNetwork $net -MaxNodes 50\n$d");
                built.ShouldSucceed();
                int Subscribed() => Convert.ToInt32(session.Run("$d.SubscribedNodeCount").Output.Single().BaseObject);
                using (var http = new DashboardHttp(UrlOf(built)))
                {
                    var state = JObject.Parse((await http.GetAsync(http.WithToken("api/state"))).Body);
                    Assert.Equal(50, ((JArray)state["nodes"]).Count);
                    Assert.Equal(400, (int)state["systems"][0]["total"]);
                    Assert.Contains("sample", (string)state["systems"][0]["note"]);
                    Assert.Contains(state["nodes"], n => (string)n["name"] == "Gnutella-Network-1-0");   // the sample is around the first node
                    Assert.Equal(0, Subscribed());   // nobody is looking: nothing is subscribed

                    using (var stream = await http.OpenEventsAsync())
                    {
                        await stream.ReadUntilAsync(m => m.Any(x => x.Event == "status"), StreamLimit);
                        Assert.Equal(50, Subscribed());
                    }
                    Assert.True(await Poll(() => Subscribed() == 0), "the nodes stayed subscribed after the page left");
                }
            }
        }

        [Fact]
        public async Task A_swarm_shows_each_peer_s_pieces_and_the_links_to_its_tracker()
        {
            using (var session = new ModuleSession())
            {
                TempFolder.WriteRandomFile(session.Temp.Sub("build"), "app.zip", 300_000, seed: 5);
                var shown = session.Run(@"
$tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker
$t       = New-Torrent ./build/app.zip -Tracker $tracker -OutFile app.torrent -PieceSize 16KB
$seed    = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $t -SharedPath ./build
Show-PeerNetwork");
                shown.ShouldSucceed();
                using (var http = new DashboardHttp(UrlOf(shown)))
                {
                    var state = JObject.Parse((await http.GetAsync(http.WithToken("api/state"))).Body);
                    Assert.Equal(new[] { "Tracker", "Seeder" }, state["nodes"].Select(n => (string)n["role"]));
                    Assert.Single(state["links"]);   // the seeder announces to the tracker it names
                    using (var stream = await http.OpenEventsAsync())
                    {
                        var messages = await stream.ReadUntilAsync(m => m.Any(x => x.Event == "status"), StreamLimit);
                        var peer = JObject.Parse(messages.First(m => m.Event == "status").Data)["swarm"].Single();
                        Assert.Equal("Seeder", (string)peer["role"]);
                        Assert.Equal(1.0, (double)peer["progress"]);
                        Assert.Equal(19, (int)peer["pieces"]);                       // 300,000 bytes in 16 KiB pieces
                        Assert.Equal(new string('f', 19), (string)peer["have"]);     // one bucket a piece, all held
                    }
                }
            }
        }

        [Fact]
        public void It_stops_with_its_network_and_with_the_module()
        {
            using (var session = new ModuleSession())
            {
                var shown = session.Run("$net = New-PeerNetwork -Protocol Gnutella -Count 20 -Simulated -Seed 1\n$d = Show-PeerNetwork $net\n$d.Port");
                shown.ShouldSucceed();
                int port = Convert.ToInt32(shown.Output.Single().BaseObject);
                var stopped = session.Run("Stop-PeerNode -Network $net\n$d.State\n@(Get-PeerDashboard).Count");
                stopped.ShouldSucceed();
                Assert.Equal("Stopped", stopped.Output[0].ToString());
                Assert.Equal(0, Convert.ToInt32(stopped.Output[1].BaseObject));
                Assert.True(Ports.IsFree(port));

                var again = session.Run("(Show-PeerNetwork).Port");
                again.ShouldSucceed();
                int sessionPort = Convert.ToInt32(again.Output.Single().BaseObject);
                Assert.False(Ports.IsFree(sessionPort));
                session.Run("Remove-Module PSPeer").ShouldSucceed();
                Assert.True(Ports.IsFree(sessionPort));
            }
        }

        [Fact]
        public void A_taken_port_is_PortInUse_and_a_stopped_dashboard_stays_stopped()
        {
            var holder = new TcpListener(IPAddress.Loopback, 0);
            holder.Start();
            try
            {
                using (var session = new ModuleSession())
                {
                    int taken = ((IPEndPoint)holder.LocalEndpoint).Port;
                    var result = session.Run($"Show-PeerNetwork -Port {taken}");
                    Assert.StartsWith("PortInUse", result.AllErrors.Single().FullyQualifiedErrorId);
                    var stopped = session.Run("$d = Show-PeerNetwork\n$d | Stop-PeerDashboard -PassThru\n$d.Stop()\n$d.State");
                    stopped.ShouldSucceed();
                    Assert.Equal("Stopped", stopped.Output.Last().ToString());
                    Assert.Equal("Stopped", stopped.Output[0].Properties["State"].Value.ToString());
                }
            }
            finally { holder.Stop(); }
        }

        static async Task<bool> Poll(Func<bool> condition)
        {
            for (int i = 0; i < 100; i++)
            {
                if (condition()) return true;
                await Task.Delay(100);
            }
            return condition();
        }
    }
}
