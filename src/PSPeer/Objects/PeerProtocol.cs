namespace PSPeer
{
    /// <summary>The systems Start-PeerNode can run. An enum, so PowerShell validates it and tab-completes it;
    /// NodeFactory maps each protocol and role onto its engine class.</summary>
    public enum PeerProtocol
    {
        Napster,
        Gnutella,
        BitTorrent,
    }

    /// <summary>What a node does in its system. Napster: IndexServer, Peer. Gnutella: Ultrapeer, Leaf (Peer = Ultrapeer).
    /// BitTorrent: Tracker, Seeder, Leecher.</summary>
    public enum PeerRole
    {
        Peer,
        IndexServer,
        Ultrapeer,
        Leaf,
        Tracker,
        Seeder,
        Leecher,
    }
}
