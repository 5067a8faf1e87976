using System;
using System.Security.Cryptography;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.BitTorrent;

namespace PSPeer.Engine.Tests.BitTorrent.Swarm
{
    /// <summary>Single-file torrents built in memory for swarm tests (independent of TorrentBuilder).</summary>
    static class TestTorrent
    {
        public static TorrentMetainfo Make(string name, byte[] content, int pieceLength, params string[] trackers)
        {
            int pieces = (int)((content.LongLength + pieceLength - 1) / pieceLength);
            var hashes = new byte[pieces * 20];
            using (var sha = SHA1.Create())
                for (int i = 0; i < pieces; i++)
                {
                    int size = (int)Math.Min(pieceLength, content.LongLength - (long)i * pieceLength);
                    Buffer.BlockCopy(sha.ComputeHash(content, i * pieceLength, size), 0, hashes, i * 20, 20);
                }
            var info = new BDictionary();
            info["name"] = new BString(name);
            info["length"] = new BInteger(content.LongLength);
            info["piece length"] = new BInteger(pieceLength);
            info["pieces"] = new BString(hashes);
            var root = new BDictionary();
            root["info"] = info;
            if (trackers.Length > 0) root["announce"] = new BString(trackers[0]);
            return TorrentMetainfo.Parse(Bencode.Encode(root));
        }
    }
}
