using System;
using System.Collections.Generic;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>What <see cref="TorrentBuilder.CreateAsync"/> writes besides the content's own name, sizes and hashes.</summary>
    public sealed class TorrentBuildOptions
    {
        /// <summary>Announce URLs: the first becomes "announce"; with more than one, each is its own tier of "announce-list".</summary>
        public IList<string> Trackers { get; set; } = new List<string>();

        /// <summary>A power of two from 16 KiB to 16 MiB; null picks one from the total size (TorrentBuilder.DefaultPieceLength).</summary>
        public int? PieceLength { get; set; }

        public bool Private { get; set; }
        public string Comment { get; set; }
        public string CreatedBy { get; set; } = "PSPeer " + typeof(TorrentBuildOptions).Assembly.GetName().Version.ToString(3);

        /// <summary>Null means now (UTC), taken when the build starts.</summary>
        public DateTimeOffset? CreationDate { get; set; }

        /// <summary>The torrent's name; null means the file's or folder's own name.</summary>
        public string Name { get; set; }

        /// <summary>Pieces hashed at once.</summary>
        public int Parallelism { get; set; } = Environment.ProcessorCount;

        /// <summary>When false, the creation date is left out (reproducible output).</summary>
        public bool IncludeCreationDate { get; set; } = true;
    }
}
