using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Dashboard
{
    /// <summary>
    /// What the dashboard's Chord and Napster counters are checked against, for the HTTP test and the browser test
    /// alike: a simulated Chord ring of 16 nodes and a live Napster index with a sharer (three files) and a searcher;
    /// then keys stored and looked up on the ring and one search through the index.
    /// </summary>
    internal static class ProtocolCountersScene
    {
        public const int RingNodes = 16, SharedFiles = 3, KeysSet = 2, Lookups = 2;
        /// <summary>Nodes the page draws: the ring, the index, the sharer and the searcher.</summary>
        public const int NodesDrawn = RingNodes + 3;

        /// <summary>Starts the scene and a dashboard over the whole session; returns its URL.</summary>
        public static string Start(ModuleSession session)
        {
            string music = session.Temp.Sub("music");
            foreach (string name in new[] { "Hey Jude.mp3", "Let It Be.mp3", "Yesterday.mp3" }.Take(SharedFiles))
                File.WriteAllText(Path.Combine(music, name), "na na na " + name);
            var started = session.Run($@"
$net    = New-PeerNetwork -Protocol Chord -Count {RingNodes} -Simulated -Seed 7
$index  = Start-PeerNode -Protocol Napster -Role IndexServer
$sharer = Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath ./music
$seeker = Start-PeerNode -Protocol Napster -IndexServer $index
Show-PeerNetwork");
            started.ShouldSucceed();
            return (string)started.Output.Last().Properties["Url"].Value;
        }

        /// <summary>
        /// Stores and looks up keys on the ring and searches the index once; returns the totals the engine's nodes
        /// then hold, by "Protocol.counter", as the page and the status should show them.
        /// </summary>
        public static Dictionary<string, long> Act(ModuleSession session)
        {
            var acted = session.Run($@"
$deadline = [DateTime]::UtcNow.AddSeconds(30)
while ($index.SharedFileCount -lt {SharedFiles} -and [DateTime]::UtcNow -lt $deadline) {{ Start-Sleep -Milliseconds 50 }}
Set-PeerKey 'song-1' 'one' -Via $net.Nodes[0]
Set-PeerKey 'song-2' 'two' -Via $net.Nodes[1]
$null = Find-PeerKey 'song-1', 'song-2' -Via $net.Nodes[5]
$hits = @(Find-PeerFile 'Hey Jude' -Via $seeker -Timeout 5)
$hits.Count");
            acted.ShouldSucceed();
            Assert.Equal(1, (int)acted.Output.Single().BaseObject);
            // The nodes' own counters, read from the engine objects behind the PeerNodes (what the dashboard sums).
            var read = session.Run(@"
$flags = [Reflection.BindingFlags]'NonPublic,Instance'
function EngineOf($node) { $node.GetType().GetProperty('Engine', $flags).GetValue($node) }
$lookups = 0; $messages = 0; $keys = 0
foreach ($n in $net.Nodes) { $e = EngineOf $n; $lookups += $e.Counters.Lookups; $messages += $e.Counters.DatagramsOut; $keys += $e.StoredKeyCount }
$i = EngineOf $index
@{ 'Chord.nodes' = $net.Nodes.Count; 'Chord.lookups' = $lookups; 'Chord.messages' = $messages; 'Chord.keys' = $keys
   'Napster.servers' = 1; 'Napster.searches' = $i.SearchCount; 'Napster.files' = $i.IndexedFileCount } | ConvertTo-Json -Compress");
            read.ShouldSucceed();
            var expected = JObject.Parse((string)read.Output.Single().BaseObject).Properties().ToDictionary(p => p.Name, p => (long)p.Value);
            // What the scene did, so a counter that stayed at zero or counted something else shows.
            Assert.Equal(RingNodes, expected["Chord.nodes"]);
            Assert.True(expected["Chord.lookups"] >= Lookups, "lookups: " + expected["Chord.lookups"]);
            Assert.True(expected["Chord.keys"] >= KeysSet, "keys held: " + expected["Chord.keys"]);
            Assert.True(expected["Chord.messages"] > 0);
            Assert.Equal(1, expected["Napster.searches"]);
            Assert.Equal(SharedFiles, expected["Napster.files"]);
            return expected;
        }

        /// <summary>The status's "protocols" object as "Protocol.counter" totals.</summary>
        public static Dictionary<string, long> Flatten(JToken protocols) =>
            ((JObject)protocols).Properties()
                .SelectMany(p => ((JObject)p.Value).Properties().Select(c => (Key: p.Name + "." + c.Name, Value: (long)c.Value)))
                .ToDictionary(x => x.Key, x => x.Value);
    }
}
