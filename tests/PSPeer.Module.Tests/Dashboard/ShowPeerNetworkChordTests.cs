using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Dashboard
{
    /// <summary>
    /// A Chord ring on the dashboard, as any HTTP client sees it: each node at its id's place on the circle, in id
    /// order, linked to its successor, with its distinct fingers and its address; and a lookup's path reaching the
    /// event stream as a list of contacts the page can follow to the drawn nodes.
    /// </summary>
    public class ShowPeerNetworkChordTests
    {
        static readonly TimeSpan StreamLimit = TimeSpan.FromSeconds(20);

        [Fact]
        public async Task A_ring_is_drawn_in_id_order_with_successor_links_fingers_and_a_lookup_s_path()
        {
            using (var session = new ModuleSession())
            {
                var shown = session.Run("$net = New-PeerNetwork -Protocol Chord -Count 24 -Simulated -Seed 5\n$d = Show-PeerNetwork $net\n$d");
                shown.ShouldSucceed();
                var rings = session.Run("foreach ($n in $net.Nodes) { Get-PeerRing -Node $n }");
                rings.ShouldSucceed();
                var views = rings.Output.Select(o => new
                {
                    Name = (string)o.Properties["Node"].Value,
                    Id = (string)o.Properties["Id"].Value,
                    EndPoint = (string)o.Properties["EndPoint"].Value,
                    Successor = ((string[])o.Properties["Successors"].Value).First(),
                    Fingers = (string[])o.Properties["Fingers"].Value,
                }).ToList();
                Assert.Equal(24, views.Count);
                var nameAt = views.ToDictionary(v => v.EndPoint, v => v.Name);

                using (var http = new DashboardHttp((string)shown.Output.Last().Properties["Url"].Value))
                {
                    var state = JObject.Parse((await http.GetAsync(http.WithToken("api/state"))).Body);
                    Assert.Equal("ring", (string)state["systems"].Single()["layout"]);
                    var nodes = ((JArray)state["nodes"]).ToList();

                    // In id order, each at id / 2^160 of the circle (the id's top 52 bits are all a double keeps).
                    Assert.Equal(views.OrderBy(v => v.Id, StringComparer.Ordinal).Select(v => v.Name), nodes.Select(n => (string)n["name"]));
                    var byName = views.ToDictionary(v => v.Name);
                    double previous = -1;
                    foreach (var n in nodes)
                    {
                        var view = byName[(string)n["name"]];
                        double expected = ulong.Parse(view.Id.Substring(0, 13), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / Math.Pow(16, 13);
                        double at = (double)n["ring"];
                        Assert.InRange(at, expected - 1e-12, expected + 1e-12);
                        Assert.True(at > previous, "ring positions must rise with the id");
                        previous = at;
                        Assert.Equal(view.EndPoint, (string)n["ep"]);
                        // Its distinct fingers, by index into nodes, as Get-PeerRing lists them (less itself).
                        var fingers = ((JArray)n["fingers"]).Select(f => (string)nodes[(int)f]["name"]).OrderBy(x => x, StringComparer.Ordinal);
                        Assert.Equal(view.Fingers.Select(f => nameAt[f]).Where(f => f != view.Name).Distinct().OrderBy(x => x, StringComparer.Ordinal), fingers);
                        Assert.NotEmpty(fingers);
                    }

                    // One link per node, to its successor.
                    var links = ((JArray)state["links"]).Select(l => ((string)nodes[(int)l[0]]["name"], (string)nodes[(int)l[1]]["name"])).ToList();
                    Assert.Equal(views.Select(v => (v.Name, nameAt[v.Successor])).OrderBy(x => x.Item1, StringComparer.Ordinal),
                        links.OrderBy(x => x.Item1, StringComparer.Ordinal));

                    using (var stream = await http.OpenEventsAsync())
                    {
                        await stream.ReadUntilAsync(m => m.Any(x => x.Event == "status"), StreamLimit);   // subscribed from here on
                        session.Run("Find-PeerKey 'Hey Jude' -Via $net.Nodes[3]").ShouldSucceed();
                        var messages = await stream.ReadUntilAsync(m => m.Any(x => x.Event == "events" && x.Data.Contains("ChordLookupCompleted")), StreamLimit);
                        var done = messages.Where(m => m.Event == "events").SelectMany(m => JArray.Parse(m.Data)).First(e => (string)e["y"] == "ChordLookupCompleted");
                        var path = ((JArray)done["d"]["Path"]).Select(c => (string)c).ToList();
                        Assert.NotEmpty(path);
                        // Every hop names a drawn node by the address the page maps it with.
                        var eps = new HashSet<string>(nodes.Select(n => (string)n["ep"]));
                        Assert.All(path, c => Assert.Contains(c.Substring(c.IndexOf('@') + 1), eps));
                    }
                }
            }
        }
    }
}
