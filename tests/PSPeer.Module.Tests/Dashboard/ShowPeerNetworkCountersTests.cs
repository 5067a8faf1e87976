using System;
using System.Linq;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Dashboard
{
    /// <summary>
    /// The dashboard's once-a-second status carries Chord (lookups, messages, keys held) and Napster (searches, files
    /// indexed) counters, summed from the nodes' own counters, as any HTTP client reads them; and none for a protocol
    /// the scope does not have.
    /// </summary>
    public class ShowPeerNetworkCountersTests
    {
        static readonly TimeSpan StreamLimit = TimeSpan.FromSeconds(30);

        [Fact]
        public async Task The_status_counts_chord_lookups_messages_and_keys_and_napster_searches_and_files()
        {
            using (var session = new ModuleSession())
            using (var http = new DashboardHttp(ProtocolCountersScene.Start(session)))
            using (var stream = await http.OpenEventsAsync())
            {
                await stream.ReadUntilAsync(m => m.Any(x => x.Event == "status"), StreamLimit);
                var expected = ProtocolCountersScene.Act(session);
                // Nothing runs the ring or searches the index after Act: a later status shows exactly these totals.
                var messages = await stream.ReadUntilAsync(m => m.Any(x => x.Event == "status" && Matches(x.Data, expected)), StreamLimit);
                Assert.Contains(messages, x => x.Event == "status" && Matches(x.Data, expected));
            }
        }

        [Fact]
        public async Task A_scope_without_chord_or_napster_nodes_sends_no_table_for_them()
        {
            using (var session = new ModuleSession())
            {
                var shown = session.Run("$a = Start-PeerNode -Protocol Gnutella -Role Ultrapeer\nShow-PeerNetwork");
                shown.ShouldSucceed();
                using (var http = new DashboardHttp((string)shown.Output.Last().Properties["Url"].Value))
                using (var stream = await http.OpenEventsAsync())
                {
                    var messages = await stream.ReadUntilAsync(m => m.Any(x => x.Event == "status"), StreamLimit);
                    var status = JObject.Parse(messages.First(x => x.Event == "status").Data);
                    Assert.Empty((JObject)status["protocols"]);
                    Assert.NotNull(status["counters"]["messages"]);   // the Gnutella charts' counters are still there
                }
            }
        }

        static bool Matches(string statusJson, System.Collections.Generic.Dictionary<string, long> expected)
        {
            var shown = ProtocolCountersScene.Flatten(JObject.Parse(statusJson)["protocols"]);
            return expected.All(kv => shown.TryGetValue(kv.Key, out long v) && v == kv.Value);
        }
    }
}
