using System;
using System.Collections.Generic;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Every source address the tracker holds something for, ranked by peers and by swarms created, so the heaviest
    /// address is found in O(log n) when the tracker is full. Not thread-safe: <see cref="TrackerState"/> locks around it.
    /// </summary>
    sealed class TrackerAddressBook
    {
        readonly Dictionary<string, TrackerAddress> _byHost = new Dictionary<string, TrackerAddress>(StringComparer.Ordinal);
        readonly SortedSet<TrackerAddress> _byPeers = new SortedSet<TrackerAddress>(Comparer<TrackerAddress>.Create((a, b) =>
            a.Peers != b.Peers ? b.Peers.CompareTo(a.Peers) : a.Order.CompareTo(b.Order)));
        readonly SortedSet<TrackerAddress> _bySwarms = new SortedSet<TrackerAddress>(Comparer<TrackerAddress>.Create((a, b) =>
            a.Created.Count != b.Created.Count ? b.Created.Count.CompareTo(a.Created.Count) : a.Order.CompareTo(b.Order)));
        long _nextOrder;

        public int Count => _byHost.Count;

        /// <summary>The record for <paramref name="host"/>, created empty if new (call <see cref="ForgetIfUnused"/> after).</summary>
        public TrackerAddress Get(string host)
        {
            if (!_byHost.TryGetValue(host, out var address))
            {
                address = new TrackerAddress(host, _nextOrder++);
                _byHost.Add(host, address);
                _byPeers.Add(address);
                _bySwarms.Add(address);
            }
            return address;
        }

        public TrackerAddress HeaviestByPeers => _byPeers.Min;
        public TrackerAddress HeaviestBySwarms => _bySwarms.Min;

        public void AddPeer(TrackerAddress address, TrackerPeerEntry entry)
        {
            Revive(address);
            _byPeers.Remove(address);
            address.AddPeer(entry);
            _byPeers.Add(address);
        }

        public void RemovePeer(TrackerPeerEntry entry)
        {
            var address = entry.Source;
            _byPeers.Remove(address);
            address.RemovePeer(entry);
            _byPeers.Add(address);
            ForgetIfUnused(address);
        }

        public void AddCreated(TrackerAddress address, TrackerSwarm swarm)
        {
            Revive(address);
            _bySwarms.Remove(address);
            swarm.CreatorNode = address.Created.AddLast(swarm);
            swarm.Creator = address;
            _bySwarms.Add(address);
        }

        public void RemoveCreated(TrackerSwarm swarm)
        {
            var address = swarm.Creator;
            if (address == null) return;
            _bySwarms.Remove(address);
            address.Created.Remove(swarm.CreatorNode);
            swarm.CreatorNode = null;
            swarm.Creator = null;
            _bySwarms.Add(address);
            ForgetIfUnused(address);
        }

        // A record forgotten while its announce was still being handled (an eviction emptied it) comes back as it was.
        void Revive(TrackerAddress address)
        {
            if (_byHost.ContainsKey(address.Host)) return;
            _byHost.Add(address.Host, address);
            _byPeers.Add(address);
            _bySwarms.Add(address);
        }

        /// <summary>Drops the record of an address that holds nothing any more (a failed announce leaves no trace).</summary>
        public void ForgetIfUnused(TrackerAddress address)
        {
            if (!address.IsUnused || !_byHost.Remove(address.Host)) return;
            _byPeers.Remove(address);
            _bySwarms.Remove(address);
        }
    }
}
