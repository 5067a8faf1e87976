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

        /// <summary>
        /// Most torrents the (open) tracker keeps. When full, a torrent that only its creator's address announces is
        /// taken back from the address that created the most; failing that, new torrents get a failure reason.
        /// </summary>
        public int MaxSwarms { get; set; } = 10_000;

        /// <summary>
        /// Most peers kept per torrent. When full, a newcomer takes the place of the least valuable peer (one-shot leechers
        /// first) of the address with the most peers there, if that address has two or more above the newcomer's.
        /// </summary>
        public int MaxPeersPerSwarm { get; set; } = 5_000;

        /// <summary>
        /// Most peers kept over all torrents (evicting as for <see cref="MaxPeersPerSwarm"/>, over the whole tracker). At
        /// about 500 bytes of managed memory a peer (PSPeer.Benchmarks tracker: 100,000 peers took 48 MiB) 200,000 peers
        /// cost some 100 MB, a bound a small machine can afford whatever a flood does.
        /// </summary>
        public int MaxPeers { get; set; } = 200_000;

        /// <summary>
        /// Most peers one source address may hold in one torrent; beyond it, that address's new peers are refused. 64: a
        /// household or campus behind NAT has a few, and PSPeer's local setups put every node on 127.0.0.1 (the swarm
        /// example runs up to 50 leechers there); a flood from one address fills this much of a torrent and no more.
        /// </summary>
        public int MaxPeersPerAddressPerSwarm { get; set; } = 64;

        /// <summary>
        /// Most peers one source address may hold over all torrents (refused beyond). 1,000: a seedbox seeding hundreds of
        /// torrents fits; 100,000 fakes from one address do not.
        /// </summary>
        public int MaxPeersPerAddress { get; set; } = 1_000;

        /// <summary>
        /// Most live torrents one source address may have created (its first announce started them); beyond it, that
        /// address's announces for unknown torrents are refused. 1,000, a tenth of <see cref="MaxSwarms"/>: ten flooding
        /// addresses are needed before the tracker must take torrents back.
        /// </summary>
        public int MaxSwarmsPerAddress { get; set; } = 1_000;

        /// <summary>
        /// Honour the "ip" an announce names instead of the address it comes from. Off by default, as opentracker: any
        /// client could otherwise put any address (someone else's) into peer lists. Quotas stay on the source address.
        /// Applies to HTTP's "ip" parameter and to BEP 15's IP field alike.
        /// </summary>
        public bool AllowClientAddress { get; set; }

        /// <summary>Most torrents a scrape without info_hash lists.</summary>
        public int MaxScrapeAll { get; set; } = 1_000;

        /// <summary>A connection waiting this long for a request is closed.</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Answer BEP 15 announces and scrapes over UDP on the tracker's port as well as HTTP.</summary>
        public bool ServeUdp { get; set; } = true;

        internal void Validate()
        {
            if (Interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "The announce interval must be positive.");
            if (PeerExpiry <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PeerExpiry), PeerExpiry, "The peer expiry must be positive.");
            if (MaxNumWant < 0 || DefaultNumWant < 0) throw new ArgumentOutOfRangeException(nameof(MaxNumWant), "numwant bounds cannot be negative.");
            if (MaxSwarms <= 0 || MaxPeersPerSwarm <= 0 || MaxScrapeAll < 0) throw new ArgumentOutOfRangeException(nameof(MaxSwarms), "Swarm bounds must be positive.");
            if (MaxPeers <= 0 || MaxPeersPerAddressPerSwarm <= 0 || MaxPeersPerAddress <= 0 || MaxSwarmsPerAddress <= 0)
                throw new ArgumentOutOfRangeException(nameof(MaxPeers), "Peer and per-address bounds must be positive.");
            if (IdleTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "The idle timeout must be positive.");
        }
    }
}
