using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>New-PeerNetwork, Invoke-PeerSimulation, Measure-PeerNetwork and the node cmdlets on a network's nodes.</summary>
    public class PeerNetworkTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        const string Build = "$net = New-PeerNetwork -Protocol Gnutella -Count 300 -Topology Random -Degree 4 -Simulated -Seed 1\n";

        [Fact]
        public void A_simulated_network_answers_Find_PeerFile_with_hops_and_Measure_reports_the_flood()
        {
            var result = _session.Run(Build + @"
                $hits = @(Find-PeerFile 'Hey Jude' -Via $net.Nodes[0] -Ttl 4)
                $m = $net | Measure-PeerNetwork
                [pscustomobject]@{ Net = $net; Hits = $hits; M = $m }");

            result.ShouldSucceed();
            var o = result.Output.Single();
            var net = (PSObject)o.Properties["Net"].Value;
            Assert.Equal(300, net.Properties["Count"].Value);
            Assert.Equal(true, net.Properties["Simulated"].Value);
            Assert.Equal(300, ((Array)net.Properties["Nodes"].Value).Length);
            Assert.True((TimeSpan)net.Properties["Elapsed"].Value > TimeSpan.Zero);
            var hits = ((object[])o.Properties["Hits"].Value).Cast<PSObject>().ToList();
            Assert.NotEmpty(hits);
            Assert.All(hits, h => Assert.Equal("The Beatles - Hey Jude.mp3", h.Properties["Name"].Value));
            Assert.All(hits, h => Assert.InRange((int)h.Properties["Hops"].Value, 1, 4));
            var m = (PSObject)o.Properties["M"].Value;
            Assert.Equal("PSPeer.PeerNetworkMeasurement", m.TypeNames[0]);
            Assert.Equal(1, m.Properties["Searches"].Value);
            Assert.Equal(hits.Count, m.Properties["Hits"].Value);
            Assert.Equal(1L, m.Properties["Floods"].Value);
            Assert.True((double)m.Properties["MeanReach"].Value > 4);
            Assert.True((long)m.Properties["QueryMessages"].Value > 0);
            // Building showed progress, and ended it.
            Assert.NotEmpty(result.Progress);
            Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
        }

        [Fact]
        public void The_same_seed_gives_the_same_hits()
        {
            var result = _session.Run(@"
                1..2 | ForEach-Object {
                    $n = New-PeerNetwork -Count 200 -Topology PowerLaw -Degree 4 -UltrapeerFraction 0.5 -Simulated -Seed 7
                    (Find-PeerFile 'Hey Jude' -Via $n.Nodes[3] | ForEach-Object { ""$($_.Source)/$($_.Hops)"" }) -join ';'
                    $n | Stop-PeerNode
                }");

            result.ShouldSucceed();
            Assert.Equal(2, result.Output.Count);
            Assert.NotEqual("", result.Output[0].BaseObject);
            Assert.Equal(result.Output[0].BaseObject, result.Output[1].BaseObject);
        }

        [Fact]
        public void Invoke_PeerSimulation_advances_virtual_time_and_churn_shows_in_the_measurement()
        {
            var result = _session.Run(Build + @"
                $before = $net.Elapsed
                $after = ($net | Invoke-PeerSimulation -Duration 30 -ChurnPerSecond 1 -Downtime 5).Elapsed
                $m = $net | Measure-PeerNetwork
                [pscustomobject]@{ Advanced = ($after - $before).TotalSeconds; Left = $m.NodesLeft; Joined = $m.NodesJoined }");

            result.ShouldSucceed();
            var o = result.Output.Single();
            Assert.Equal(30.0, (double)o.Properties["Advanced"].Value, 3);
            Assert.InRange((int)o.Properties["Left"].Value, 5, 80);
            Assert.True((int)o.Properties["Joined"].Value > 0);
        }

        [Fact]
        public void Network_nodes_are_not_session_nodes_but_Get_PeerNode_Network_lists_them()
        {
            var result = _session.Run(Build + @"
                @(Get-PeerNode).Count
                @(Get-PeerNode -Network $net).Count
                @(Get-PeerNode -Network $net -Name 'Gnutella-Network-1-1?').Count");

            result.ShouldSucceed();
            Assert.Equal(new object[] { 0, 300, 10 }, result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void Watch_PeerEvent_on_a_simulated_network_runs_it_and_merges_its_nodes_events()
        {
            var result = _session.Run(Build + @"
                $null = Find-PeerFile 'Hey Jude' -Via $net.Nodes[0] -Ttl 3 -Timeout 0.001
                $net | Watch-PeerEvent -Type QueryReceived -Count 5 -Timeout 10");

            result.ShouldSucceed();
            var events = result.Output.Select(o => o.BaseObject).ToList();
            Assert.Equal(5, events.Count);
            Assert.All(result.Output, e => Assert.Equal("QueryReceived", e.Properties["Type"].Value));
            Assert.True(result.Output.Select(e => (string)e.Properties["Node"].Value).Distinct().Count() > 1);
        }

        [Fact]
        public void Stop_PeerNode_stops_a_network_and_Remove_Module_stops_what_is_left()
        {
            var result = _session.Run(Build + @"
                $other = New-PeerNetwork -Count 20 -Simulated -Seed 2
                $third = New-PeerNetwork -Count 20 -Simulated -Seed 3
                $net | Stop-PeerNode
                Stop-PeerNode -Network $third
                $net.IsStopped
                @($net.Nodes | Where-Object { $_.State -eq 'Running' }).Count
                $other");

            result.ShouldSucceed();
            Assert.Equal(true, result.Output[0].BaseObject);
            Assert.Equal(0, result.Output[1].BaseObject);
            Assert.Equal(false, ((PSObject)result.Output[2]).Properties["IsStopped"].Value);
            Assert.Equal(true, _session.Run("$third.IsStopped").Output.Single().BaseObject);
            PSPeer.Host.Session.PeerSessionFactory.RemoveModule(_session.Runspace);
            var after = _session.Run("$other.IsStopped; @($other.Nodes | Where-Object { $_.State -eq 'Running' }).Count");
            Assert.Equal(new object[] { true, 0 }, after.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void A_live_network_too_large_for_loopback_is_refused_with_a_clear_error()
        {
            var result = _session.Run("New-PeerNetwork -Protocol Gnutella -Count 5000");

            var error = Assert.Single(result.AllErrors);
            Assert.Equal("PeerNetworkTooLarge,PSPeer.NewPeerNetworkCommand", error.FullyQualifiedErrorId);
            Assert.Contains("-Simulated", error.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void A_hit_found_in_a_simulated_network_cannot_be_downloaded_to_this_machine()
        {
            var result = _session.Run(Build + "Find-PeerFile 'Hey Jude' -Via $net.Nodes[0] -First 1 | Receive-PeerFile -Destination $downloads",
                new Dictionary<string, object> { ["downloads"] = _session.Temp.Sub("downloads") });

            Assert.Equal("PeerNodeSimulated,PSPeer.ReceivePeerFileCommand", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
            Assert.Empty(result.OfType("PSPeer.PeerDownload"));
        }

        [Fact]
        public void Invoke_PeerSimulation_refuses_a_live_network()
        {
            var result = _session.Run("$net = New-PeerNetwork -Count 3 -Degree 2\n$net | Invoke-PeerSimulation -Duration 1");

            Assert.Equal("PeerNetworkNotSimulated,PSPeer.InvokePeerSimulationCommand", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void A_live_network_finds_and_downloads_hey_jude()
        {
            var downloads = _session.Temp.Sub("downloads");
            var result = _session.Run(@"
                $net = New-PeerNetwork -Protocol Gnutella -Count 6 -Degree 2 -SharingFraction 0.5 -Seed 3
                Find-PeerFile 'Hey Jude' -Via $net.Nodes[0] -First 1 -Timeout 5 | Receive-PeerFile -Destination $downloads
                ($net | Measure-PeerNetwork).Searches", new Dictionary<string, object> { ["downloads"] = downloads });

            result.ShouldSucceed();
            var download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            Assert.Equal(true, download.Properties["Verified"].Value);
            Assert.Equal(1, result.Output.Last().BaseObject);
        }

        [Fact]
        public void The_flood_example_reproduces_breadth_first_reach_and_survives_churn()
        {
            var result = _session.Run("& $example -Count 1000",
                new Dictionary<string, object> { ["example"] = System.IO.Path.Combine(ModuleSession.RepoRoot, "examples", "gnutella-flood.ps1") },
                TimeSpan.FromMinutes(3));

            result.ShouldSucceed();
            var summary = result.Output.Last();
            Assert.Equal(true, summary.Properties["ReachMatchesBfs"].Value);
            Assert.Equal(true, summary.Properties["ReachGrows"].Value);
            Assert.True((int)summary.Properties["HitsAtTtl5"].Value > 0);
            Assert.True((int)summary.Properties["TieredHits"].Value > 0);
            Assert.True((long)summary.Properties["FilteredByQrp"].Value > 0);
            Assert.True((int)summary.Properties["NodesLeft"].Value > 0);
            Assert.True((int)summary.Properties["HitsAfterChurn"].Value > 0);
            Assert.Contains("Msgs/Flood", _session.HostOutput);
            // The per-TTL rows print as one table, not as seven-line lists.
            Assert.Matches(@"Ttl\s+Reached\s+Predicted\s+Messages\s+Duplicates\s+Hits\s+MeanHops", _session.HostOutput);
            Assert.DoesNotMatch(@"(?m)^Ttl\s+:", _session.HostOutput);
        }

        public void Dispose() => _session.Dispose();
    }
}
