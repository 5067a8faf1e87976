namespace PSPeer.Engine.BitTorrent
{
    /// <summary>What became of one requested block the send loop tried to queue (see BitTorrentPeer.Uploads).</summary>
    enum BlockServeOutcome
    {
        /// <summary>Read into the send buffer: it goes out with the next write.</summary>
        Queued,
        /// <summary>The connection closed, or we choked the peer since the request was taken: BEP 3 drops it.</summary>
        Refused,
        /// <summary>A file it spans is being written this moment: read it the waiting way instead.</summary>
        Busy,
    }
}
