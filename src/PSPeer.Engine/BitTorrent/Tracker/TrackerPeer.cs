using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>One peer in a tracker's answer.</summary>
    public sealed class TrackerPeer
    {
        public TrackerPeer(HostPort endPoint, byte[] peerId)
        {
            EndPoint = endPoint;
            PeerId = peerId;
        }

        public HostPort EndPoint { get; }
        /// <summary>20 bytes; null in compact lists and with no_peer_id.</summary>
        public byte[] PeerId { get; }

        public override string ToString() => EndPoint.ToString();
    }
}
