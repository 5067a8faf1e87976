using System.Collections.Generic;
using System.Security.Cryptography;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// What is remembered of a piece that failed its hash with blocks from more than one peer: each block's SHA-1 and
    /// its sender, from every failed attempt. The piece is then fetched again from a single peer; once a copy passes
    /// the piece hash, any remembered block whose hash differs from the good block convicts the peer that sent it,
    /// and peers whose blocks matched are cleared. Hashes, not copies, so a liar cannot make us hold whole pieces.
    /// </summary>
    sealed class SuspectPiece
    {
        readonly List<Entry> _blocks = new List<Entry>();

        struct Entry
        {
            public int Block;
            public string PeerIdHex;
            public byte[] Sha1;
        }

        /// <summary>Remembers the blocks of a failed attempt.</summary>
        public void Record(PieceAssembly failed, int pieceSize)
        {
            using (var sha1 = SHA1.Create())
                for (int b = 0; b < failed.BlockSenders.Length; b++)
                {
                    var sender = failed.BlockSenders[b];
                    if (sender == null) continue;
                    _blocks.Add(new Entry { Block = b, PeerIdHex = sender.PeerIdHex, Sha1 = HashBlock(sha1, failed.Buffer, b, pieceSize) });
                }
        }

        /// <summary>Peer ids (hex) that sent a block differing from the verified piece in <paramref name="good"/>.</summary>
        public List<string> FindLiars(byte[] good, int pieceSize)
        {
            var liars = new List<string>(1);
            var goodHashes = new Dictionary<int, byte[]>();
            using (var sha1 = SHA1.Create())
                foreach (var e in _blocks)
                {
                    if (liars.Contains(e.PeerIdHex)) continue;
                    if (!goodHashes.TryGetValue(e.Block, out var hash)) goodHashes[e.Block] = hash = HashBlock(sha1, good, e.Block, pieceSize);
                    if (!SameBytes(hash, e.Sha1)) liars.Add(e.PeerIdHex);
                }
            return liars;
        }

        static byte[] HashBlock(SHA1 sha1, byte[] piece, int block, int pieceSize)
        {
            int begin = block * BitTorrentConstants.BlockSize;
            int length = System.Math.Min(BitTorrentConstants.BlockSize, pieceSize - begin);
            return sha1.ComputeHash(piece, begin, length);
        }

        static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
            return true;
        }
    }
}
