using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Simulated;
using Xunit;
using PSPeer.Engine.Tests.Content;

namespace PSPeer.Engine.Tests.BitTorrent.Metainfo
{
    public class TorrentMetainfoTests
    {
        static readonly byte[] Content = TempFolder.RandomBytes(100_000, 1);
        const int PieceLength = 32 * 1024;

        static byte[] Sha1(byte[] data)
        {
            using (var sha = SHA1.Create()) return sha.ComputeHash(data);
        }

        [Fact]
        public void ParsesASingleFileTorrent()
        {
            var bytes = TorrentBytes.Torrent(TorrentBytes.SingleFileInfo("app.zip", Content, PieceLength));
            var t = TorrentMetainfo.Parse(bytes);

            Assert.Equal("app.zip", t.Name);
            Assert.False(t.IsMultiFile);
            var file = Assert.Single(t.Files);
            Assert.Equal("app.zip", file.Path);
            Assert.Equal(100_000, file.Length);
            Assert.Equal(0, file.Offset);
            Assert.Equal(100_000, t.TotalSize);
            Assert.Equal(PieceLength, t.PieceLength);
            Assert.Equal(4, t.PieceCount);
            Assert.Equal(PieceLength, t.GetPieceSize(0));
            Assert.Equal(100_000 - 3 * PieceLength, t.GetPieceSize(3));
            Assert.Throws<ArgumentOutOfRangeException>(() => t.GetPieceSize(4));
            Assert.Equal(Sha1(Content.Take(PieceLength).ToArray()), t.GetPieceHash(0));
            Assert.True(t.CheckPieceHash(3, Sha1(Content.Skip(3 * PieceLength).ToArray())));
            Assert.False(t.CheckPieceHash(2, Sha1(Content.Skip(3 * PieceLength).ToArray())));
            Assert.False(t.CheckPieceHash(0, new byte[5]));
            Assert.Equal("http://tracker.example/announce", t.Announce);
            Assert.Equal(new[] { "http://tracker.example/announce" }, t.Trackers);
            Assert.Empty(t.AnnounceList);
            Assert.False(t.IsPrivate);
            Assert.Null(t.Comment);
            Assert.Null(t.CreationDate);
        }

        [Fact]
        public void InfoHashIsTheSha1OfTheInfoDictionaryBytes()
        {
            var info = TorrentBytes.SingleFileInfo("a", Content, PieceLength);
            var t = TorrentMetainfo.Parse(TorrentBytes.Torrent(info));
            var infoBytes = Bencode.Encode(info);
            Assert.Equal(infoBytes, t.InfoBytes);
            Assert.Equal(new InfoHash(Sha1(infoBytes)), t.InfoHash);
        }

        [Fact]
        public void UnsortedInfoKeysKeepTheirOwnHashAndToBytesKeepsThem()
        {
            var pieces = TorrentBytes.PieceHashes(Content, PieceLength);
            // "name" before "length": not canonical, as some old clients wrote.
            var infoText = "d4:name1:a6:lengthi100000e12:piece lengthi32768e6:pieces" + pieces.Length + ":";
            var info = Encoding.ASCII.GetBytes(infoText).Concat(pieces).Concat(new[] { (byte)'e' }).ToArray();
            var torrent = Encoding.ASCII.GetBytes("d4:info").Concat(info).Concat(new[] { (byte)'e' }).ToArray();

            var t = TorrentMetainfo.Parse(torrent);
            Assert.Equal(new InfoHash(Sha1(info)), t.InfoHash);
            Assert.Equal(info, t.InfoBytes);
            Assert.Equal(t.InfoHash, TorrentMetainfo.Parse(t.ToBytes()).InfoHash);
        }

        [Fact]
        public void ParsesAMultiFileTorrentWithOffsets()
        {
            var a = TempFolder.RandomBytes(40_000, 2);
            var b = TempFolder.RandomBytes(0, 3);
            var c = TempFolder.RandomBytes(30_000, 4);
            var t = TorrentMetainfo.Parse(TorrentBytes.Torrent(TorrentBytes.MultiFileInfo("build", 16384, ("a.bin", a), ("docs/empty.txt", b), ("docs/c/c.bin", c))));

            Assert.True(t.IsMultiFile);
            Assert.Equal("build", t.Name);
            Assert.Equal(new[] { "a.bin", "docs/empty.txt", "docs/c/c.bin" }, t.Files.Select(f => f.Path));
            Assert.Equal(new long[] { 0, 40_000, 40_000 }, t.Files.Select(f => f.Offset));
            Assert.Equal(70_000, t.TotalSize);
            Assert.Equal(5, t.PieceCount);
        }

        [Fact]
        public void ReadsAnnounceListPrivateAndTheOtherMetadata()
        {
            var info = TorrentBytes.SingleFileInfo("a", Content, PieceLength);
            info["private"] = new BInteger(1);
            var root = new BDictionary();
            root["announce"] = new BString("http://one/announce");
            root["announce-list"] = new BList
            {
                new BList { new BString("http://one/announce"), new BString("http://two/announce") },
                new BList { new BString("udp://three:80") },
                new BInteger(5),   // junk in optional metadata is skipped
            };
            root["comment"] = new BString("nightly build");
            root["created by"] = new BString("mktorrent 1.1");
            root["creation date"] = new BInteger(1_700_000_000);
            root["info"] = info;
            var t = TorrentMetainfo.Parse(Bencode.Encode(root));

            Assert.True(t.IsPrivate);
            Assert.Equal("nightly build", t.Comment);
            Assert.Equal("mktorrent 1.1", t.CreatedBy);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), t.CreationDate);
            Assert.Equal(2, t.AnnounceList.Count);
            Assert.Equal(new[] { "http://one/announce", "http://two/announce" }, t.AnnounceList[0]);
            Assert.Equal(new[] { "http://one/announce", "http://two/announce", "udp://three:80" }, t.Trackers);
        }

        [Fact]
        public void MagnetLinkCarriesHashNameSizeAndTrackers()
        {
            var bytes = TorrentBytes.Torrent(TorrentBytes.SingleFileInfo("my app & co.zip", Content, PieceLength), "http://t:6969/announce?x=1");
            var t = TorrentMetainfo.Parse(bytes);
            Assert.Equal("magnet:?xt=urn:btih:" + t.InfoHash.Hex + "&dn=my%20app%20%26%20co.zip&xl=100000&tr=http%3A%2F%2Ft%3A6969%2Fannounce%3Fx%3D1", t.MagnetLink);
        }

        [Fact]
        public void ToBytesRoundTrips()
        {
            var bytes = TorrentBytes.Torrent(TorrentBytes.SingleFileInfo("a", Content, PieceLength));
            Assert.Equal(bytes, TorrentMetainfo.Parse(bytes).ToBytes());
        }

        [Theory]
        [InlineData("root-list", "not a dictionary")]
        [InlineData("no-info", "'info' is missing")]
        [InlineData("info-string", "'info' is not a dictionary")]
        [InlineData("no-name", "'info/name'")]
        [InlineData("no-piece-length", "'info/piece length'")]
        [InlineData("zero-piece-length", "'info/piece length' is 0")]
        [InlineData("huge-piece-length", "'info/piece length' is 4294967296")]
        [InlineData("pieces-not-20", "not a multiple of 20")]
        [InlineData("pieces-count", "has 3 hashes")]
        [InlineData("no-length", "neither 'length' nor 'files'")]
        [InlineData("both", "both 'length' and 'files'")]
        [InlineData("negative-length", "'info/length'")]
        [InlineData("files-empty", "'info/files' is empty")]
        [InlineData("files-not-list", "'info/files' is not a list")]
        [InlineData("file-no-path", "'info/files/0/path'")]
        [InlineData("file-path-int", "not a string")]
        [InlineData("duplicate-file", "repeats the file 'x/y'")]
        [InlineData("file-and-folder", "'x' is both a file and a folder")]
        public void RefusesTorrentsThatBreakBep3NamingTheField(string kind, string fragment)
        {
            var e = Assert.Throws<PeerException>(() => TorrentMetainfo.Parse(Broken(kind)));
            Assert.Equal(PeerErrorIds.InvalidTorrent, e.ErrorId);
            Assert.Contains(fragment, e.Message);
        }

        static byte[] Broken(string kind)
        {
            var small = TempFolder.RandomBytes(10, 9);
            var info = TorrentBytes.SingleFileInfo("a", Content, PieceLength);
            BDictionary FileEntry(BValue path, long length = 1)
            {
                var d = new BDictionary();
                d["length"] = new BInteger(length);
                if (path != null) d["path"] = path;
                return d;
            }
            switch (kind)
            {
                case "root-list": return Encoding.ASCII.GetBytes("le");
                case "no-info": return Encoding.ASCII.GetBytes("d8:announce1:xe");
                case "info-string": return Encoding.ASCII.GetBytes("d4:info1:xe");
                case "no-name": info["name"] = null; break;
                case "no-piece-length": info["piece length"] = new BString("x"); break;
                case "zero-piece-length": info["piece length"] = new BInteger(0); break;
                case "huge-piece-length": info["piece length"] = new BInteger(1L << 32); break;
                case "pieces-not-20": info["pieces"] = new BString(new byte[21]); break;
                case "pieces-count": info["pieces"] = new BString(new byte[60]); break;
                case "no-length": info["length"] = null; break;
                case "both": info["files"] = new BList(); break;
                case "negative-length": info["length"] = new BInteger(-1); break;
                case "files-empty": info["length"] = null; info["files"] = new BList(); break;
                case "files-not-list": info["length"] = null; info["files"] = new BInteger(1); break;
                case "file-no-path": info["length"] = null; info["files"] = new BList { FileEntry(null) }; break;
                case "file-path-int": info["length"] = null; info["files"] = new BList { FileEntry(new BList { new BInteger(1) }) }; break;
                case "duplicate-file":
                    info = TorrentBytes.MultiFileInfo("n", 16384, ("x/y", small), ("x/y", small));
                    break;
                case "file-and-folder":
                    info = TorrentBytes.MultiFileInfo("n", 16384, ("x", small), ("x/y", small));
                    break;
                default: throw new ArgumentException(kind);
            }
            return TorrentBytes.Torrent(info);
        }

        [Theory]
        [InlineData("../evil", "'..'")]
        [InlineData("a/../../evil", "'..'")]
        [InlineData("./a", "'.'")]
        [InlineData("a//b", "empty path segment")]
        [InlineData("/etc/passwd", "empty path segment")]
        [InlineData("a\\..\\evil", "separator")]
        [InlineData("C:/Windows/evil.dll", "':'")]
        [InlineData("c:evil", "':'")]
        [InlineData("a/b\u0001c", "control character")]
        [InlineData("CON", "device name")]
        [InlineData("docs/nul.txt", "device name")]
        [InlineData("com1.tar.gz", "device name")]
        [InlineData("Lpt9", "device name")]
        [InlineData("aux .txt", "device name")]
        public void RefusesUnsafeFilePaths(string path, string fragment)
        {
            var info = TorrentBytes.MultiFileInfo("folder", 16384, ("ok.txt", new byte[3]), ("placeholder", new byte[3]));
            var list = info.GetList("files");
            // Build the path list segment by segment so empty and '/'-bearing segments stay what the test says.
            var segments = path.StartsWith("/") ? new[] { "" }.Concat(path.Substring(1).Split('/')) : path.Split('/');
            ((BDictionary)list[1])["path"] = new BList(segments.Select(s => (BValue)new BString(s)));
            var e = Assert.Throws<PeerException>(() => TorrentMetainfo.Parse(TorrentBytes.Torrent(info)));
            Assert.Equal(PeerErrorIds.UnsafeFileName, e.ErrorId);
            Assert.Contains(fragment, e.Message);
            Assert.Contains("info/files/1/path", e.Message);
        }

        [Theory]
        [InlineData("..")]
        [InlineData("a/b")]
        [InlineData("")]
        [InlineData("PRN.zip")]
        public void RefusesAnUnsafeName(string name)
        {
            var e = Assert.Throws<PeerException>(() => TorrentMetainfo.Parse(TorrentBytes.Torrent(TorrentBytes.SingleFileInfo(name, Content, PieceLength))));
            Assert.Equal(PeerErrorIds.UnsafeFileName, e.ErrorId);
            Assert.Contains("info/name", e.Message);
        }

        [Theory]
        [InlineData("CONSOLE.txt")]
        [InlineData("com10")]
        [InlineData("my.con")]
        [InlineData("...hidden")]
        [InlineData("na\u00efve \u65e5\u672c.txt")]
        public void AcceptsNamesThatOnlyLookLikeProblems(string name)
        {
            Assert.Null(TorrentPathValidator.WhyUnsafe(name));
        }

        [Fact]
        public void PathUtf8IsPreferredOverPath()
        {
            var info = TorrentBytes.MultiFileInfo("n", 16384, ("legacy", new byte[5]));
            ((BDictionary)info.GetList("files")[0])["path.utf-8"] = new BList { new BString("\u00e9t\u00e9.txt") };
            var t = TorrentMetainfo.Parse(TorrentBytes.Torrent(info));
            Assert.Equal("\u00e9t\u00e9.txt", t.Files[0].Path);
        }

        [Fact]
        public void LoadNamesTheFileInItsErrors()
        {
            var storage = new MemoryFileStorage(() => new DateTime(2024, 1, 1));
            var missing = Assert.Throws<PeerException>(() => TorrentMetainfo.Load(storage, "/t/missing.torrent"));
            Assert.Equal(PeerErrorIds.TorrentNotFound, missing.ErrorId);
            Assert.Contains("/t/missing.torrent", missing.Message);

            storage.WriteFile("/t/bad.torrent", "this is not bencode");
            var bad = Assert.Throws<PeerException>(() => TorrentMetainfo.Load(storage, "/t/bad.torrent"));
            Assert.Equal(PeerErrorIds.InvalidTorrent, bad.ErrorId);
            Assert.Contains("/t/bad.torrent", bad.Message);
            Assert.IsType<BencodeException>(bad.InnerException);

            var bytes = TorrentBytes.Torrent(TorrentBytes.SingleFileInfo("a", Content, PieceLength));
            storage.WriteFile("/t/good.torrent", bytes);
            Assert.Equal("a", TorrentMetainfo.Load(storage, "/t/good.torrent").Name);
        }
    }
}
