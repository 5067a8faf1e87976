using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>What a peer tells the tracker (BEP 3 announce parameters).</summary>
    public sealed class AnnounceRequest
    {
        public InfoHash InfoHash { get; set; }
        /// <summary>20 bytes.</summary>
        public byte[] PeerId { get; set; }
        /// <summary>The port this peer accepts peer-wire connections on.</summary>
        public int Port { get; set; }
        public long Uploaded { get; set; }
        public long Downloaded { get; set; }
        /// <summary>Bytes still missing; 0 means a seeder.</summary>
        public long Left { get; set; }
        public AnnounceEvent Event { get; set; }
        public int NumWant { get; set; } = 50;
        /// <summary>Ask for BEP 23 compact peer lists (6 bytes a peer).</summary>
        public bool Compact { get; set; } = true;
        /// <summary>Leave peer ids out of a non-compact list (saves bytes; ignored with Compact).</summary>
        public bool NoPeerId { get; set; }
        /// <summary>Optional identification that stays the same when the peer's address changes.</summary>
        public string Key { get; set; }
        /// <summary>
        /// Optional address to announce instead of the connection's (an IP literal); null = where we connect from. A tracker
        /// uses it only when its operator allows it (<see cref="TrackerOptions.AllowClientAddress"/>).
        /// </summary>
        public string IP { get; set; }
        /// <summary>
        /// Tracker side: the address the announce came from (the connection's), which the tracker's per-address quotas are
        /// charged to whatever <see cref="IP"/> says. Not sent by clients.
        /// </summary>
        public string Source { get; set; }
    }
}
