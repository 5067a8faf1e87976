namespace PSPeer
{
    /// <summary>
    /// The charts Export-PeerChart draws. Flood: query messages per TTL against the 2|E| bound and nodes reached per
    /// TTL against breadth-first search, from Measure-PeerNetwork. Swarm: a torrent swarm's completion times as a CDF,
    /// against the lower bound when every uploader has an upload limit. Chord: lookup hops against ½·log2 N and keys per
    /// host, from Measure-PeerNetwork on rings of several sizes. New kinds are added at the end.
    /// </summary>
    public enum PeerChartKind
    {
        Flood,
        Swarm,
        Chord,
    }
}
