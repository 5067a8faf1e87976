namespace PSPeer.Engine.Runtime.Admission
{
    /// <summary>The kinds of server a node runs; each has its own default <see cref="ConnectionLimits"/>.</summary>
    public enum ServerKind
    {
        /// <summary>A Napster index server: long-lived logged-in peers, short frames.</summary>
        NapsterIndex,
        /// <summary>A peer's HTTP file server (Napster peer, standalone).</summary>
        HttpFileServer,
        /// <summary>A BitTorrent HTTP tracker: short announce and scrape requests.</summary>
        Tracker,
        /// <summary>A BitTorrent seeder or leecher accepting peer-wire connections.</summary>
        BitTorrentPeer,
        /// <summary>A Gnutella servent: links, HTTP uploads and GIV callbacks on one port.</summary>
        GnutellaServent,
    }
}
