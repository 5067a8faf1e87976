using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Tests.Interop;
using Xunit;
using PSPeer.Engine.Tests.Content;

namespace PSPeer.Engine.Tests.BitTorrent.Metainfo
{
    /// <summary>Our torrents against the real creators and readers: mktorrent, transmission, aria2, libtorrent.</summary>
    public class TorrentInteropTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
        const string Announce = "http://127.0.0.1:6969/announce";

        static Task<TorrentMetainfo> BuildAsync(string path, int pieceLength = 256 * 1024, bool isPrivate = false) =>
            TorrentBuilder.CreateAsync(LiveRuntime.Loopback.Storage, path, new TorrentBuildOptions
            {
                PieceLength = pieceLength, Private = isPrivate, Trackers = new List<string> { Announce },
            }, null, CancellationToken.None).WaitAsync(Timeout);

        static void WriteFolder(InteropFolder folder)
        {
            folder.Write("content/app/bin/app.dll", TempFolder.RandomBytes(700_000, 1));
            folder.Write("content/app/readme.txt", TempFolder.RandomBytes(1_234, 2));
            folder.Write("content/app/empty.cfg", new byte[0]);
            folder.Write("content/app/Z-last.dat", TempFolder.RandomBytes(300_001, 3));
        }

        static async Task<string> TransmissionHashAsync(string torrentPath)
        {
            var show = await ExternalTool.RunAsync("transmission-show", new[] { torrentPath }, Timeout);
            Assert.True(show.ExitCode == 0, show.ToString());
            var m = Regex.Match(show.StandardOutput, @"Hash:\s*([0-9a-f]{40})");
            Assert.True(m.Success, show.ToString());
            return m.Groups[1].Value;
        }

        [InteropTheory("mktorrent")]
        [InlineData(false, false)]
        [InlineData(false, true)]
        [InlineData(true, false)]
        public async Task SameInfoHashAsMktorrentWith256KiBPieces(bool folder, bool isPrivate)
        {
            using (var dir = new InteropFolder("bt-meta"))
            {
                string content;
                if (folder) { WriteFolder(dir); content = Path.Combine(dir.Path, "content", "app"); }
                else content = dir.Write("app.zip", TempFolder.RandomBytes(3_000_000, 4));
                var reference = TorrentMetainfo.Parse(await Mktorrent.CreateAsync(content, dir.File("mk.torrent"), Announce, 18, isPrivate));
                var ours = await BuildAsync(content, isPrivate: isPrivate);

                Assert.Equal(reference.InfoHash, ours.InfoHash);
                Assert.Equal(reference.InfoBytes, ours.InfoBytes);
                Assert.Equal(folder, ours.IsMultiFile);
            }
        }

        [InteropTheory("transmission-show", "aria2c")]
        [InlineData(false)]
        [InlineData(true)]
        public async Task TransmissionAndAria2ReadOurTorrents(bool folder)
        {
            using (var dir = new InteropFolder("bt-meta"))
            {
                string content;
                if (folder) { WriteFolder(dir); content = Path.Combine(dir.Path, "content", "app"); }
                else content = dir.Write("app.zip", TempFolder.RandomBytes(1_500_000, 5));
                var ours = await BuildAsync(content, 64 * 1024);
                var torrentPath = dir.File("ours.torrent");
                File.WriteAllBytes(torrentPath, ours.ToBytes());

                var show = await ExternalTool.RunAsync("transmission-show", new[] { torrentPath }, Timeout);
                Assert.True(show.ExitCode == 0, show.ToString());
                Assert.Contains("Hash: " + ours.InfoHash.Hex, show.StandardOutput);
                Assert.Contains("Name: " + ours.Name, show.StandardOutput);
                Assert.Contains("Piece Count: " + ours.PieceCount, show.StandardOutput);
                Assert.Contains(Announce, show.StandardOutput);
                foreach (var f in ours.Files)
                    Assert.Contains(folder ? ours.Name + "/" + f.Path : f.Path, show.StandardOutput);

                var aria = await ExternalTool.RunAsync("aria2c", new[] { "--show-files=true", torrentPath }, Timeout);
                Assert.True(aria.ExitCode == 0, aria.ToString());
                Assert.Contains(ours.InfoHash.Hex, aria.StandardOutput);
                Assert.Contains("Piece Length: 64KiB", aria.StandardOutput);
                Assert.Contains("The Number of Pieces: " + ours.PieceCount, aria.StandardOutput);
                foreach (var f in ours.Files)
                    Assert.Contains((folder ? "./" + ours.Name + "/" + f.Path : "./" + f.Path), aria.StandardOutput);
            }
        }

        [InteropFact("mktorrent", "transmission-show")]
        public async Task ReadsMktorrentTorrents()
        {
            using (var dir = new InteropFolder("bt-meta"))
            {
                WriteFolder(dir);
                var path = dir.File("mk.torrent");
                var bytes = await Mktorrent.CreateAsync(Path.Combine(dir.Path, "content", "app"), path, Announce, 15, comment: "made by mktorrent");
                var t = TorrentMetainfo.Parse(bytes);
                Assert.Equal(await TransmissionHashAsync(path), t.InfoHash.Hex);
                Assert.Equal("app", t.Name);
                Assert.Equal(4, t.Files.Count);
                Assert.Equal(32768, t.PieceLength);
                Assert.Equal("made by mktorrent", t.Comment);
                Assert.StartsWith("mktorrent", t.CreatedBy);
                Assert.NotNull(t.CreationDate);
                Assert.Equal(new[] { Announce }, t.Trackers);
            }
        }

        [InteropFact("transmission-create", "transmission-show")]
        public async Task ReadsTransmissionTorrents()
        {
            using (var dir = new InteropFolder("bt-meta"))
            {
                WriteFolder(dir);
                var path = dir.File("tc.torrent");
                var create = await ExternalTool.RunAsync("transmission-create",
                    new[] { "-o", path, "-s", "32", "-t", Announce, "-c", "from transmission", Path.Combine(dir.Path, "content", "app") }, Timeout);
                Assert.True(create.ExitCode == 0, create.ToString());
                var t = TorrentMetainfo.Parse(File.ReadAllBytes(path));
                Assert.Equal(await TransmissionHashAsync(path), t.InfoHash.Hex);
                // transmission-create leaves empty files out (and orders files its own way).
                Assert.Equal(new[] { "Z-last.dat", "bin/app.dll", "readme.txt" }, t.Files.Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal));
                Assert.Equal(1_001_235, t.TotalSize);
                Assert.Equal("from transmission", t.Comment);
                Assert.Contains(Announce, t.Trackers);
            }
        }

        [InteropFact(Libtorrent.ToolName)]
        public async Task ReadsLibtorrentTorrents()
        {
            using (var dir = new InteropFolder("bt-meta"))
            {
                WriteFolder(dir);
                var path = dir.File("lt.torrent");
                await Libtorrent.CreateAsync(Path.Combine(dir.Path, "content", "app"), path, Announce, 32768);
                var t = TorrentMetainfo.Parse(File.ReadAllBytes(path));
                Assert.Equal(await Libtorrent.InfoHashAsync(path), t.InfoHash.Hex);
                Assert.Equal(1_001_235, t.Files.Sum(f => f.Length));
            }
        }

        [InteropFact(Libtorrent.ToolName)]
        public async Task ReadsLibtorrentHybridV1V2TorrentsByTheirV1Hash()
        {
            using (var dir = new InteropFolder("bt-meta"))
            {
                WriteFolder(dir);
                var path = dir.File("hybrid.torrent");
                // libtorrent's default creates a v1+v2 hybrid: pad files, "file tree", "meta version" in the info dict.
                var script = "import libtorrent as lt, sys\n" +
                             "fs = lt.file_storage(); lt.add_files(fs, sys.argv[1])\n" +
                             "ct = lt.create_torrent(fs, 32768); lt.set_piece_hashes(ct, sys.argv[2])\n" +
                             "open(sys.argv[3], 'wb').write(lt.bencode(ct.generate()))\n" +
                             "print(lt.torrent_info(sys.argv[3]).info_hashes().v1)\n";
                var result = await ExternalTool.RunAsync(ExternalTool.Require(Libtorrent.ToolName),
                    new[] { "-c", script, Path.Combine(dir.Path, "content", "app"), Path.Combine(dir.Path, "content"), path }, Timeout);
                Assert.True(result.ExitCode == 0, result.ToString());
                var t = TorrentMetainfo.Parse(File.ReadAllBytes(path));
                Assert.Equal(result.StandardOutput.Trim(), t.InfoHash.Hex);
                Assert.True(t.Files.Count > 4, "pad files are listed as files");
            }
        }
    }
}
