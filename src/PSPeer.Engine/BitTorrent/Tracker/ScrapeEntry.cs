using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>One torrent's counts in a scrape answer.</summary>
    public sealed class ScrapeEntry
    {
        public ScrapeEntry(InfoHash infoHash, int complete, int incomplete, int downloaded)
        {
            InfoHash = infoHash;
            Complete = complete;
            Incomplete = incomplete;
            Downloaded = downloaded;
        }

        public InfoHash InfoHash { get; }
        /// <summary>Seeders now.</summary>
        public int Complete { get; }
        /// <summary>Leechers now.</summary>
        public int Incomplete { get; }
        /// <summary>"completed" events the tracker has seen for this torrent.</summary>
        public int Downloaded { get; }
    }
}
