using System;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    // Fair slots: a full node makes room for a newcomer by evicting a useless connection (FairSlots states the rule),
    // and no remote address holds more than MaxConnectionsPerAddress connections. Strangers before their handshake are
    // the admission gate's to count and time (Limits), not these slots'.
    public sealed partial class BitTorrentPeer
    {
        /// <summary>
        /// Under _gate, for a handshaken connection from <paramref name="host"/>: null when it may have a slot (a useless
        /// connection is evicted for it if needed), else why not.
        /// </summary>
        string MakeRoom(string host)
        {
            var now = Runtime.Clock.Now;
            bool haveAny = _picker.Have.SetCount > 0;
            if (host != null && FairSlots.CountFrom(_connections, host) >= _options.MaxConnectionsPerAddress)
            {
                var own = FairSlots.PickVictim(_connections, host, haveAny, now);
                if (own == null) return $"{_options.MaxConnectionsPerAddress} connections from {host} already";
                Evict(own, $"replaced by a newer connection from its address ({_options.MaxConnectionsPerAddress} per address)");
            }
            if (_connections.Count < _options.MaxConnections) return null;
            var victim = FairSlots.PickVictim(_connections, null, haveAny, now);
            if (victim == null) return "every slot is taken by a useful peer";
            Evict(victim, "evicted for a new peer: no interest either way and no data for a while");
            return null;
        }

        void Evict(SwarmConnection victim, string reason)
        {
            if (HasEventObservers)
                Emit(PeerEventTypes.PeerEvicted, victim.Remote, reason,
                    D("Action", "Evicted"), D("Address", victim.RemoteHost), D("PeerId", victim.PeerIdHex), D("Reason", reason));
            Close(victim, reason, false);
        }
    }
}
