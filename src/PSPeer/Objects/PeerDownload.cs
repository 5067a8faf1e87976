using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Content;

namespace PSPeer
{
    /// <summary>A file (or a torrent's content) Receive-PeerFile wrote, with its hash checked.</summary>
    public sealed class PeerDownload
    {
        internal PeerDownload(DownloadResult result, string name)
        {
            Path = result.Path; Size = result.Size; ContentHash = result.ContentHash.ToString();
            Sha1 = result.ContentHash.IsEmpty ? null : result.ContentHash.Hex;
            Verified = result.Verified; Duration = result.Duration; Source = result.Source; Name = name;
            // A file that already held this content: verified, nothing transferred.
            Bytes = result.AlreadyPresent ? 0 : result.Size;
            Sources = result.Source == null ? Array.Empty<string>() : new[] { result.Source };
        }

        /// <summary>A torrent download: every piece checked against the torrent's SHA-1s.</summary>
        internal PeerDownload(string name, string path, long size, long bytes, string infoHash, bool verified, TimeSpan duration, IEnumerable<string> sources)
        {
            Name = name; Path = path; Size = size; Bytes = bytes; InfoHash = infoHash; Verified = verified; Duration = duration;
            Sources = sources.ToArray();
            Source = Sources.Length == 0 ? null : Sources.Length == 1 ? Sources[0] : $"{Sources.Length} peers";
        }

        public string Name { get; }
        /// <summary>The file written (for a multi-file torrent, its folder).</summary>
        public string Path { get; }
        public long Size { get; }
        /// <summary>Bytes received over the network by this download (less than Size when a torrent resumed from disk).</summary>
        public long Bytes { get; }
        /// <summary>urn:sha1 of a search hit's file; null for a torrent (see InfoHash).</summary>
        public string ContentHash { get; }
        /// <summary>The file's SHA-1 as 40 hex digits (compares with (Get-FileHash -Algorithm SHA1).Hash); null for a torrent.</summary>
        public string Sha1 { get; }
        /// <summary>A torrent's info-hash (hex); null for a search hit.</summary>
        public string InfoHash { get; }
        public bool Verified { get; }
        public TimeSpan Duration { get; }
        /// <summary>The peer it came from; for a torrent, the one peer or "N peers" (see Sources).</summary>
        public string Source { get; }
        /// <summary>"host:port" of every peer that sent data.</summary>
        public string[] Sources { get; }

        public override string ToString() => Path;
    }
}
