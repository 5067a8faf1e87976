namespace PSPeer.Engine.BitTorrent
{
    /// <summary>One file of a torrent and where its bytes sit in the torrent's concatenated byte stream.</summary>
    public sealed class TorrentFile
    {
        public TorrentFile(string path, long length, long offset)
        {
            Path = path;
            Length = length;
            Offset = offset;
        }

        /// <summary>Relative, '/'-separated, checked safe by <see cref="TorrentPathValidator"/>. For a single-file torrent, the name.</summary>
        public string Path { get; }

        public long Length { get; }

        /// <summary>Offset of the file's first byte in the torrent's byte stream (files laid end to end).</summary>
        public long Offset { get; }

        public override string ToString() => Path;
    }
}
