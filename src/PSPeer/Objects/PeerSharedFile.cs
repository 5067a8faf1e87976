using PSPeer.Engine.Content;

namespace PSPeer
{
    /// <summary>A file a node shares (Publish-PeerFile -PassThru).</summary>
    public sealed class PeerSharedFile
    {
        internal PeerSharedFile(SharedFile file, PeerNode node)
        {
            Name = file.Name; Size = file.Size; ContentHash = file.ContentHash.ToString(); Path = file.FullPath;
            Index = file.Index; Node = node; Sha1 = file.ContentHash.Hex;
        }

        public string Name { get; }
        public long Size { get; }
        public string ContentHash { get; }
        /// <summary>The same hash as 40 hex digits: compares with (Get-FileHash -Algorithm SHA1).Hash.</summary>
        public string Sha1 { get; }
        public PeerNode Node { get; }
        public string Path { get; }
        /// <summary>The file's index on its node (GET /get/&lt;index&gt;/&lt;name&gt;).</summary>
        public int Index { get; }

        public override string ToString() => Path;
    }
}
