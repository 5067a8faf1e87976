using System.Collections.Generic;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// A piece being put together: its buffer and which connection sent each block. Per-block senders are what lets a
    /// failed piece be blamed on the peer whose block was wrong instead of on everyone who sent part of it.
    /// </summary>
    sealed class PieceAssembly
    {
        public PieceAssembly(int piece, byte[] buffer, int blockCount)
        {
            Piece = piece;
            Buffer = buffer;
            BlockSenders = new SwarmConnection[blockCount];
        }

        public int Piece { get; }
        public byte[] Buffer { get; }
        /// <summary>By block index: the connection whose copy of the block is in <see cref="Buffer"/>.</summary>
        public SwarmConnection[] BlockSenders { get; }

        public void AddBlock(int block, SwarmConnection sender) => BlockSenders[block] = sender;

        /// <summary>The distinct senders, in block order.</summary>
        public List<SwarmConnection> Senders()
        {
            var senders = new List<SwarmConnection>(2);
            foreach (var s in BlockSenders)
                if (s != null && !senders.Contains(s)) senders.Add(s);
            return senders;
        }

        /// <summary>The distinct senders' peer ids (hex), in block order: one peer may have sent over two connections.</summary>
        public List<string> SenderIds()
        {
            var ids = new List<string>(2);
            foreach (var s in BlockSenders)
                if (s != null && !ids.Contains(s.PeerIdHex)) ids.Add(s.PeerIdHex);
            return ids;
        }
    }
}
