using System.Collections.Generic;
using System.IO;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests
{
    /// <summary>Every script in examples/ runs to the end without a terminating error, the way users run it.</summary>
    public class ExampleScriptTests
    {
        public static IEnumerable<object[]> Examples() =>
            Directory.GetFiles(Path.Combine(ModuleSession.RepoRoot, "examples"), "*.ps1")
                .OrderBy(p => p)
                .Select(p => new object[] { Path.GetFileName(p) });

        static ScriptResult RunExample(ModuleSession session, string name) =>
            session.Run("& $example", new Dictionary<string, object> { ["example"] = Path.Combine(ModuleSession.RepoRoot, "examples", name) },
                System.TimeSpan.FromMinutes(3));

        [Theory]
        [MemberData(nameof(Examples))]
        public void Example_runs_without_errors(string name)
        {
            using (var session = new ModuleSession())
            {
                var result = RunExample(session, name);

                Assert.True(result.Terminating == null, result.Describe());
                Assert.True(result.Errors.Count == 0, result.Describe());
            }
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
