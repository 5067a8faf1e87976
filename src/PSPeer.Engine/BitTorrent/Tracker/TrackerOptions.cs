using System;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>How a <see cref="BitTorrentTracker"/> paces and bounds its swarms.</summary>
    public sealed class TrackerOptions
    {
        /// <summary>
        /// Regular announce interval handed to peers. Ten minutes, shorter than the classic 30: PSPeer swarms are
        /// short-lived artifact copies where a new leecher should be found by the others soon.
        /// </summary>
        public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

        /// <summary>"min interval" handed to peers; null leaves it out.</summary>
        public TimeSpan? MinInterval { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>A peer not heard from for this long is dropped: 2.5 intervals, so one lost announce is forgiven.</summary>
        public TimeSpan PeerExpiry { get; set; } = TimeSpan.FromMinutes(25);

        /// <summary>Most peers one answer carries, whatever numwant asks.</summary>
        public int MaxNumWant { get; set; } = 200;

        /// <summary>Peers in an answer when the request names no numwant.</summary>
        public int DefaultNumWant { get; set; } = 50;

        /// <summary>Most torrents the (open) tracker keeps; announces for new ones beyond it get a failure reason.</summary>
        public int MaxSwarms { get; set; } = 10_000;

        /// <summary>Most peers kept per torrent; new peers beyond it get a failure reason.</summary>
        public int MaxPeersPerSwarm { get; set; } = 5_000;

        /// <summary>Most torrents a scrape without info_hash lists.</summary>
        public int MaxScrapeAll { get; set; } = 1_000;

        /// <summary>A connection waiting this long for a request is closed.</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Answer BEP 15 announces and scrapes over UDP on the tracker's port as well as HTTP.</summary>
        public bool ServeUdp { get; set; } = true;

        /// <summary>
        /// Believe the address a client names in a UDP announce instead of the one its datagram came from. Off by default,
        /// as on opentracker: anyone could otherwise point a swarm at a third party.
        /// </summary>
        public bool HonourClientAddress { get; set; }

        internal void Validate()
        {
            if (Interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "The announce interval must be positive.");
            if (PeerExpiry <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PeerExpiry), PeerExpiry, "The peer expiry must be positive.");
            if (MaxNumWant < 0 || DefaultNumWant < 0) throw new ArgumentOutOfRangeException(nameof(MaxNumWant), "numwant bounds cannot be negative.");
            if (MaxSwarms <= 0 || MaxPeersPerSwarm <= 0 || MaxScrapeAll < 0) throw new ArgumentOutOfRangeException(nameof(MaxSwarms), "Swarm bounds must be positive.");
            if (IdleTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "The idle timeout must be positive.");
        }
    }
}
