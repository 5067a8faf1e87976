using System.Linq;
using System.Reflection;

namespace PSPeer.Engine.Core
{
    /// <summary>The names of event types. Scripts filter on these (Watch-PeerEvent -Type), so they stay stable.</summary>
    public static class PeerEventTypes
    {
        public const string NodeStarted = "NodeStarted";
        public const string NodeStopped = "NodeStopped";
        public const string Connected = "Connected";
        public const string ConnectionClosed = "ConnectionClosed";
        public const string MalformedMessage = "MalformedMessage";
        public const string LoggedIn = "LoggedIn";
        public const string LoggedOut = "LoggedOut";
        public const string FileShared = "FileShared";
        public const string FileUnshared = "FileUnshared";
        public const string SearchReceived = "SearchReceived";
        public const string SearchAnswered = "SearchAnswered";
        public const string SearchHit = "SearchHit";
        public const string HttpRequest = "HttpRequest";
        public const string UploadCompleted = "UploadCompleted";
        public const string DownloadStarted = "DownloadStarted";
        public const string DownloadProgress = "DownloadProgress";
        public const string DownloadVerified = "DownloadVerified";
        public const string DownloadFailed = "DownloadFailed";

        // BitTorrent
        public const string TrackerAnnounce = "TrackerAnnounce";     // a tracker answered an announce (tracker side) or we announced (client side)
        public const string PeerConnected = "PeerConnected";         // a peer-wire handshake completed
        public const string PeerDisconnected = "PeerDisconnected";
        public const string Choked = "Choked";                       // Data: direction ("us" = we choke them, "them" = they choke us)
        public const string Unchoked = "Unchoked";
        public const string PieceVerified = "PieceVerified";
        public const string PieceFailed = "PieceFailed";             // hash mismatch; Data: piece, peers
        public const string PeerBanned = "PeerBanned";               // dropped after repeated bad pieces
        public const string Completed = "Completed";                 // every piece verified; the node now seeds

        // Gnutella
        public const string QueryReceived = "QueryReceived";         // Data: guid, ttl, hops
        public const string QueryForwarded = "QueryForwarded";       // Data: guid, ttl, hops, count (links it went out on)
        public const string QueryDroppedDuplicate = "QueryDroppedDuplicate";
        public const string QueryDroppedTtl = "QueryDroppedTtl";
        public const string HitRoutedBack = "HitRoutedBack";         // a QueryHit passed back along the reverse path; Data: guid, hops
        public const string HitDropped = "HitDropped";               // a QueryHit whose query id is unknown or whose path is gone
        public const string PushReceived = "PushReceived";
        public const string RateLimited = "RateLimited";             // a connection sent more queries than its allowance
        public const string HandshakeRefused = "HandshakeRefused";   // a servent we dialled refused us (403, 503...); Data: Status, Reason
        public const string LinkEvicted = "LinkEvicted";             // a useless link gave its slot to a new one; Data: Reason, Ultrapeer, IdleSeconds

        // Admission (every server kind)
        public const string ConnectionRefused = "ConnectionRefused"; // a connection refused or evicted by the node's limits; Data: Reason, Address
        public const string ConnectionTimedOut = "ConnectionTimedOut"; // closed for not completing its login or handshake in time; Data: Reason, Address
        // Fair slots (BitTorrent peers and trackers)
        public const string PeerEvicted = "PeerEvicted";             // dropped or turned away to keep room for useful peers; Data: Reason, Action (Evicted/Refused), Address

        // Storage and observers
        public const string FinalNameTaken = "FinalNameTaken";       // a torrent completed, but a file PSPeer did not write holds its final name: the data stays under <Name>.pspeer-partial; Data: Path, PartialPath
        public const string ObserverFailed = "ObserverFailed";       // an event subscriber threw: it is unsubscribed, the node goes on; Data: Error
        public const string EventsDropped = "EventsDropped";         // a slow event subscriber's queue was full: events were dropped for it; Data: Dropped
        public const string ReachedFromOutside = "ReachedFromOutside";       // a peer from outside connected in: not firewalled; Data: From
        public const string NotReachedFromOutside = "NotReachedFromOutside"; // no peer from outside connected in within the check's time; Data: Advertised, Waited

        // Chord
        public const string ChordLookupCompleted = "ChordLookupCompleted"; // a lookup ended; Data: Key, KeyId, Owner, Hops, Path, Mode, Retries, Messages, LatencyMs, Succeeded
        public const string SuccessorChanged = "SuccessorChanged";         // Data: Old, New, NewId
        public const string PredecessorChanged = "PredecessorChanged";     // Data: Old, New, NewId
        public const string KeysTransferred = "KeysTransferred";           // keys moved in or out; Data: Direction (In/Out), Keys, Values, Peer, Reason (Join/Leave/Replicate)
        public const string NodeSuspected = "NodeSuspected";               // a peer stopped answering and was dropped from the routing state; Data: Peer, PeerId

        /// <summary>
        /// All known types, for tab completion and validation: every constant above, in the order declared. Read from the
        /// constants themselves, so a new type is known everywhere the moment it is declared; there is no second list.
        /// </summary>
        public static readonly string[] All = typeof(PeerEventTypes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue())
            .ToArray();
    }
}
