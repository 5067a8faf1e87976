using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.BitTorrent;

namespace PSPeer.Engine.Tests.BitTorrent.Metainfo
{
    /// <summary>Builds .torrent bytes by hand for tests, so each test can break exactly one field.</summary>
    static class TorrentBytes
    {
        public static byte[] PieceHashes(byte[] content, int pieceLength)
        {
            var result = new List<byte>();
            using (var sha = SHA1.Create())
            {
                for (int at = 0; at < content.Length; at += pieceLength)
                    result.AddRange(sha.ComputeHash(content, at, System.Math.Min(pieceLength, content.Length - at)));
            }
            return result.ToArray();
        }

        public static BDictionary SingleFileInfo(string name, byte[] content, int pieceLength)
        {
            var info = new BDictionary();
            info["name"] = new BString(name);
            info["length"] = new BInteger(content.Length);
            info["piece length"] = new BInteger(pieceLength);
            info["pieces"] = new BString(PieceHashes(content, pieceLength));
            return info;
        }

        public static BDictionary MultiFileInfo(string name, int pieceLength, params (string path, byte[] content)[] files)
        {
            var info = new BDictionary();
            info["name"] = new BString(name);
            info["piece length"] = new BInteger(pieceLength);
            var list = new BList();
            foreach (var (path, content) in files)
            {
                var entry = new BDictionary();
                entry["length"] = new BInteger(content.Length);
                entry["path"] = new BList(path.Split('/').Select(s => (BValue)new BString(s)));
                list.Add(entry);
            }
            info["files"] = list;
            info["pieces"] = new BString(PieceHashes(files.SelectMany(f => f.content).ToArray(), pieceLength));
            return info;
        }

        public static byte[] Torrent(BDictionary info, string announce = "http://tracker.example/announce")
        {
            var root = new BDictionary();
            if (announce != null) root["announce"] = new BString(announce);
            root["info"] = info;
            return Bencode.Encode(root);
        }
    }
}
