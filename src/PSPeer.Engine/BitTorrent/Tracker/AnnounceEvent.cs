namespace PSPeer.Engine.BitTorrent
{
    /// <summary>The "event" of an announce (BEP 3): None for the regular re-announce.</summary>
    public enum AnnounceEvent
    {
        None,
        Started,
        Completed,
        Stopped,
    }
}
