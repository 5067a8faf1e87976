using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.BitTorrent;

namespace PSPeer.Engine.Tests.BitTorrent.Storage
{
    /// <summary>A torrent built in memory from named contents, and the bytes of its pieces, for storage tests.</summary>
    sealed class TestTorrent
    {
        public TorrentMetainfo Metainfo { get; private set; }
        /// <summary>All files' contents concatenated: the torrent's byte stream.</summary>
        public byte[] Content { get; private set; }
        public IReadOnlyList<(string path, byte[] content)> Files { get; private set; }

        public byte[] Piece(int index)
        {
            int size = Metainfo.GetPieceSize(index);
            var piece = new byte[size];
            Buffer.BlockCopy(Content, index * Metainfo.PieceLength, piece, 0, size);
            return piece;
        }

        public static TestTorrent SingleFile(string name, byte[] content, int pieceLength) =>
            Build(name, pieceLength, multi: false, (name, content));

        public static TestTorrent MultiFile(string name, int pieceLength, params (string path, byte[] content)[] files) =>
            Build(name, pieceLength, multi: true, files);

        static TestTorrent Build(string name, int pieceLength, bool multi, params (string path, byte[] content)[] files)
        {
            var content = files.SelectMany(f => f.content).ToArray();
            var hashes = new List<byte>();
            using (var sha = SHA1.Create())
                for (int at = 0; at < content.Length; at += pieceLength)
                    hashes.AddRange(sha.ComputeHash(content, at, Math.Min(pieceLength, content.Length - at)));

            var info = new BDictionary();
            info["name"] = new BString(name);
            info["piece length"] = new BInteger(pieceLength);
            info["pieces"] = new BString(hashes.ToArray());
            if (multi)
            {
                var list = new BList();
                foreach (var f in files)
                {
                    var entry = new BDictionary();
                    entry["length"] = new BInteger(f.content.Length);
                    var path = new BList();
                    foreach (var part in f.path.Split('/')) path.Add(new BString(part));
                    entry["path"] = path;
                    list.Add(entry);
                }
                info["files"] = list;
            }
            else info["length"] = new BInteger(content.Length);
            var root = new BDictionary();
            root["announce"] = new BString("http://127.0.0.1:6969/announce");
            root["info"] = info;
            return new TestTorrent
            {
                Metainfo = TorrentMetainfo.Parse(Bencode.Encode(root)),
                Content = content,
                Files = files,
            };
        }
    }
}
