using System;
using System.Linq;
using System.Management.Automation;
using PSPeer.Engine.BitTorrent;

namespace PSPeer
{
    /// <summary>A .torrent as New-Torrent wrote it or Get-TorrentInfo read it.</summary>
    public sealed class TorrentInfo
    {
        internal TorrentInfo(TorrentMetainfo metainfo, string path)
        {
            Metainfo = metainfo;
            Path = path;
            Name = metainfo.Name;
            Size = metainfo.TotalSize;
            FileCount = metainfo.Files.Count;
            Files = metainfo.Files.Select(f => new TorrentInfoFile(f.Path, f.Length)).ToArray();
            PieceSize = metainfo.PieceLength;
            PieceCount = metainfo.PieceCount;
            InfoHash = metainfo.InfoHash.Hex;
            Trackers = metainfo.Trackers.ToArray();
            MagnetLink = metainfo.MagnetLink;
            Private = metainfo.IsPrivate;
            Comment = metainfo.Comment;
            CreatedBy = metainfo.CreatedBy;
            CreationDate = metainfo.CreationDate?.LocalDateTime;
        }

        public string Name { get; }
        /// <summary>Total bytes of content.</summary>
        public long Size { get; }
        public int FileCount { get; }
        /// <summary>Paths relative to the torrent's folder ('/'-separated) and lengths; the name itself for a single file.</summary>
        public TorrentInfoFile[] Files { get; }
        public int PieceSize { get; }
        public int PieceCount { get; }
        /// <summary>40 lowercase hex digits.</summary>
        public string InfoHash { get; }
        public string[] Trackers { get; }
        public string MagnetLink { get; }
        public bool Private { get; }
        public string Comment { get; }
        public string CreatedBy { get; }
        /// <summary>Local time; null when the torrent carries none.</summary>
        public DateTime? CreationDate { get; }
        /// <summary>Full path of the .torrent file.</summary>
        public string Path { get; }

        /// <summary>The engine's parsed torrent (internal: what Start-PeerNode and Receive-PeerFile use).</summary>
        internal TorrentMetainfo Metainfo { get; }

        public override string ToString() => Path ?? Name;
    }

    /// <summary>One file of a torrent.</summary>
    public sealed class TorrentInfoFile
    {
        internal TorrentInfoFile(string path, long length) { Path = path; Length = length; }
        public string Path { get; }
        public long Length { get; }
        public override string ToString() => Path;
    }
}
