using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>Creates a torrent for a file or a folder.</summary>
    public static class TorrentBuilder
    {
        public const int MinPieceLength = 16 * 1024;
        public const int MaxPieceLength = 16 * 1024 * 1024;

        public static int DefaultPieceLength(long totalSize)
        {
            throw new NotImplementedException();
        }

        public static Task<TorrentMetainfo> CreateAsync(IFileStorage storage, string path, TorrentBuildOptions options,
            IProgress<long> bytesHashed, CancellationToken ct)
        {
            throw new NotImplementedException();
        }
    }
}
