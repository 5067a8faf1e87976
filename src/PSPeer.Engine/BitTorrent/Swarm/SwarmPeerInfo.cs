namespace PSPeer.Engine.BitTorrent
{
    /// <summary>A snapshot of one connected peer, as Get-PeerNode and the progress display show it.</summary>
    public sealed class SwarmPeerInfo
    {
        internal SwarmPeerInfo(string endPoint, string client, bool isOutgoing, bool amChoking, bool amInterested, bool peerChoking,
            bool peerInterested, double downloadRate, double uploadRate, long downloaded, long uploaded, double progress)
        {
            EndPoint = endPoint;
            Client = client;
            IsOutgoing = isOutgoing;
            AmChoking = amChoking;
            AmInterested = amInterested;
            PeerChoking = peerChoking;
            PeerInterested = peerInterested;
            DownloadRate = downloadRate;
            UploadRate = uploadRate;
            Downloaded = downloaded;
            Uploaded = uploaded;
            Progress = progress;
        }

        /// <summary>"host:port" of the other end.</summary>
        public string EndPoint { get; }
        /// <summary>The client named by the peer id's prefix ("PS0100", "lt0D60", "A2-1-37"...).</summary>
        public string Client { get; }
        /// <summary>We dialled it (true) or it dialled us.</summary>
        public bool IsOutgoing { get; }
        public bool AmChoking { get; }
        public bool AmInterested { get; }
        public bool PeerChoking { get; }
        public bool PeerInterested { get; }
        /// <summary>Bytes/s we receive from it, over the last few seconds.</summary>
        public double DownloadRate { get; }
        public double UploadRate { get; }
        public long Downloaded { get; }
        public long Uploaded { get; }
        /// <summary>Share of the pieces it has (0..1).</summary>
        public double Progress { get; }

        public override string ToString() => $"{EndPoint} {Client} {Progress:P0} down {DownloadRate:0} B/s up {UploadRate:0} B/s";
    }
}
