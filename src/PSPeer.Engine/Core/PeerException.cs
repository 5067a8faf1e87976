using System;

namespace PSPeer.Engine.Core
{
    /// <summary>
    /// A failure the user can act on. ErrorId is a stable &lt;Noun&gt;&lt;Problem&gt; id that the cmdlets turn into an
    /// ErrorRecord's FullyQualifiedErrorId (IndexServerUnreachable, PortInUse, ContentHashMismatch...).
    /// </summary>
    public class PeerException : Exception
    {
        public PeerException(string errorId, string message, Exception inner = null) : base(message, inner) => ErrorId = errorId;
        public string ErrorId { get; }
    }

    public static class PeerErrorIds
    {
        public const string PortInUse = "PortInUse";
        public const string Unreachable = "PeerUnreachable";
        public const string IndexServerUnreachable = "IndexServerUnreachable";
        public const string ContentHashMismatch = "ContentHashMismatch";
        public const string DownloadFailed = "DownloadFailed";
        public const string SharedPathNotFound = "SharedPathNotFound";
        public const string ProtocolViolation = "ProtocolViolation";
        public const string NodeNotRunning = "NodeNotRunning";
        // BitTorrent
        public const string InvalidTorrent = "InvalidTorrent";           // a .torrent that does not parse or breaks BEP 3
        public const string UnsafeFileName = "UnsafeFileName";           // absolute path, "..", or a device name in a torrent
        public const string TorrentNotFound = "TorrentNotFound";         // a .torrent path that does not exist
        public const string TrackerFailure = "TrackerFailure";           // the tracker answered "failure reason"
        public const string TrackerUnreachable = "TrackerUnreachable";
        // Gnutella
        public const string HandshakeRefused = "HandshakeRefused";       // the other servent answered 4xx/5xx
        // Torrent creation
        public const string TorrentSourceNotFound = "TorrentSourceNotFound"; // New-Torrent: the content to hash does not exist
        // Content
        public const string SourceBusy = "SourceBusy";                   // a download source stayed busy (503) past the retries it allows
        // Downloads
        public const string DestinationFileExists = "DestinationFileExists"; // a different file already has the download's name
        // Addresses (live)
        public const string AddressNotAvailable = "AddressNotAvailable"; // -Address names an address this host does not have
        public const string PortAccessDenied = "PortAccessDenied";       // a port below 1024 without the right to bind it
        // Chord
        public const string ChordJoinFailed = "ChordJoinFailed";         // the bootstrap node did not answer, or the ring could not place this node
        public const string ChordLookupFailed = "ChordLookupFailed";     // no live owner or holder of a key could be reached
        public const string ChordStoreRefused = "ChordStoreRefused";     // the holders refused a value (302 too big, 303 too many values, 305 bad token)
        // BitTorrent (later)
        public const string TorrentDataMissing = "TorrentDataMissing";   // a seed-only node whose data does not verify whole (SwarmOptions.SeedOnly)
    }
}
