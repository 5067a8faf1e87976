using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    // STUB (bt-cli only): the contract's shape of bt-swarm's BitTorrentPeer, so the cmdlet layer compiles until
    // bt-swarm lands. On merge, bt-swarm's file replaces this one.
    public sealed class BitTorrentPeer : PeerNodeBase
    {
        public BitTorrentPeer(IPeerRuntime runtime, string name, TorrentMetainfo torrent, string directory, SwarmOptions options)
            : base(runtime, name, "BitTorrent", "Leecher")
        {
            Torrent = torrent; Directory = directory;
        }

        public TorrentMetainfo Torrent { get; }
        public string Directory { get; }
        public Bitfield Have => throw new NotImplementedException();
        public bool IsComplete => throw new NotImplementedException();
        public double Progress => throw new NotImplementedException();
        public IReadOnlyList<SwarmPeerInfo> Peers => throw new NotImplementedException();
        public long Downloaded => throw new NotImplementedException();
        public long Uploaded => throw new NotImplementedException();
        public double DownloadRate => throw new NotImplementedException();
        public double UploadRate => throw new NotImplementedException();
        public Task WhenCompleted(CancellationToken ct) => throw new NotImplementedException();
        public Task AddPeerAsync(HostPort peer, CancellationToken ct) => throw new NotImplementedException();
        protected override Task OnStartAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
        protected override Task OnStopAsync() => throw new NotImplementedException();
    }
}
