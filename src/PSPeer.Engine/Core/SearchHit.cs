using System;

namespace PSPeer.Engine.Core
{
    /// <summary>One file found by a search: what it is and where to fetch it over HTTP.</summary>
    public sealed class SearchHit
    {
        public SearchHit(string name, long size, ContentHash contentHash, string source, int fileIndex, string peerName, int hops, TimeSpan latency)
        {
            Name = name; Size = size; ContentHash = contentHash; Source = source; FileIndex = fileIndex; PeerName = peerName; Hops = hops; Latency = latency;
        }

        public string Name { get; }
        public long Size { get; }
        public ContentHash ContentHash { get; }
        /// <summary>"host:port" of the HTTP server that serves the file.</summary>
        public string Source { get; }
        /// <summary>The file's index on its peer, for GET /get/&lt;index&gt;/&lt;name&gt;.</summary>
        public int FileIndex { get; }
        public string PeerName { get; }
        /// <summary>Overlay hops between the searcher and the answer (1 for a central index).</summary>
        public int Hops { get; }
        /// <summary>Time from sending the search to receiving this hit.</summary>
        public TimeSpan Latency { get; }
        /// <summary>Gnutella: the answering servent's GUID (32 hex digits), for routing a Push to it; null elsewhere.</summary>
        public string ServentId { get; set; }
        /// <summary>Gnutella: the answering servent is firewalled, so a download goes by Push and its GIV connection.</summary>
        public bool NeedsPush { get; set; }

        public override string ToString() => $"{Name} ({Size} bytes) at {Source}";
    }
}
