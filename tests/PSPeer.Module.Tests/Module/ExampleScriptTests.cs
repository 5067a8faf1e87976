using System.Collections.Generic;
using System.IO;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests
{
    /// <summary>
    /// Every script in examples/ runs to the end without an error, the way users run it, and its summary says it did
    /// what it shows. Each example has one test that runs it (here or beside the cmdlets it demonstrates), so no
    /// example runs twice per suite.
    /// </summary>
    public class ExampleScriptTests
    {
        /// <summary>Example -> the test that runs it and calls ShouldSucceed (no terminating error, no error records).</summary>
        static readonly Dictionary<string, string> TestedBy = new Dictionary<string, string>
        {
            ["event-trace.ps1"] = nameof(Event_trace_records_what_the_nodes_did_and_reads_it_back_from_JSON_Lines),
            ["gnutella-flood.ps1"] = "PeerNetworkTests (runs the example and checks its summary)",
            ["gnutella-live.ps1"] = "GnutellaNodeTests." + nameof(Cmdlets.GnutellaNodeTests.The_live_example_downloads_hey_jude_from_the_servent_that_answered),
            ["hey-jude.ps1"] = nameof(Hey_Jude_finds_both_songs_and_downloads_verified_identical_bytes),
            ["torrent-swarm.ps1"] = nameof(Torrent_swarm_completes_every_leecher_with_identical_bytes_and_receives_one_more_copy),
            ["nat-lab.ps1"] = "Hosts.NatLabExampleTests (runs it as root, or checks that it says what it needs)",
            ["chord-ring.ps1"] = "ChordCmdletTests." + nameof(Cmdlets.ChordCmdletTests.The_chord_ring_example_stores_finds_shares_and_reproduces_the_paper),
            ["charts.ps1"] = "Cmdlets.ExportPeerChartTests." + nameof(Cmdlets.ExportPeerChartTests.The_charts_example_writes_the_flooding_swarm_and_chord_charts),
        };

        static ScriptResult RunExample(ModuleSession session, string name) =>
            session.Run("& $example", new Dictionary<string, object> { ["example"] = Path.Combine(ModuleSession.RepoRoot, "examples", name) },
                System.TimeSpan.FromMinutes(3));

        [Fact]
        public void Every_example_has_a_test_that_runs_it()
        {
            var examples = Directory.GetFiles(Path.Combine(ModuleSession.RepoRoot, "examples"), "*.ps1").Select(Path.GetFileName);

            var untested = examples.Where(e => !TestedBy.ContainsKey(e)).ToList();
            Assert.True(untested.Count == 0, "add a test that runs (ShouldSucceed) and checks: " + string.Join(", ", untested));
        }

        [Fact]
        public void Hey_Jude_finds_both_songs_and_downloads_verified_identical_bytes()
        {
            using (var session = new ModuleSession())
            {
                var result = RunExample(session, "hey-jude.ps1");

                result.ShouldSucceed();
                // The example checks every download against the bytes it generated and ends with a summary of it.
                var summary = result.Output.Last();
                Assert.Equal(2, summary.Properties["HitCount"].Value);
                Assert.Equal(2, summary.Properties["DownloadCount"].Value);
                Assert.Equal(true, summary.Properties["AllVerified"].Value);
                Assert.Equal(true, summary.Properties["BytesMatch"].Value);
                // It renders the nodes, hits and downloads with the module's table views.
                Assert.Contains("Verified", session.HostOutput);
                Assert.Contains("Hey Jude (Remastered 2015).mp3", session.HostOutput);
                // It stops what it started.
                var left = session.Run("(Get-PeerNode).Count");
                Assert.Equal(0, left.Output.Single().BaseObject);
            }
        }

        [Fact]
        public void Torrent_swarm_completes_every_leecher_with_identical_bytes_and_receives_one_more_copy()
        {
            using (var session = new ModuleSession())
            {
                var result = RunExample(session, "torrent-swarm.ps1");

                result.ShouldSucceed();
                var summary = result.Output.Last();
                Assert.Equal(4, summary.Properties["Completed"].Value);
                Assert.Equal(true, summary.Properties["AllIdentical"].Value);
                Assert.Equal(true, summary.Properties["ReceivedVerified"].Value);
                Assert.Equal(true, summary.Properties["ReceivedIdentical"].Value);
                Assert.True((int)summary.Properties["ReceivedSources"].Value >= 1);
                // It shows the nodes with their swarm state, and each leecher's sources by name.
                Assert.Contains("Swarm", session.HostOutput);
                Assert.Matches(@"leecher-1\s+True\s+[\d.]+\s+.*seed", session.HostOutput);
                Assert.Equal(0, session.Run("(Get-PeerNode).Count").Output.Single().BaseObject);
            }
        }

        [Fact]
        public void Event_trace_records_what_the_nodes_did_and_reads_it_back_from_JSON_Lines()
        {
            using (var session = new ModuleSession())
            {
                var result = RunExample(session, "event-trace.ps1");

                result.ShouldSucceed();
                var summary = result.Output.Last();
                Assert.Equal(1, summary.Properties["Verified"].Value);
                Assert.Equal(true, summary.Properties["TraceReadsBack"].Value);
                Assert.Equal(summary.Properties["EventCount"].Value, summary.Properties["TraceLines"].Value);
                // The counts table names what happened on each side of the search and the download.
                foreach (var type in new[] { "LoggedIn", "FileShared", "SearchAnswered", "SearchHit", "DownloadVerified", "NodeStopped" })
                    Assert.Contains(type, session.HostOutput);
            }
        }
    }
}
