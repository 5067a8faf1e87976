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

        /// <summary>All known types, for tab completion and validation.</summary>
        public static readonly string[] All =
        {
            NodeStarted, NodeStopped, Connected, ConnectionClosed, MalformedMessage, LoggedIn, LoggedOut,
            FileShared, FileUnshared, SearchReceived, SearchAnswered, SearchHit, HttpRequest, UploadCompleted,
            DownloadStarted, DownloadProgress, DownloadVerified, DownloadFailed,
        };
    }
}
