using System.IO;
using PSPeer.Engine.BitTorrent;

namespace PSPeer
{
    /// <summary>
    /// A quick look, before any hashing, at whether a folder holds a torrent's files at their full sizes, laid out
    /// as the swarm engine reads them (single file: folder/Name; multi-file: folder/Name/path).
    /// </summary>
    internal static class TorrentDataCheck
    {
        /// <summary>Where the torrent's content lives under <paramref name="folder"/>: the file, or the torrent's folder.</summary>
        public static string ContentPath(TorrentMetainfo torrent, string folder) => Path.Combine(folder, torrent.Name);

        /// <summary>As <see cref="FindMissing"/>, and says so when the folder itself does not exist.</summary>
        public static string DescribeMissing(TorrentMetainfo torrent, string folder) =>
            Directory.Exists(folder) ? FindMissing(torrent, folder) : $"the folder '{folder}' does not exist";

        /// <summary>The TorrentDataMissing message for what <see cref="DescribeMissing"/> found.</summary>
        public static string SeederMessage(string missing) => $"A seeder needs the torrent's content, and {missing}.";

        public const string SeederHint = "Point -SharedPath at the folder that holds the torrent's content, or start a Leecher to download it.";

        /// <summary>Null when every file is there at its full size; else what is wrong with the first that is not, and how many are.</summary>
        public static string FindMissing(TorrentMetainfo torrent, string folder)
        {
            string first = null;
            int bad = 0;
            foreach (var file in torrent.Files)
            {
                string path = torrent.IsMultiFile
                    ? Path.Combine(ContentPath(torrent, folder), file.Path.Replace('/', Path.DirectorySeparatorChar))
                    : ContentPath(torrent, folder);
                var info = new FileInfo(path);
                string problem = !info.Exists ? $"'{path}' does not exist"
                    : info.Length != file.Length ? $"'{path}' is {info.Length} bytes, the torrent says {file.Length}"
                    : null;
                if (problem == null) continue;
                bad++;
                if (first == null) first = problem;
            }
            if (bad == 0) return null;
            return bad == 1 ? first : $"{first} (and {bad - 1} more of the torrent's {torrent.Files.Count} files are missing or short)";
        }
    }
}
