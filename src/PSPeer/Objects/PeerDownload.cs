using System;
using PSPeer.Engine.Content;

namespace PSPeer
{
    /// <summary>A file Receive-PeerFile wrote, with its hash checked against the one searched for.</summary>
    public sealed class PeerDownload
    {
        internal PeerDownload(DownloadResult result, string name)
        {
            Path = result.Path; Size = result.Size; ContentHash = result.ContentHash.ToString();
            Verified = result.Verified; Duration = result.Duration; Source = result.Source; Name = name;
        }

        public string Name { get; }
        public string Path { get; }
        public long Size { get; }
        public string ContentHash { get; }
        public bool Verified { get; }
        public TimeSpan Duration { get; }
        public string Source { get; }

        public override string ToString() => Path;
    }
}
