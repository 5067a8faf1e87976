using System;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Content
{
    /// <summary>A file a node shares: its place in the folder and its content hash.</summary>
    public sealed class SharedFile
    {
        public SharedFile(int index, string name, string fullPath, long size, ContentHash contentHash, DateTime lastWriteUtc)
        {
            Index = index; Name = name; FullPath = fullPath; Size = size; ContentHash = contentHash; LastWriteUtc = lastWriteUtc;
        }

        /// <summary>Stable index within the node, used in GET /get/&lt;index&gt;/&lt;name&gt;.</summary>
        public int Index { get; }
        /// <summary>Path relative to the shared folder, with '/' separators.</summary>
        public string Name { get; }
        public string FullPath { get; }
        public long Size { get; }
        public ContentHash ContentHash { get; }
        public DateTime LastWriteUtc { get; }
        public override string ToString() => $"{Name} ({Size} bytes, {ContentHash})";
    }
}
