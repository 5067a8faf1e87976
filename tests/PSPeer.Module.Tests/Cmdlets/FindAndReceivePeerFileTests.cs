using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Module.Tests.Support;
using Xunit;

// The Ctrl+C test waits on the pipeline thread from outside, with bounded waits, as a host would.
#pragma warning disable xUnit1031

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>`Find-PeerFile | Receive-PeerFile` on loopback, its failures, and Ctrl+C in the middle of it.</summary>
    public class FindAndReceivePeerFileTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();
        NapsterScenario _scenario;

        NapsterScenario Scenario(long heyJudeSize = 300_000) => _scenario ??= new NapsterScenario(_session, heyJudeSize);

        ScriptResult Run(string script) => _session.Run(NapsterScenario.StartScript + script, Scenario().Variables);

        string[] DownloadedFiles() =>
            Directory.Exists(Scenario().Downloads) ? Directory.GetFiles(Scenario().Downloads, "*", SearchOption.AllDirectories) : new string[0];

        [Fact]
        public void Find_piped_to_Receive_downloads_the_verified_file()
        {
            var result = Run("Find-PeerFile 'Hey Jude' -Via $alice | Receive-PeerFile -Destination $downloads");

            result.ShouldSucceed();
            var download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            Assert.Equal(true, download.Properties["Verified"].Value);
            string path = (string)download.Properties["Path"].Value;
            Assert.Equal(File.ReadAllBytes(Scenario().HeyJude), File.ReadAllBytes(path));
            Assert.Equal(new[] { path }, DownloadedFiles());
            // Progress: at least one record, and the last one for the transfer is Completed.
            Assert.NotEmpty(result.Progress);
            Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
        }

        [Fact]
        public void The_same_file_on_two_peers_downloads_once()
        {
            // carol shares a byte-identical copy of bob's Hey Jude under the same name.
            string carolMusic = _session.Temp.Sub("carol");
            File.Copy(Scenario().HeyJude, Path.Combine(carolMusic, Path.GetFileName(Scenario().HeyJude)));
            var vars = Scenario().Variables;
            vars["carolMusic"] = carolMusic;
            var result = _session.Run(NapsterScenario.StartScript + @"
                $null = Start-PeerNode -Protocol Napster -IndexServer $index -SharedPath $carolMusic -Name carol
                $hits = @(Find-PeerFile 'Hey Jude' -Via $alice)
                $hits
                $hits | Receive-PeerFile -Destination $downloads", vars);

            result.ShouldSucceed();
            Assert.Equal(2, result.OfType("PSPeer.PeerSearchHit").Count());
            var download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            Assert.Equal(true, download.Properties["Verified"].Value);
            Assert.Equal(new[] { (string)download.Properties["Path"].Value }, DownloadedFiles());
        }

        [Fact]
        public void Hits_carry_what_a_search_result_needs()
        {
            var result = Run("Find-PeerFile 'jude'");

            result.ShouldSucceed();
            var hit = Assert.Single(result.OfType("PSPeer.PeerSearchHit"));
            Assert.Equal("The Beatles - Hey Jude.mp3", hit.Properties["Name"].Value);
            Assert.Equal(300_000L, Convert.ToInt64(hit.Properties["Size"].Value));
            Assert.Equal("bob", hit.Properties["PeerName"].Value);
            Assert.StartsWith("urn:sha1:", hit.Properties["ContentHash"].Value.ToString());
        }

        [Fact]
        public void A_search_with_no_hits_writes_nothing_and_no_error()
        {
            var result = Run("Find-PeerFile 'Stairway to Heaven' -Via $alice -Timeout 2");

            result.ShouldSucceed();
            Assert.Empty(result.Output);
            Assert.Empty(result.Errors);
        }

        [Fact]
        public void Objects_bind_to_Receive_PeerFile_by_property_name()
        {
            // As if the hit had come back from JSON or CSV: a plain object with the right property names.
            var result = Run(@"
                $hit = Find-PeerFile 'Hey Jude' -Via $alice
                [pscustomobject]@{ Name = $hit.Name; Size = $hit.Size; ContentHash = $hit.ContentHash.ToString(); Source = $hit.Source; FileIndex = $hit.FileIndex } |
                    Receive-PeerFile -Destination $downloads -Via $alice");

            result.ShouldSucceed();
            var download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            Assert.Equal(true, download.Properties["Verified"].Value);
            Assert.Equal(File.ReadAllBytes(Scenario().HeyJude), File.ReadAllBytes((string)download.Properties["Path"].Value));
        }

        [Fact]
        public void Content_that_no_longer_matches_its_hash_is_ContentHashMismatch_and_leaves_nothing()
        {
            var found = Run("$hits = Find-PeerFile 'Hey Jude' -Via $alice; $hits.Count");
            found.ShouldSucceed();
            Assert.Equal(1, found.Output.Single().BaseObject);

            // Same length, different bytes: the sharing peer still advertises the old hash.
            TempFolder.WriteRandomFile(Scenario().Music, Path.GetFileName(Scenario().HeyJude), 300_000, seed: 99);

            var result = _session.Run("$hits | Receive-PeerFile -Destination $downloads; 'after'", Scenario().Variables);

            Assert.Null(result.Terminating);
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("ContentHashMismatch", error.FullyQualifiedErrorId);
            Assert.Empty(result.OfType("PSPeer.PeerDownload"));
            Assert.Equal("after", result.Output.Last().BaseObject);
            Assert.Empty(DownloadedFiles());
        }

        [Fact]
        public void Stopping_a_large_download_returns_promptly_and_leaves_no_temp_file()
        {
            const long size = 200L * 1024 * 1024;
            Scenario(size);
            var setup = _session.Run(NapsterScenario.StartScript + "$hits = Find-PeerFile 'Hey Jude' -Via $alice; $hits.Count", Scenario().Variables);
            setup.ShouldSucceed();
            Assert.Equal(1, setup.Output.Single().BaseObject);

            using (var ps = _session.Create("$hits | Receive-PeerFile -Destination $downloads"))
            {
                var output = new PSDataCollection<PSObject>();
                var transferring = new ManualResetEventSlim();
                ps.Streams.Progress.DataAdded += (_, e) =>
                {
                    if (ps.Streams.Progress[e.Index].RecordType == ProgressRecordType.Processing) transferring.Set();
                };
                IAsyncResult pending = ps.BeginInvoke<PSObject, PSObject>(null, output);

                Assert.True(transferring.Wait(TimeSpan.FromSeconds(60)) || pending.IsCompleted, "no progress was reported for the download");

                // Ctrl+C: a bounded wait, generous so that a slow machine does not fail it; not a timing assertion.
                Assert.True(Task.Run(() => ps.Stop()).Wait(TimeSpan.FromSeconds(30)), "PowerShell.Stop() did not return");
                Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "the pipeline did not end after Stop()");

                // If the transfer happened to finish before Stop() arrived, the complete, announced file may stay;
                // anything else (a partial or temp file) must be gone.
                var completed = output.Select(o => o.Properties["Path"]?.Value as string).Where(p => p != null).ToHashSet();
                foreach (string file in DownloadedFiles())
                {
                    Assert.Contains(file, completed);
                    Assert.Equal(size, new FileInfo(file).Length);
                }
            }

            // The nodes survive a cancelled download: a search still answers.
            var after = _session.Run("(Find-PeerFile 'Let It Be' -Via $alice).Name");
            after.ShouldSucceed();
            Assert.Equal("Let It Be.mp3", after.Output.Single().BaseObject);
        }

        public void Dispose() => _session.Dispose();
    }
}
