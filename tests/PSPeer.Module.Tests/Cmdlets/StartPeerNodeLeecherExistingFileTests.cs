using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>
    /// Start-PeerNode -Role Leecher follows Receive-PeerFile's rule: a file at the torrent's name that is not its content
    /// (here: same name, same size, other bytes) is never written to; the download goes under "&lt;name&gt;.pspeer-partial"
    /// and stays there, and only -Force lets the verified download replace the file.
    /// </summary>
    public class StartPeerNodeLeecherExistingFileTests : IDisposable
    {
        const long PayloadSize = 300_000;
        readonly ModuleSession _session = new ModuleSession();
        readonly Dictionary<string, object> _vars;
        readonly string _payload;
        readonly byte[] _mine;

        const string StartSwarm = @"
            $ErrorActionPreference = 'Stop'
            $tracker = Start-PeerNode -Protocol BitTorrent -Role Tracker -Name tracker
            $info = New-Torrent $payload -Tracker $tracker.AnnounceUrl -PieceSize 32KB -OutFile $torrentPath
            $seed = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $torrentPath -SharedPath $seedDir -Name seed
            $ErrorActionPreference = 'Continue'
            ";

        public StartPeerNodeLeecherExistingFileTests()
        {
            string seedDir = _session.Temp.Sub("seed");
            _payload = TempFolder.WriteRandomFile(seedDir, "app.zip", PayloadSize, seed: 14);
            string copy = _session.Temp.Sub("copy");
            Directory.CreateDirectory(copy);
            // The user's own file: the torrent's name and exact size, other bytes.
            _mine = new byte[PayloadSize];
            new Random(15).NextBytes(_mine);
            File.WriteAllBytes(Path.Combine(copy, "app.zip"), _mine);
            _vars = new Dictionary<string, object>
            {
                ["payload"] = _payload,
                ["seedDir"] = seedDir,
                ["torrentPath"] = Path.Combine(_session.Temp.Sub("torrents"), "app.torrent"),
                ["copy"] = copy,
            };
        }

        string Final => Path.Combine((string)_vars["copy"], "app.zip");
        string Partial => Final + ".pspeer-partial";

        // Starts the leecher, waits (bounded) until it holds every piece, and stops it.
        ScriptResult Leech(string extra) => _session.Run(StartSwarm + @"
            $leecher = Start-PeerNode -Protocol BitTorrent -Role Leecher -Torrent $info -SharedPath $copy -Tracker $tracker -Name leech " + extra + @"
            $null = Receive-PeerFile -Torrent $info -Via $leecher -Timeout 60
            $leecher.Progress
            $leecher | Stop-PeerNode -Confirm:$false", _vars);

        [Fact]
        public void A_file_of_the_same_name_and_size_is_left_as_it_was_and_the_download_stays_partial()
        {
            var result = Leech("");

            // Watching the download says where it is and why (Receive-PeerFile -Via's error for a taken final name).
            Assert.Null(result.Terminating);
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("DestinationFileExists,", error.FullyQualifiedErrorId);
            Assert.Contains(".pspeer-partial", error.Exception.Message);
            Assert.Equal(1.0, result.Output.Single(o => o.BaseObject is double).BaseObject);
            Assert.Equal(_mine, File.ReadAllBytes(Final));
            Assert.Equal(File.ReadAllBytes(_payload), File.ReadAllBytes(Partial));
        }

        [Fact]
        public void Force_lets_the_verified_download_replace_it()
        {
            var result = Leech("-Force");

            result.ShouldSucceed();
            Assert.Equal(File.ReadAllBytes(_payload), File.ReadAllBytes(Final));
            Assert.False(File.Exists(Partial));
        }

        [Theory]
        [InlineData("-Protocol BitTorrent -Role Seeder -Torrent $torrentPath -SharedPath $seedDir")]
        [InlineData("-Protocol BitTorrent -Role Tracker")]
        [InlineData("-Protocol Gnutella")]
        public void Force_on_another_role_is_ParameterNotApplicable(string arguments)
        {
            var result = _session.Run("New-Torrent $payload -OutFile $torrentPath | Out-Null\nStart-PeerNode -Force " + arguments, _vars);

            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("ParameterNotApplicable,", error.FullyQualifiedErrorId);
            Assert.Contains("BitTorrent Leecher", error.Exception.Message);
        }

        public void Dispose() => _session.Dispose();
    }
}
