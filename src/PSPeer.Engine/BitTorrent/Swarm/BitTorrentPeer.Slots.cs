using System;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    // Fair slots: a full node makes room for a newcomer by evicting a useless connection (FairSlots states the rule),
    // and no remote address holds more than MaxConnectionsPerAddress connections.
    public sealed partial class BitTorrentPeer
    {
        int _handshaking;

        /// <summary>
        /// Whether an accepted connection may go on to its handshake: connections plus handshakes in progress stay within
        /// MaxConnections and a small slack, so a full node still hears newcomers out. Closes it (and says so) when not.
        /// </summary>
        bool BeginHandshake(IConnection connection)
        {
            lock (_gate)
            {
                if (_connections.Count + _handshaking < _options.MaxConnections + FairSlots.HandshakeSlack)
                {
                    _handshaking++;
                    return true;
                }
            }
            if (HasEventObservers)
                Emit(PeerEventTypes.PeerEvicted, connection.RemoteEndPoint, "refused before the handshake: every slot and handshake slot is taken",
                    D("Action", "Refused"), D("Reason", "no handshake slot"));
            connection.Dispose();
            return false;
        }

        void EndHandshake()
        {
            lock (_gate) _handshaking--;
        }

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
