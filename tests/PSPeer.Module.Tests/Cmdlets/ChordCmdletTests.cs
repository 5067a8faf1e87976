using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>
    /// The Chord cmdlets in a real runspace: a live ring on loopback (Start-PeerNode -Protocol Chord, the key cmdlets,
    /// Get-PeerRing, file sharing over the ring), simulated rings through the protocol-neutral network cmdlets, the
    /// output objects' shape and views, completion, and examples/chord-ring.ps1.
    /// </summary>
    public class ChordCmdletTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        const string Ring = @"
            $a = Start-PeerNode -Protocol Chord -Name ca
            $b = Start-PeerNode -Protocol Chord -Name cb -Bootstrap $a
            $c = Start-PeerNode -Protocol Chord -Name cc -Bootstrap $b
";

        [Fact]
        public void Find_PeerKey_emits_a_PeerLookup_whose_owner_holds_the_value()
        {
            var result = _session.Run(Ring + @"
                $stored = Set-PeerKey -Via $a -Key 'Hey Jude' -Value 'http://127.0.0.1:8080/get/0/Hey Jude.mp3' -PassThru
                $found = Find-PeerKey 'Hey Jude' -Via $c -Mode Recursive
                $owner = Get-PeerNode | Where-Object EndPoint -eq $found.Owner
                [pscustomobject]@{ Stored = $stored; Found = $found; OwnerKeys = (Get-PeerRing -Node $owner).StoredKeys; Value = Get-PeerKey 'Hey Jude' -Via $b }");

            result.ShouldSucceed();
            var o = result.Output.Single();
            var found = (PSObject)o.Properties["Found"].Value;
            Assert.Equal("PSPeer.PeerLookup", found.TypeNames[0]);
            Assert.Equal("Hey Jude", found.Properties["Key"].Value);
            Assert.Equal("Recursive", found.Properties["Mode"].Value.ToString());
            Assert.Equal(((PSObject)o.Properties["Stored"].Value).Properties["Owner"].Value, found.Properties["Owner"].Value);
            Assert.Equal((int)found.Properties["Hops"].Value + 1, ((string[])found.Properties["Path"].Value).Length);
            Assert.True((int)o.Properties["OwnerKeys"].Value >= 1);
            Assert.Equal("http://127.0.0.1:8080/get/0/Hey Jude.mp3", o.Properties["Value"].Value?.ToString());
        }

        [Fact]
        public void Key_cmdlets_default_to_the_most_recent_Chord_node_and_refuse_other_protocols()
        {
            var result = _session.Run(Ring + @"
                (Find-PeerKey 'x').Via
                $index = Start-PeerNode -Protocol Napster -Role IndexServer
                Get-PeerKey 'x' -Via $index");

            Assert.Equal("cc", result.Output.First().BaseObject);
            Assert.Contains(result.AllErrors, e => e.FullyQualifiedErrorId == "NodeNotChord,PSPeer.GetPeerKeyCommand");
        }

        [Fact]
        public void Chord_file_sharing_finds_and_downloads_through_another_node()
        {
            string music = _session.Temp.Sub("music");
            string song = TempFolder.WriteRandomFile(music, "The Beatles - Hey Jude.mp3", 80_000, seed: 12);
            var result = _session.Run(@"
                $a = Start-PeerNode -Protocol Chord -SharedPath $music
                $b = Start-PeerNode -Protocol Chord -Bootstrap $a
                Find-PeerFile 'Hey Jude' -Via $b | Receive-PeerFile -Destination $dest",
                new Dictionary<string, object> { ["music"] = music, ["dest"] = _session.Temp.Sub("downloads") });

            result.ShouldSucceed();
            var download = result.Output.Single();
            Assert.Equal(true, download.Properties["Verified"].Value);
            Assert.Equal(System.IO.File.ReadAllBytes(song), System.IO.File.ReadAllBytes((string)download.Properties["Path"].Value));
        }

        [Fact]
        public void Chord_nodes_events_include_the_sharing_beside_them()
        {
            string music = _session.Temp.Sub("music2");
            TempFolder.WriteRandomFile(music, "Yesterday.mp3", 1000, seed: 5);
            var result = _session.Run(@"
                $a = Start-PeerNode -Protocol Chord
                $null = Register-ObjectEvent $a -EventName EventReceived -SourceIdentifier chord-events
                Publish-PeerFile -Path (Join-Path $music 'Yesterday.mp3') -Via $a
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                while (-not (@(Get-Event | Where-Object SourceIdentifier -eq 'chord-events') | Where-Object { $_.SourceEventArgs.Event.Type -eq 'FileShared' }) -and [DateTime]::UtcNow -lt $deadline) {
                    Start-Sleep -Milliseconds 100
                }
                Unregister-Event -SourceIdentifier chord-events
                [bool](@(Get-Event | Where-Object SourceIdentifier -eq 'chord-events') | Where-Object { $_.SourceEventArgs.Event.Type -eq 'FileShared' })",
                new Dictionary<string, object> { ["music"] = music });

            result.ShouldSucceed();
            Assert.Equal(true, result.Output.Last().BaseObject);
        }

        [Fact]
        public void Lookups_and_rings_hold_user_level_properties_and_render_as_their_views()
        {
            var result = _session.Run(Ring + @"
                $ring = New-PeerNetwork -Protocol Chord -Count 64 -Simulated
                $outputs = @(Find-PeerKey 'x' -Via $a; Get-PeerRing -Node $b; $ring | Invoke-PeerSimulation -Lookups 50 | Measure-PeerNetwork)
                $outputs");

            result.ShouldSucceed();
            Assert.Equal(new[] { "PSPeer.PeerLookup", "PSPeer.PeerRing", "PSPeer.PeerChordMeasurement" }, result.Output.Select(o => o.TypeNames[0]));
            foreach (var obj in result.Output) PlainObject.AssertPlain(obj);
            string lookup = _session.Render("$outputs[0]");
            Assert.Contains("Owner", lookup);
            Assert.Matches(@"\d+ ms", lookup);
            Assert.Matches(@"[0-9a-f]{8}", _session.Render("$outputs[1]"));
            Assert.Contains("MeanHops", _session.Render("$outputs[2]"));
        }

        [Theory]
        [InlineData("Start-PeerNode -Protocol Chord -Role ", "Peer,Client")]
        [InlineData("Start-PeerNode -Protocol Chord -Bootstrap ", "ca,cb")]
        [InlineData("Find-PeerKey x -Via ", "ca,cb")]
        [InlineData("Get-PeerRing -Node ", "ca,cb")]
        public void Completion_offers_Chord_roles_and_Chord_nodes(string line, string expected)
        {
            _session.Run(@"
                $a = Start-PeerNode -Protocol Chord -Name ca
                $b = Start-PeerNode -Protocol Chord -Name cb -Bootstrap $a
                $null = Start-PeerNode -Protocol Gnutella -Name gnu").ShouldSucceed();
            var result = _session.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText",
                new Dictionary<string, object> { ["line"] = line });
            result.ShouldSucceed();
            Assert.Equal(expected.Split(','), result.Output.Select(o => (string)o.BaseObject));
        }

        [Fact]
        public void A_simulated_ring_runs_through_the_same_network_cmdlets()
        {
            var result = _session.Run(@"
                $ring = New-PeerNetwork -Protocol Chord -Count 512 -Simulated -Seed 3
                $m = $ring | Invoke-PeerSimulation -Lookups 500 | Measure-PeerNetwork
                $lookup = Find-PeerKey 'Hey Jude' -Via $ring.Nodes[3]
                [pscustomobject]@{ Ring = $ring; M = $m; Lookup = $lookup }
                $ring | Stop-PeerNode");

            result.ShouldSucceed();
            var o = result.Output.Single();
            var ring = (PSObject)o.Properties["Ring"].Value;
            Assert.Equal("Chord", ring.Properties["Protocol"].Value);
            Assert.Equal(512, ring.Properties["Count"].Value);
            Assert.Null(ring.Properties["Degree"].Value);
            var m = (PSObject)o.Properties["M"].Value;
            Assert.Equal("PSPeer.PeerChordMeasurement", m.TypeNames[0]);
            Assert.Equal(500, m.Properties["Lookups"].Value);
            Assert.InRange((double)m.Properties["MeanHops"].Value, 3.0, 5.5);     // ½·log2 512 = 4.5
            Assert.Equal(true, ((PSObject)o.Properties["Lookup"].Value).Properties["Succeeded"].Value);
            // Building showed progress, and ended it.
            Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
        }

        [Fact]
        public void Ctrl_C_stops_a_long_simulation_and_leaves_the_ring_usable()
        {
            _session.Run("$ring = New-PeerNetwork -Protocol Chord -Count 2000 -Simulated").ShouldSucceed();
            using (var ps = PowerShell.Create())
            {
                ps.Runspace = _session.Runspace;
                ps.AddScript("$ring | Invoke-PeerSimulation -Duration 100000 -LookupsPerSecond 50");
                var running = ps.BeginInvoke();
                System.Threading.Thread.Sleep(500);
                ps.Stop();
                Assert.True(running.IsCompleted || running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)), "Invoke-PeerSimulation did not stop");
            }
            var after = _session.Run("$ring.Elapsed.TotalSeconds -lt 100000; (Find-PeerKey 'x' -Via $ring.Nodes[1]).Succeeded");
            after.ShouldSucceed();
            Assert.Equal(new object[] { true, true }, after.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void The_chord_ring_example_stores_finds_shares_and_reproduces_the_paper()
        {
            var result = _session.Run("& $example -LiveNodes 8 -Keys 5 -MaxExponent 9 -Lookups 300",
                new Dictionary<string, object> { ["example"] = System.IO.Path.Combine(ModuleSession.RepoRoot, "examples", "chord-ring.ps1") },
                TimeSpan.FromMinutes(4));

            result.ShouldSucceed();
            var summary = result.Output.Last();
            Assert.Equal(true, summary.Properties["RingSettled"].Value);
            Assert.Equal(5, summary.Properties["KeysReadBack"].Value);
            Assert.Equal(5, summary.Properties["OwnersAgree"].Value);
            Assert.Equal(1, summary.Properties["HitCount"].Value);
            Assert.Equal(true, summary.Properties["DownloadVerified"].Value);
            Assert.Equal(true, summary.Properties["BytesMatch"].Value);
            var rows = ((object[])summary.Properties["PathLength"].Value).Cast<PSObject>().ToList();
            Assert.Equal(4, rows.Count);   // N = 2^6 .. 2^9
            Assert.All(rows, r => Assert.InRange((double)r.Properties["MeanHops"].Value - (double)r.Properties["HalfLog2N"].Value, -1.5, 1.0));
            Assert.Equal(0, _session.Run("(Get-PeerNode).Count").Output.Single().BaseObject);
        }

        public void Dispose() => _session.Dispose();
    }
}
