using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Which peers sent a download its data. Peers that disconnect vanish from the node's peer list, so this keeps
    /// every endpoint seen sending: from each PieceVerified event that names a peer, and from periodic snapshots.
    /// Thread-safe: events arrive on engine threads, samples and reads come from the cmdlet.
    /// </summary>
    internal sealed class SwarmSources : IDisposable
    {
        readonly BitTorrentPeer _peer;
        readonly IDisposable _subscription;
        readonly HashSet<string> _sources = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        readonly List<string> _order = new List<string>();
        // Endpoint -> peer id (hex), from each handshake: an incoming peer's endpoint has its outgoing port, not the
        // one it listens on, so its peer id is what ties it to a node.
        readonly Dictionary<string, string> _peerIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public SwarmSources(BitTorrentPeer peer)
        {
            _peer = peer;
            _subscription = peer.Events.Subscribe(e =>
            {
                if (e.Type == PeerEventTypes.PeerConnected && e.Remote != null && e["PeerId"] is string id)
                    lock (_sources) _peerIds[e.Remote] = id;
                else if (e.Type == PeerEventTypes.PieceVerified && !string.IsNullOrEmpty(e.Remote)) Add(e.Remote);
                // The moment of completion is the last one at which every peer that sent data is surely still
                // connected: right after it, a leecher drops the seeds (both ends complete).
                else if (e.Type == PeerEventTypes.Completed) Sample();
            }, _ => { });
        }

        /// <summary>Adds every connected peer that has sent us payload so far.</summary>
        public void Sample()
        {
            IReadOnlyList<SwarmPeerInfo> peers;
            try { peers = _peer.Peers; }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ObjectDisposedException) { return; }
            foreach (var p in peers)
                if (p.Downloaded > 0) Add(p.EndPoint);
        }

        void Add(string endPoint)
        {
            lock (_sources) if (_sources.Add(endPoint)) _order.Add(endPoint);
        }

        /// <summary>In the order they were first seen.</summary>
        public string[] ToArray()
        {
            lock (_sources) return _order.ToArray();
        }

        /// <summary>The peer id (hex) of each source, in the order of <see cref="ToArray"/>; null where unknown.</summary>
        public string[] PeerIds()
        {
            lock (_sources) return _order.Select(e => _peerIds.TryGetValue(e, out var id) ? id : null).ToArray();
        }

        public void Dispose() => _subscription.Dispose();
    }
}
