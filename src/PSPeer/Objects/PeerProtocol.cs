namespace PSPeer
{
    /// <summary>The systems Start-PeerNode can run. An enum, so PowerShell validates it and tab-completes it;
    /// NodeFactory maps each protocol and role onto its engine class.</summary>
    public enum PeerProtocol
    {
        Napster,
        Gnutella,
        BitTorrent,
        Chord,
    }

    /// <summary>What a node does in its system. Napster: IndexServer, Peer. Gnutella: Ultrapeer, Leaf (Peer = Ultrapeer).
    /// BitTorrent: Tracker, Seeder, Leecher. Chord: Peer (a ring member), Client (lookups and stores only).</summary>
    public enum PeerRole
    {
        Peer,
        IndexServer,
        Ultrapeer,
        Leaf,
        Tracker,
        Seeder,
        Leecher,
        /// <summary>Chord: a node behind a NAT that looks keys up and stores them, but is no member of the ring.</summary>
        Client,
    }
}
