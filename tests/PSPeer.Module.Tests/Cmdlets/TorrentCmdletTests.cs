using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>New-Torrent and Get-TorrentInfo in a hosted runspace with the built module.</summary>
    public class TorrentCmdletTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        ScriptResult Run(string script, Dictionary<string, object> variables = null) => _session.Run(script, variables);

        Dictionary<string, object> Files()
        {
            var content = _session.Temp.Sub("content");
            var folder = _session.Temp.Sub("build");
            Directory.CreateDirectory(Path.Combine(folder, "bin"));
            TempFolder.WriteRandomFile(folder, "readme.txt", 1_000, 2);
            TempFolder.WriteRandomFile(Path.Combine(folder, "bin"), "app.dll", 600_000, 3);
            return new Dictionary<string, object>
            {
                ["file"] = TempFolder.WriteRandomFile(content, "app.zip", 3_000_000, 1),
                ["folder"] = folder,
                ["out"] = _session.Temp.Sub("torrents"),
            };
        }

        [Fact]
        public void New_Torrent_writes_a_torrent_that_Get_TorrentInfo_reads_back()
        {
            var result = Run(@"
                $t = New-Torrent $file -Tracker http://127.0.0.1:6969/announce, http://backup/announce -PieceSize 256KB -OutFile ""$out/app.torrent"" -Comment hi
                $t
                Get-TorrentInfo ""$out/app.torrent""", Files());

            result.ShouldSucceed();
            Assert.Equal(2, result.Output.Count);
            dynamic made = result.Output[0], read = result.Output[1];
            Assert.Equal("PSPeer.TorrentInfo", result.Output[0].TypeNames[0]);
            Assert.Equal("app.zip", (string)made.Name);
            Assert.Equal(3_000_000L, (long)made.Size);
            Assert.Equal(262_144, (int)made.PieceSize);
            Assert.Equal(12, (int)made.PieceCount);
            Assert.Equal(1, (int)made.FileCount);
            Assert.Equal("hi", (string)made.Comment);
            Assert.Equal(new[] { "http://127.0.0.1:6969/announce", "http://backup/announce" }, (string[])made.Trackers);
            Assert.Matches("^[0-9a-f]{40}$", (string)made.InfoHash);
            Assert.Equal((string)made.InfoHash, (string)read.InfoHash);
            Assert.StartsWith("magnet:?xt=urn:btih:" + (string)made.InfoHash, (string)read.MagnetLink);
            Assert.EndsWith("app.torrent", (string)read.Path);
            Assert.False((bool)read.Private);
        }

        [Fact]
        public void New_Torrent_Tracker_takes_a_tracker_node_or_its_name_and_writes_its_announce_URL()
        {
            var result = Run(@"
                $tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker -Name tr
                try {
                    (New-Torrent $file -Tracker $tracker -OutFile ""$out/a.torrent"").Trackers
                    (New-Torrent $file -Tracker tr, http://backup/announce -OutFile ""$out/b.torrent"").Trackers
                    $tracker.AnnounceUrl
                } finally { $tracker | Stop-PeerNode }", Files());

            result.ShouldSucceed();
            var urls = result.Output.Select(o => (string)o.BaseObject).ToList();
            string announce = urls.Last();
            Assert.Matches("^http://127\\.0\\.0\\.1:[0-9]+/announce$", announce);
            Assert.Equal(new[] { announce, announce, "http://backup/announce", announce }, urls);
        }

        [Fact]
        public void A_folder_from_the_pipeline_becomes_a_multi_file_torrent_in_the_current_location()
        {
            var result = Run(@"
                [IO.DirectoryInfo]::new($folder) | New-Torrent -Private
                [IO.File]::Exists(""$PWD/build.torrent"")", Files());

            result.ShouldSucceed();
            dynamic t = result.Output[0];
            Assert.Equal("build", (string)t.Name);
            Assert.Equal(2, (int)t.FileCount);
            Assert.True((bool)t.Private);
            var files = ((object[])t.Files).Cast<object>().Select(f => PSObject.AsPSObject(f).Properties["Path"].Value).ToArray();
            Assert.Equal(new object[] { "bin/app.dll", "readme.txt" }, files);
            Assert.True((bool)result.Output[1].BaseObject);
        }

        [Fact]
        public void An_existing_torrent_is_kept_unless_Force_is_given()
        {
            var result = Run(@"
                $null = New-Torrent $file -OutFile ""$out/a.torrent""
                New-Torrent $file -OutFile ""$out/a.torrent"" -Name other.zip
                (Get-TorrentInfo ""$out/a.torrent"").Name
                $null = New-Torrent $file -OutFile ""$out/a.torrent"" -Name other.zip -Force
                (Get-TorrentInfo ""$out/a.torrent"").Name", Files());

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("TorrentFileExists,", error.FullyQualifiedErrorId);
            Assert.Equal(new object[] { "app.zip", "other.zip" }, result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void WhatIf_writes_nothing()
        {
            var result = Run(@"
                New-Torrent $file -OutFile ""$out/w.torrent"" -WhatIf
                [IO.File]::Exists(""$out/w.torrent"")", Files());

            result.ShouldSucceed();
            Assert.False((bool)Assert.Single(result.Output).BaseObject);
        }

        [Theory]
        [InlineData("100KB")]
        [InlineData("8KB")]
        [InlineData("32MB")]
        public void A_piece_size_that_is_not_a_power_of_two_from_16KB_to_16MB_is_refused(string size)
        {
            var result = Run($"New-Torrent $file -PieceSize {size} -OutFile \"$out/p.torrent\"", Files());
            Assert.StartsWith("ParameterArgumentValidationError,", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
            Assert.False(File.Exists(Path.Combine(_session.Temp.Path, "torrents", "p.torrent")));
        }

        [Fact]
        public void Missing_content_is_a_TorrentSourceNotFound_error()
        {
            var result = Run("New-Torrent ./nothing-here -OutFile \"$out/n.torrent\"", Files());
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("TorrentSourceNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        }

        [Fact]
        public void Hashing_shows_progress_and_completes_it()
        {
            var result = Run("$null = New-Torrent $file -OutFile \"$out/p.torrent\"", Files());
            result.ShouldSucceed();
            Assert.Contains(result.Progress, p => p.Activity == "Hashing app.zip" && p.RecordType == ProgressRecordType.Processing);
            Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
        }

        [Fact]
        public void Get_TorrentInfo_reports_bad_and_missing_files_and_goes_on()
        {
            var variables = Files();
            File.WriteAllText(Path.Combine((string)variables["out"], "bad.torrent"), "not bencode");
            var result = Run(@"
                $null = New-Torrent $file -OutFile ""$out/good.torrent""
                Get-TorrentInfo ""$out/*.torrent"", ""$out/missing.torrent"" | ForEach-Object Name", variables);

            Assert.Equal(new object[] { "app.zip" }, result.Output.Select(o => o.BaseObject));
            Assert.Equal(2, result.Errors.Count);
            Assert.StartsWith("InvalidTorrent,", result.Errors[0].FullyQualifiedErrorId);
            Assert.Contains("bad.torrent", result.Errors[0].Exception.Message);
            Assert.StartsWith("TorrentNotFound,", result.Errors[1].FullyQualifiedErrorId);
            Assert.Contains("missing.torrent", result.Errors[1].Exception.Message);
        }

        [Fact]
        public void Stopping_New_Torrent_never_leaves_a_partial_torrent()
        {
            var variables = Files();
            variables["big"] = TempFolder.WriteRandomFile(_session.Temp.Sub("big"), "big.bin", 96L << 20, 4);
            using (var ps = _session.Create("New-Torrent $big -OutFile \"$out/big.torrent\" -PieceSize 16KB", variables))
            {
                var progressSeen = new ManualResetEventSlim();
                ps.Streams.Progress.DataAdded += (_, __) => progressSeen.Set();
                var pending = ps.BeginInvoke();
                progressSeen.Wait(TimeSpan.FromSeconds(60));
                ps.Stop();
                Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "Stop did not end New-Torrent");
            }
            var left = Directory.GetFiles((string)variables["out"]);
            // Either hashing finished before the stop (a whole, readable torrent) or nothing at all was written.
            Assert.DoesNotContain(left, f => f.EndsWith(".tmp", StringComparison.Ordinal));
            if (left.Length == 1)
            {
                var check = _session.Run("(Get-TorrentInfo \"$out/big.torrent\").PieceCount", variables);
                check.ShouldSucceed();
                Assert.Equal(6144, Convert.ToInt32(Assert.Single(check.Output).BaseObject));
            }
            else Assert.Empty(left);
        }

        public void Dispose() => _session.Dispose();
    }
}
