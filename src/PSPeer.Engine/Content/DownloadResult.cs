using System;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Content
{
    public sealed class DownloadResult
    {
        public DownloadResult(string path, long size, ContentHash contentHash, bool verified, TimeSpan duration, string source, bool alreadyPresent = false)
        {
            Path = path; Size = size; ContentHash = contentHash; Verified = verified; Duration = duration; Source = source; AlreadyPresent = alreadyPresent;
        }
        /// <summary>The destination already held this very content (same hash): nothing was transferred.</summary>
        public bool AlreadyPresent { get; }
        public string Path { get; }
        public long Size { get; }
        public ContentHash ContentHash { get; }
        public bool Verified { get; }
        public TimeSpan Duration { get; }
        public string Source { get; }
    }

    public sealed class DownloadProgress
    {
        public DownloadProgress(string name, long bytesReceived, long totalBytes, double bytesPerSecond)
        {
            Name = name; BytesReceived = bytesReceived; TotalBytes = totalBytes; BytesPerSecond = bytesPerSecond;
        }
        public string Name { get; }
        public long BytesReceived { get; }
        /// <summary>-1 when unknown.</summary>
        public long TotalBytes { get; }
        public double BytesPerSecond { get; }
    }
}
