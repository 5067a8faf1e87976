namespace PSPeer
{
    /// <summary>The systems Start-PeerNode can run. An enum, so PowerShell validates it and tab-completes it;
    /// Gnutella, Chord and BitTorrent join here as the engine grows them (see NodeFactory).</summary>
    public enum PeerProtocol
    {
        Napster,
    }

    /// <summary>What a node does in its system. Napster: IndexServer or Peer (later: Ultrapeer, Leaf, Tracker...).</summary>
    public enum PeerRole
    {
        Peer,
        IndexServer,
    }
}
