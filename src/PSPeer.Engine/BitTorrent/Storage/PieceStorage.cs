using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>Skeleton: maps pieces onto the torrent's files.</summary>
    public sealed class PieceStorage : IDisposable
    {
        public PieceStorage(IFileStorage storage, TorrentMetainfo torrent, string directory)
        {
            Torrent = torrent ?? throw new ArgumentNullException(nameof(torrent));
            Have = new Bitfield(torrent.PieceCount);
        }

        public TorrentMetainfo Torrent { get; }
        public Bitfield Have { get; }
        public bool IsComplete => Have.AllSet;
        public long BytesVerified { get; private set; }

        public Task<Bitfield> CheckExistingAsync(IProgress<int> piecesChecked, CancellationToken cancellationToken) => throw new NotImplementedException();
        public Task<bool> WritePieceAsync(int piece, byte[] data, int offset, CancellationToken cancellationToken) => throw new NotImplementedException();
        public Task ReadAsync(int piece, int begin, byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new NotImplementedException();
        public void Dispose() { }
    }
}
