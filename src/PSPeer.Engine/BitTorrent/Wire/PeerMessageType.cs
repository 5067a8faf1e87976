namespace PSPeer.Engine.BitTorrent
{
    /// <summary>Message ids of BEP 3 (0-8), BEP 5 (port) and BEP 10 (extended); KeepAlive stands for a length-0 message.</summary>
    public enum PeerMessageType : byte
    {
        Choke = 0,
        Unchoke = 1,
        Interested = 2,
        NotInterested = 3,
        Have = 4,
        Bitfield = 5,
        Request = 6,
        Piece = 7,
        Cancel = 8,
        Port = 9,
        Extended = 20,
        /// <summary>Not a wire id: a message of length 0.</summary>
        KeepAlive = 255,
    }
}
