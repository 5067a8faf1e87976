namespace PSPeer
{
    /// <summary>What a Gnutella servent assumes about peers reaching it (Start-PeerNode -Reachability).</summary>
    public enum PeerReachability
    {
        /// <summary>Peers can connect in: QueryHits carry no push flag (the default, as on one machine).</summary>
        Reachable,
        /// <summary>Peers cannot connect in (a NAT or firewall): QueryHits carry the push flag, downloads come by Push + GIV.</summary>
        Firewalled,
        /// <summary>Firewalled until a peer from outside (not loopback, not this host) connects in, as gtk-gnutella decides.</summary>
        Detect,
    }
}
