using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using PSPeer.Module.Tests.Support;
using Xunit;

// The Ctrl+C test waits on the pipeline thread from outside, with bounded waits, as a host would.
#pragma warning disable xUnit1031

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>
    /// Seeders and leechers from cmdlets on loopback: Start-PeerNode -Role Seeder/Leecher, and Receive-PeerFile with a
    /// torrent (TorrentInfo, path or FileInfo), byte-identical downloads, resume, Ctrl+C and the errors users meet.
    /// </summary>
    public class TorrentSwarmTests : IDisposable
    {
        const long PayloadSize = 1_500_000;
        readonly ModuleSession _session = new ModuleSession();
        readonly Dictionary<string, object> _vars;
        readonly string _payload;

        // A tracker and a seeder of one generated file; $torrentPath, $seedDir, $copy (an empty destination).
        const string StartSwarm = @"
            $ErrorActionPreference = 'Stop'
            $tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker -Name tracker
            $info = New-Torrent $payload -Tracker $tracker.AnnounceUrl -PieceSize 32KB -OutFile $torrentPath
            $seed = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $torrentPath -SharedPath $seedDir -Name seed
            $ErrorActionPreference = 'Continue'
            ";

        public TorrentSwarmTests()
        {
            string seedDir = _session.Temp.Sub("seed");
            _payload = TempFolder.WriteRandomFile(seedDir, "app.zip", PayloadSize, seed: 4);
            _vars = new Dictionary<string, object>
            {
                ["payload"] = _payload,
                ["seedDir"] = seedDir,
                ["torrentPath"] = Path.Combine(_session.Temp.Sub("torrents"), "app.torrent"),
                ["copy"] = Path.Combine(_session.Temp.Path, "copy"),
            };
        }

        string Copy => (string)_vars["copy"];
        ScriptResult Run(string script) => _session.Run(StartSwarm + script, _vars);
        void AssertIdentical(string path) => Assert.Equal(File.ReadAllBytes(_payload), File.ReadAllBytes(path));

        [Fact]
        public void TorrentInfo_piped_to_Receive_PeerFile_downloads_identical_bytes_through_the_tracker()
        {
            var result = Run("Get-TorrentInfo $torrentPath | Receive-PeerFile -Destination $copy -Timeout 60");

            result.ShouldSucceed();
            dynamic download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            Assert.True((bool)download.Verified);
            Assert.Equal(Path.Combine(Copy, "app.zip"), (string)download.Path);
            AssertIdentical((string)download.Path);
            Assert.Equal(PayloadSize, (long)download.Size);
            Assert.Equal(PayloadSize, (long)download.Bytes);
            Assert.Matches("^[0-9a-f]{40}$", (string)download.InfoHash);
            // The only peer with data is the seeder: it is the one source.
            var seedEndPoint = _session.Run("$seed.EndPoint").Output.Single().BaseObject;
            Assert.Equal(new[] { seedEndPoint }, (string[])download.Sources);
            Assert.Equal(seedEndPoint, (string)download.Source);
            Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
            // Without -Seed the leecher it started is gone again.
            Assert.Equal(new object[] { "tracker", "seed" }, _session.Run("Get-PeerNode | ForEach-Object Name").Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void A_torrent_path_or_FileInfo_works_as_well_as_a_TorrentInfo_and_a_folder_torrent_keeps_its_layout()
        {
            string folder = _session.Temp.Sub(Path.Combine("seed", "build"));
            Directory.CreateDirectory(Path.Combine(folder, "bin"));
            TempFolder.WriteRandomFile(folder, "readme.txt", 1_000, 5);
            TempFolder.WriteRandomFile(Path.Combine(folder, "bin"), "app.dll", 700_000, 6);
            _vars["folder"] = folder;

            // The folder's seeder gets no tracker: the leecher is pointed at it with -Peer.
            var result = Run(@"
                $null = New-Torrent $folder -OutFile ""$seedDir/../build.torrent""
                $buildSeed = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent ""$seedDir/../build.torrent"" -SharedPath $seedDir -WarningAction SilentlyContinue
                Receive-PeerFile -Torrent ""$seedDir/../build.torrent"" -Peer $buildSeed -Destination $copy -Timeout 60
                [IO.FileInfo]::new($torrentPath) | Receive-PeerFile -Destination $copy -Timeout 60");

            result.ShouldSucceed();
            var downloads = result.OfType("PSPeer.PeerDownload").ToList();
            Assert.Equal(2, downloads.Count);
            Assert.Equal(Path.Combine(Copy, "build"), downloads[0].Properties["Path"].Value);
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "bin", "app.dll")), File.ReadAllBytes(Path.Combine(Copy, "build", "bin", "app.dll")));
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "readme.txt")), File.ReadAllBytes(Path.Combine(Copy, "build", "readme.txt")));
            AssertIdentical(Path.Combine(Copy, "app.zip"));
        }

        [Fact]
        public void A_bad_torrent_is_InvalidTorrent_and_a_missing_one_TorrentNotFound_and_the_next_item_still_downloads()
        {
            File.WriteAllText(Path.Combine(_session.Temp.Path, "bad.torrent"), "d4:infoi1ee");
            _vars["bad"] = Path.Combine(_session.Temp.Path, "bad.torrent");
            _vars["missing"] = Path.Combine(_session.Temp.Path, "missing.torrent");

            var result = Run("$bad, $missing, $torrentPath | Receive-PeerFile -Destination $copy -Timeout 60");

            Assert.Null(result.Terminating);
            Assert.Equal(new[] { "InvalidTorrent", "TorrentNotFound" }, result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
            Assert.Contains("bad.torrent", result.Errors[0].Exception.Message);
            Assert.Contains("missing.torrent", result.Errors[1].Exception.Message);
            dynamic download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            AssertIdentical((string)download.Path);
        }

        [Fact]
        public void A_seeder_without_its_content_is_TorrentDataMissing()
        {
            var setup = Run("'ok'");
            setup.ShouldSucceed();
            string empty = _session.Temp.Sub("empty");
            string wrong = _session.Temp.Sub("wrong");
            TempFolder.WriteRandomFile(wrong, "app.zip", PayloadSize, seed: 99); // right size, wrong bytes: found only by hashing
            _vars["empty"] = empty;
            _vars["wrong"] = wrong;
            _vars["nowhere"] = Path.Combine(_session.Temp.Path, "no-such-folder");

            // One error id for every way a seeder's data can be missing: no folder, no file, wrong bytes.
            foreach (string folder in new[] { "$nowhere", "$empty", "$wrong" })
            {
                var result = _session.Run($"Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $torrentPath -SharedPath {folder}", _vars);

                Assert.StartsWith("TorrentDataMissing", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
            }
            // No failed seeder is left running.
            Assert.Equal(2, _session.Run("(Get-PeerNode).Count").Output.Single().BaseObject);
        }

        [Fact]
        public void A_seeder_with_wrong_data_refuses_to_start_without_listening_or_announcing()
        {
            Run("'ok'").ShouldSucceed();
            string wrong = _session.Temp.Sub("wrong-bytes");
            TempFolder.WriteRandomFile(wrong, "app.zip", PayloadSize, seed: 98);   // right size, wrong bytes
            // The "tracker" is a bare listener: any announce, even one never answered, shows as a pending connection.
            var announces = new TcpListener(IPAddress.Loopback, 0);
            announces.Start();
            try
            {
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                int port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                _vars["wrong"] = wrong;
                _vars["announce"] = $"http://127.0.0.1:{((IPEndPoint)announces.LocalEndpoint).Port}/announce";
                _vars["port"] = port;

                var result = _session.Run("Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $torrentPath -SharedPath $wrong -Tracker $announce -Port $port", _vars);

                var error = Assert.Single(result.AllErrors);
                Assert.StartsWith("TorrentDataMissing", error.FullyQualifiedErrorId);
                Assert.Contains("cannot seed", error.Exception.Message);
                Assert.False(announces.Pending(), "the seeder announced before its data was checked");
                using (var client = new TcpClient())
                    Assert.ThrowsAny<SocketException>(() => client.Connect(IPAddress.Loopback, port));   // nothing listens there
                Assert.Equal(2, _session.Run("(Get-PeerNode).Count").Output.Single().BaseObject);   // tracker and seed only
            }
            finally
            {
                announces.Stop();
            }
        }

        [Fact]
        public void Seeder_and_leecher_roles_need_a_torrent()
        {
            var result = _session.Run("Start-PeerNode -Protocol BitTorrent -Role Leecher -SharedPath $copy", _vars);

            Assert.StartsWith("TorrentRequired", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void A_leecher_started_with_Start_PeerNode_completes_and_then_seeds_to_the_next()
        {
            // The leecher joins through a tracker node given by -Tracker; then the original seeder goes away,
            // and Receive-PeerFile -Seed gets every byte from the former leecher alone.
            var result = Run(@"
                $leecher = Start-PeerNode -Protocol BitTorrent -Role Leecher -Torrent $info -SharedPath ""$copy/l1"" -Tracker $tracker -Name l1
                $null = Receive-PeerFile -Torrent $info -Via $leecher -Timeout 60
                $seed | Stop-PeerNode -Confirm:$false
                $second = Receive-PeerFile -Torrent $info -Destination ""$copy/l2"" -Seed -Timeout 60
                $second
                $leecher.Progress
                Get-PeerNode | ForEach-Object Name");

            result.ShouldSucceed();
            AssertIdentical(Path.Combine(Copy, "l1", "app.zip"));
            AssertIdentical(Path.Combine(Copy, "l2", "app.zip"));
            dynamic second = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            var l1EndPoint = _session.Run("$leecher.EndPoint").Output.Single().BaseObject;
            Assert.Equal(new[] { l1EndPoint }, (string[])second.Sources);
            Assert.Equal(1.0, result.Output.Single(o => o.BaseObject is double).BaseObject);
            // -Seed leaves the downloading node in the session, seeding.
            var names = result.Output.Where(o => o.BaseObject is string).Select(o => (string)o.BaseObject).ToList();
            Assert.Equal(new[] { "tracker", "l1", "BitTorrent-Leecher-1" }, names);
        }

        [Fact]
        public void Pieces_already_on_disk_are_kept_and_only_the_rest_is_received()
        {
            // The first half of the file is already under its partial name (a previous, interrupted run), the rest is zeros.
            Directory.CreateDirectory(Copy);
            var partial = File.ReadAllBytes(_payload);
            Array.Clear(partial, partial.Length / 2, partial.Length - partial.Length / 2);
            File.WriteAllBytes(Path.Combine(Copy, "app.zip.pspeer-partial"), partial);

            var result = Run("Get-TorrentInfo $torrentPath | Receive-PeerFile -Destination $copy -Timeout 60");

            result.ShouldSucceed();
            dynamic download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            AssertIdentical((string)download.Path);
            Assert.InRange((long)download.Bytes, 1, PayloadSize * 3 / 4);
            Assert.False(File.Exists(Path.Combine(Copy, "app.zip.pspeer-partial")));
        }

        [Fact]
        public void Ctrl_C_keeps_the_verified_pieces_and_the_next_run_receives_only_the_rest()
        {
            // A seeder held to 400 KB/s makes the download take a few seconds, time enough to stop it part-way.
            var setup = Run(@"
                $seed | Stop-PeerNode -Confirm:$false
                $slow = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $info -SharedPath $seedDir -UploadLimit 400KB");
            setup.ShouldSucceed();

            using (var ps = _session.Create("Receive-PeerFile -Torrent $info -Destination $copy", _vars))
            {
                var output = new PSDataCollection<PSObject>();
                var someVerified = new System.Threading.ManualResetEventSlim();
                ps.Streams.Progress.DataAdded += (_, e) =>
                {
                    string status = ps.Streams.Progress[e.Index].StatusDescription ?? "";
                    if (System.Text.RegularExpressions.Regex.IsMatch(status, @"^[1-9]\d*/\d+ pieces")) someVerified.Set();
                };
                IAsyncResult pending = ps.BeginInvoke<PSObject, PSObject>(null, output);
                Assert.True(someVerified.Wait(TimeSpan.FromSeconds(60)), "no piece was verified");
                Assert.True(Task.Run(() => ps.Stop()).Wait(TimeSpan.FromSeconds(30)), "PowerShell.Stop() did not return");
                Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "the pipeline did not end after Stop()");
                Assert.Empty(output); // stopped part-way: no PeerDownload
            }
            // Interrupted: the verified pieces wait under the partial name, nothing full-size sits under the final one.
            Assert.False(File.Exists(Path.Combine(Copy, "app.zip")));
            Assert.True(File.Exists(Path.Combine(Copy, "app.zip.pspeer-partial")));

            var result = _session.Run("Receive-PeerFile -Torrent $info -Destination $copy -Timeout 60", _vars);

            result.ShouldSucceed();
            dynamic download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            AssertIdentical((string)download.Path);
            Assert.InRange((long)download.Bytes, 0, PayloadSize - 32 * 1024);
        }

        [Fact]
        public void Content_complete_on_disk_needs_no_peer_at_all()
        {
            Directory.CreateDirectory(Copy);
            File.Copy(_payload, Path.Combine(Copy, "app.zip"));

            var result = Run("$seed | Stop-PeerNode -Confirm:$false; Receive-PeerFile -Torrent $torrentPath -Destination $copy -Timeout 30");

            result.ShouldSucceed();
            dynamic download = Assert.Single(result.OfType("PSPeer.PeerDownload"));
            Assert.True((bool)download.Verified);
            Assert.Equal(0L, (long)download.Bytes);
            Assert.Empty((string[])download.Sources);
        }

        [Fact]
        public void Via_a_node_of_another_torrent_is_TorrentMismatch()
        {
            File.WriteAllBytes(Path.Combine((string)_vars["seedDir"], "other.bin"), new byte[50_000]);
            var result = Run(@"
                $other = New-Torrent ""$seedDir/other.bin"" -OutFile ""$seedDir/../other.torrent""
                Receive-PeerFile -Torrent $other -Via $seed");

            Assert.StartsWith("TorrentMismatch", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void Via_a_stopped_node_is_NodeNotRunning()
        {
            var result = Run("$seed | Stop-PeerNode -Confirm:$false; Receive-PeerFile -Torrent $info -Via $seed");

            Assert.StartsWith("NodeNotRunning", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void Stopping_a_download_that_cannot_progress_returns_promptly_and_frees_its_port()
        {
            var setup = Run("$seed | Stop-PeerNode -Confirm:$false");
            setup.ShouldSucceed();
            int port = PickFreePort();
            _vars["leechPort"] = port;

            using (var ps = _session.Create("Receive-PeerFile -Torrent $torrentPath -Destination $copy -Port $leechPort", _vars))
            {
                var output = new PSDataCollection<PSObject>();
                var waiting = new System.Threading.ManualResetEventSlim();
                ps.Streams.Progress.DataAdded += (_, e) => waiting.Set();
                IAsyncResult pending = ps.BeginInvoke<PSObject, PSObject>(null, output);
                Assert.True(waiting.Wait(TimeSpan.FromSeconds(60)), "no progress was reported");
                Assert.False(Ports.IsFree(port), "the leecher should be listening while it waits for peers");

                Assert.True(Task.Run(() => ps.Stop()).Wait(TimeSpan.FromSeconds(30)), "PowerShell.Stop() did not return");
                Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "the pipeline did not end after Stop()");
                Assert.Empty(output);
            }
            Assert.True(Ports.IsFree(port), "the stopped leecher still holds its port");
            Assert.Equal(new object[] { "tracker" }, _session.Run("Get-PeerNode | ForEach-Object Name").Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void Swarm_state_shows_in_the_node_table_and_downloads_in_theirs()
        {
            var result = Run("$d = Receive-PeerFile -Torrent $torrentPath -Destination $copy -Timeout 60");
            result.ShouldSucceed();

            string nodes = _session.Render("Get-PeerNode");
            Assert.Contains("Swarm", FormatViewTests.HeaderLine(nodes));
            Assert.Matches(@"seed\s+BitTorrent\s+Seeder\s+127\.0\.0\.1:\d+\s+Running.*100% ", nodes);
            string downloads = _session.Render("$d");
            Assert.Contains("Verified", FormatViewTests.HeaderLine(downloads));
            Assert.Contains("app.zip", downloads);
        }

        static int PickFreePort()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        public void Dispose() => _session.Dispose();
    }
}
