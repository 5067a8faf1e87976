using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Which peers sent a download its data, exactly: every PieceVerified event names the endpoints (Data "Sources")
    /// and peer ids (Data "PeerIds") of the connections whose blocks made up that piece, so a peer that sent data and
    /// then disconnected is still counted, and one that connected but sent nothing is not.
    /// Thread-safe: events arrive on engine threads, reads come from the cmdlet.
    /// </summary>
    internal sealed class SwarmSources : IDisposable
    {
        readonly IDisposable _subscription;
        readonly List<string> _order = new List<string>();
        // Endpoint -> peer id (hex): an incoming peer's endpoint has its outgoing port, not the one it listens on, so
        // its peer id is what ties it to a node.
        readonly Dictionary<string, string> _peerIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public SwarmSources(BitTorrentPeer peer)
        {
            _subscription = peer.EventsInline.Subscribe(e =>
            {
                if (e.Type == PeerEventTypes.PieceVerified && e["Sources"] is string[] endPoints)
                    Add(endPoints, e["PeerIds"] as string[]);
            }, _ => { });
        }

        void Add(string[] endPoints, string[] peerIds)
        {
            lock (_order)
                for (int i = 0; i < endPoints.Length; i++)
                {
                    string endPoint = endPoints[i];
                    if (string.IsNullOrEmpty(endPoint) || _peerIds.ContainsKey(endPoint)) continue;
                    _peerIds[endPoint] = peerIds != null && i < peerIds.Length ? peerIds[i] : null;
                    _order.Add(endPoint);
                }
        }

        /// <summary>In the order they were first seen.</summary>
        public string[] ToArray()
        {
            lock (_order) return _order.ToArray();
        }

        /// <summary>The peer id (hex) of each source, in the order of <see cref="ToArray"/>; null where unknown.</summary>
        public string[] PeerIds()
        {
            lock (_order) return _order.Select(e => _peerIds[e]).ToArray();
        }

        public void Dispose() => _subscription.Dispose();
    }
}
