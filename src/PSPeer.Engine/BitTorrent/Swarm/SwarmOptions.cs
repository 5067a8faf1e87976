using System;
using System.Collections.Generic;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>How a <see cref="BitTorrentPeer"/> behaves in its swarm. Defaults follow BEP 3 and the classic client.</summary>
    public sealed class SwarmOptions
    {
        /// <summary>Port to accept peers on (0 = any free port).</summary>
        public int Port { get; set; } = 0;
        /// <summary>Announce URLs; null = the torrent's own trackers. An empty list = no tracker (peers come from AddPeerAsync).</summary>
        public IList<string> Trackers { get; set; }
        /// <summary>
        /// Peer connections held at most (incoming and outgoing together). When full, a newcomer takes the slot of a
        /// connection that is of no use to either side (see <see cref="FairSlots"/>), so idle squatters cannot lock peers out.
        /// </summary>
        public int MaxConnections { get; set; } = 50;
        /// <summary>
        /// Connections held at most with one remote address (both directions). libtorrent allows one per IP; PSPeer's local
        /// setups put every node on 127.0.0.1 (the swarm example: a seeder, up to 8 leechers and one more receiving copy),
        /// so 10: enough for those, and a fifth of <see cref="MaxConnections"/>, so that filling a node with connections
        /// that look useful takes at least five addresses.
        /// </summary>
        public int MaxConnectionsPerAddress { get; set; } = 10;
        /// <summary>Regular upload slots, chosen by rate every <see cref="RechokeInterval"/>; one optimistic slot comes on top.</summary>
        public int UploadSlots { get; set; } = 4;
        public TimeSpan RechokeInterval { get; set; } = TimeSpan.FromSeconds(10);
        public TimeSpan OptimisticInterval { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>Bytes/s this node uploads at most, over all peers (0 = unlimited).</summary>
        public long UploadLimitBytesPerSecond { get; set; } = 0;
        /// <summary>Bytes/s this node downloads at most, over all peers (0 = unlimited).</summary>
        public long DownloadLimitBytesPerSecond { get; set; } = 0;
        /// <summary>Keep serving once complete; false = stop (announcing completed and stopped) when the download completes.</summary>
        public bool SeedWhenComplete { get; set; } = true;
        /// <summary>20-byte peer id; null = "-PS0100-" and 12 random bytes from the runtime's random source.</summary>
        public byte[] PeerId { get; set; }
        /// <summary>Most block requests kept outstanding at one peer (the pipeline adapts to the rate below this).</summary>
        public int MaxRequestsPerPeer { get; set; } = 250;
        /// <summary>Interval between tracker announces when the tracker does not say (it usually does).</summary>
        public TimeSpan DefaultAnnounceInterval { get; set; } = TimeSpan.FromMinutes(30);
        /// <summary>
        /// False (default): a file at the torrent's final name is never replaced nor written to; content there is used in
        /// place only when every piece verifies, and otherwise the download goes under its partial name and stays there
        /// when complete (a FinalNameTaken event says so).
        /// True: the download, made under the partial name, replaces whatever is at the final name once verified.
        /// </summary>
        public bool ReplaceExisting { get; set; }
        /// <summary>
        /// The address to give trackers (announce "ip", BEP 15's IP field) instead of the one they see the request
        /// come from; null = theirs. A tracker believes it only if it allows client-given addresses.
        /// </summary>
        public string AnnounceAddress { get; set; }
        /// <summary>
        /// A seeder and nothing else: the data is verified before the node listens, announces or dials, and a start
        /// with data that does not verify whole fails (PeerException TorrentDataMissing) without touching the network,
        /// so a seeder given the wrong files never fetches from the swarm. False (default): whatever is missing is
        /// downloaded.
        /// </summary>
        public bool SeedOnly { get; set; }

        internal SwarmOptions Validated()
        {
            if (Port < 0 || Port > 65535) throw new ArgumentOutOfRangeException(nameof(Port), Port, "A port is 0 to 65535.");
            if (MaxConnections < 1) throw new ArgumentOutOfRangeException(nameof(MaxConnections), MaxConnections, "At least one connection.");
            if (MaxConnectionsPerAddress < 1) throw new ArgumentOutOfRangeException(nameof(MaxConnectionsPerAddress), MaxConnectionsPerAddress, "At least one connection per address.");
            if (UploadSlots < 1) throw new ArgumentOutOfRangeException(nameof(UploadSlots), UploadSlots, "At least one upload slot.");
            if (RechokeInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RechokeInterval));
            if (OptimisticInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(OptimisticInterval));
            if (UploadLimitBytesPerSecond < 0) throw new ArgumentOutOfRangeException(nameof(UploadLimitBytesPerSecond), "0 (unlimited) or more.");
            if (DownloadLimitBytesPerSecond < 0) throw new ArgumentOutOfRangeException(nameof(DownloadLimitBytesPerSecond), "0 (unlimited) or more.");
            if (PeerId != null && PeerId.Length != 20) throw new ArgumentException("A peer id is exactly 20 bytes.", nameof(PeerId));
            if (MaxRequestsPerPeer < 1) throw new ArgumentOutOfRangeException(nameof(MaxRequestsPerPeer));
            return new SwarmOptions
            {
                Port = Port, Trackers = Trackers == null ? null : new List<string>(Trackers), MaxConnections = MaxConnections,
                MaxConnectionsPerAddress = MaxConnectionsPerAddress,
                UploadSlots = UploadSlots, RechokeInterval = RechokeInterval, OptimisticInterval = OptimisticInterval,
                UploadLimitBytesPerSecond = UploadLimitBytesPerSecond, DownloadLimitBytesPerSecond = DownloadLimitBytesPerSecond,
                SeedWhenComplete = SeedWhenComplete, PeerId = PeerId == null ? null : (byte[])PeerId.Clone(),
                MaxRequestsPerPeer = MaxRequestsPerPeer, DefaultAnnounceInterval = DefaultAnnounceInterval, ReplaceExisting = ReplaceExisting,
                AnnounceAddress = AnnounceAddress, SeedOnly = SeedOnly,
            };
        }
    }
}
