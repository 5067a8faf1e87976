using System.Collections.Generic;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>A piece being put together: its buffer and who sent its blocks (struck if the hash fails).</summary>
    sealed class PieceAssembly
    {
        public PieceAssembly(int piece, byte[] buffer)
        {
            Piece = piece;
            Buffer = buffer;
        }

        public int Piece { get; }
        public byte[] Buffer { get; }
        /// <summary>Peer ids (hex) of the senders, in the order they first contributed.</summary>
        public List<string> Contributors { get; } = new List<string>(2);

        public void AddContributor(string peerId)
        {
            if (!Contributors.Contains(peerId)) Contributors.Add(peerId);
        }
    }
}
