using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests
{
    /// <summary>
    /// Every output type converts cleanly (ConvertTo-Json without a depth warning, Export-Csv, Format-List): only
    /// user-level properties, no engine handles (PeerEvent: WatchPeerEventTests). Content hashes also in hex.
    /// </summary>
    public class ObjectShapeTests : IDisposable
    {
        static readonly Dictionary<string, string> Producers = new Dictionary<string, string>
        {
            ["PSPeer.PeerNode"] = "$alice; $index",
            ["PSPeer.PeerSearchHit"] = "Find-PeerFile 'Hey Jude' -Via $alice",
            ["PSPeer.PeerDownload"] = "Find-PeerFile 'Hey Jude' -Via $alice | Receive-PeerFile -Destination $downloads",
            ["PSPeer.PeerSharedFile"] = "Publish-PeerFile -Path $extra -Via $bob -PassThru",
            ["PSPeer.TorrentInfo"] = "New-Torrent -Path $extra -Tracker http://127.0.0.1:6969/announce",
            ["PSPeer.PeerNetwork"] = "New-PeerNetwork -Protocol Gnutella -Count 20 -Simulated",
            ["PSPeer.PeerNetworkMeasurement"] = "New-PeerNetwork -Protocol Gnutella -Count 20 -Simulated | Measure-PeerNetwork",
        };

        readonly ModuleSession _session = new ModuleSession();

        public static IEnumerable<object[]> OutputTypes() => Producers.Keys.Select(k => new object[] { k });

        ScriptResult Produce(string script)
        {
            var scenario = new NapsterScenario(_session);
            var variables = scenario.Variables;
            variables["extra"] = TempFolder.WriteRandomFile(_session.Temp.Sub("more"), "Yesterday.mp3", 50_000, seed: 3);
            variables["heyJude"] = scenario.HeyJude;
            return _session.Run(NapsterScenario.StartScript + script, variables);
        }

        [Theory]
        [MemberData(nameof(OutputTypes))]
        public void Output_holds_user_level_properties_only(string typeName)
        {
            var result = Produce(Producers[typeName]);

            result.ShouldSucceed();
            var objects = result.OfType(typeName).ToList();
            Assert.NotEmpty(objects);
            foreach (var obj in objects) PlainObject.AssertPlain(obj);
        }

        [Fact]
        public void Nodes_show_what_scripts_used_the_engine_for()
        {
            var result = Produce(@"
                $net = New-PeerNetwork -Protocol Gnutella -Count 20 -Simulated -Seed 1
                $index.ConnectionCount
                $net.Nodes[0].ConnectionCount -gt 0
                $null -eq $alice.ConnectionCount
                $alice.PSObject.Properties.Name -contains 'Engine'");

            result.ShouldSucceed();
            Assert.Equal(new object[] { 2, true, true, false }, result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void Content_hashes_are_also_hex_as_Get_FileHash_prints_them()
        {
            var result = Produce(@"
                $hit = Find-PeerFile 'Hey Jude' -Via $alice
                $download = $hit | Receive-PeerFile -Destination $downloads
                $hit.Sha1
                $download.Sha1");

            result.ShouldSucceed();
            string expected;
            using (var sha = System.Security.Cryptography.SHA1.Create())
                expected = Convert.ToHexString(sha.ComputeHash(File.ReadAllBytes(new NapsterScenario(_session).HeyJude)));
            Assert.Equal(new object[] { expected, expected }, result.Output.Select(o => o.BaseObject));
        }

        public void Dispose() => _session.Dispose();
    }
}
