using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>
    /// Receive-PeerFile never replaces a file it did not write: the same content counts as received, a different file
    /// is DestinationFileExists (naming -Force), -Force replaces it with the verified download, -WhatIf writes nothing.
    /// Search hits (Napster, HTTP) and torrents alike.
    /// </summary>
    public class ReceivePeerFileExistingFileTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();
        NapsterScenario _scenario;
        NapsterScenario Scenario => _scenario ??= new NapsterScenario(_session);
        string Target => Path.Combine(Scenario.Downloads, Path.GetFileName(Scenario.HeyJude));

        ScriptResult Receive(string extra = "", bool start = true) =>
            _session.Run((start ? NapsterScenario.StartScript : "") + "Find-PeerFile 'Hey Jude' -Via $alice | Receive-PeerFile -Destination $downloads " + extra + "; 'after'", Scenario.Variables);

        void UsersFile(string path, string text)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            File.WriteAllText(path, text);
        }

        [Fact]
        public void A_different_file_of_the_same_name_is_DestinationFileExists_and_stays_as_it_was()
        {
            UsersFile(Target, "my own notes, not a song");

            var result = Receive();

            Assert.Null(result.Terminating);
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("DestinationFileExists,", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Contains("-Force", error.Exception.Message);
            Assert.Empty(result.OfType("PSPeer.PeerDownload"));
            Assert.Equal("after", result.Output.Last().BaseObject);
            Assert.Equal("my own notes, not a song", File.ReadAllText(Target));
            Assert.Equal(new[] { Target }, Directory.GetFiles(Scenario.Downloads));   // no partial left behind
        }

        [Fact]
        public void Force_replaces_it_with_the_verified_download()
        {
            UsersFile(Target, "my own notes, not a song");

            var result = Receive("-Force");

            result.ShouldSucceed();
            dynamic download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            Assert.True((bool)download.Verified);
            Assert.Equal(File.ReadAllBytes(Scenario.HeyJude), File.ReadAllBytes(Target));
        }

        [Fact]
        public void A_file_with_the_same_content_counts_as_received_without_a_transfer()
        {
            Directory.CreateDirectory(Scenario.Downloads);
            File.Copy(Scenario.HeyJude, Target);

            var result = Receive();

            result.ShouldSucceed();
            dynamic download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            Assert.True((bool)download.Verified);
            Assert.Equal(Target, (string)download.Path);
            Assert.Equal(0L, (long)download.Bytes);
            Assert.Equal(File.ReadAllBytes(Scenario.HeyJude), File.ReadAllBytes(Target));
        }

        [Fact]
        public void WhatIf_downloads_nothing_and_leaves_an_existing_file_alone()
        {
            var result = Receive("-WhatIf");
            result.ShouldSucceed();
            Assert.Empty(result.OfType("PSPeer.PeerDownload"));
            Assert.False(File.Exists(Target));

            UsersFile(Target, "mine");
            result = Receive("-Force -WhatIf", start: false);
            result.ShouldSucceed();
            Assert.Equal("mine", File.ReadAllText(Target));
        }

        // Torrents: a tracker-less seeder of one file, the leecher pointed at it with -Peer.
        ScriptResult ReceiveTorrent(string destination, string extra = "")
        {
            string seedDir = _session.Temp.Sub("seed");
            string payload = Path.Combine(seedDir, "app.zip");
            if (!File.Exists(payload)) TempFolder.WriteRandomFile(seedDir, "app.zip", 400_000, seed: 7);
            var vars = new Dictionary<string, object>
            {
                ["payload"] = payload, ["seedDir"] = seedDir, ["dest"] = destination, ["torrentPath"] = Path.Combine(_session.Temp.Path, "app.torrent"),
            };
            // The tracker is a closed port: the leecher reaches the seeder through -Peer, announces fail quietly.
            return _session.Run(@"
                if (-not [IO.File]::Exists($torrentPath)) { $null = New-Torrent $payload -Tracker http://127.0.0.1:9/announce -PieceSize 32KB -OutFile $torrentPath }
                $info = Get-TorrentInfo $torrentPath
                $seed = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $info -SharedPath $seedDir -WarningAction SilentlyContinue
                $info | Receive-PeerFile -Destination $dest -Peer $seed -Timeout 60 -WarningAction SilentlyContinue " + extra + @"
                $seed | Stop-PeerNode -Confirm:$false
                'after'", vars);
        }

        [Fact]
        public void A_torrent_never_replaces_a_different_file_unless_Force_and_WhatIf_writes_nothing()
        {
            string dest = Path.Combine(_session.Temp.Path, "copy");
            string target = Path.Combine(dest, "app.zip");

            var whatIf = ReceiveTorrent(dest, "-WhatIf");
            whatIf.ShouldSucceed();
            Assert.Empty(whatIf.OfType("PSPeer.PeerDownload"));
            Assert.False(File.Exists(target));
            Assert.False(File.Exists(target + ".pspeer-partial"));

            UsersFile(target, "an unrelated file called app.zip");
            var refused = ReceiveTorrent(dest);
            var error = Assert.Single(refused.Errors);
            Assert.StartsWith("DestinationFileExists,", error.FullyQualifiedErrorId);
            Assert.Contains("-Force", error.Exception.Message);
            Assert.Equal("an unrelated file called app.zip", File.ReadAllText(target));
            Assert.Equal("after", refused.Output.Last().BaseObject);

            var forced = ReceiveTorrent(dest, "-Force");
            forced.ShouldSucceed();
            dynamic download = Assert.Single(forced.OfType("PSPeer.PeerDownload"));
            Assert.True((bool)download.Verified);
            Assert.Equal(target, (string)download.Path);
            Assert.Equal(File.ReadAllBytes(Path.Combine(_session.Temp.Path, "seed", "app.zip")), File.ReadAllBytes(target));
            Assert.False(File.Exists(target + ".pspeer-partial"));

            // Now it holds the content: received again, nothing transferred, no node needed.
            var again = ReceiveTorrent(dest);
            again.ShouldSucceed();
            dynamic same = Assert.Single(again.OfType("PSPeer.PeerDownload"));
            Assert.True((bool)same.Verified);
            Assert.Equal(0L, (long)same.Bytes);
        }

        public void Dispose() => _session.Dispose();
    }
}
