using System.Collections.Generic;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// One source address as the tracker counts it: the peers announced from it (in every swarm) and the swarms it
    /// created. Quotas and eviction are per source address, the one thing a client cannot choose freely over TCP.
    /// Guarded by the tracker state's lock; <see cref="TrackerAddressBook"/> keeps the rankings in step.
    /// </summary>
    sealed class TrackerAddress
    {
        readonly LinkedList<TrackerPeerEntry>[] _byKeepClass =
        {
            new LinkedList<TrackerPeerEntry>(), new LinkedList<TrackerPeerEntry>(),
            new LinkedList<TrackerPeerEntry>(), new LinkedList<TrackerPeerEntry>(),
        };

        public TrackerAddress(string host, long order)
        {
            Host = host;
            Order = order;
        }

        public string Host { get; }
        /// <summary>Creation order: breaks ties in the rankings, so they are total and deterministic.</summary>
        public long Order { get; }
        public int Peers { get; private set; }
        /// <summary>Live swarms whose first announce came from here, oldest first.</summary>
        public readonly LinkedList<TrackerSwarm> Created = new LinkedList<TrackerSwarm>();
        public bool IsUnused => Peers == 0 && Created.Count == 0;

        // Peers and Created change only through TrackerAddressBook, which re-ranks around the change.
        internal void AddPeer(TrackerPeerEntry entry)
        {
            entry.Source = this;
            entry.KeepNode = _byKeepClass[entry.KeepClass].AddLast(entry);
            Peers++;
        }

        internal void RemovePeer(TrackerPeerEntry entry)
        {
            entry.KeepNode.List.Remove(entry.KeepNode);
            entry.KeepNode = null;
            entry.Source = null;
            Peers--;
        }

        /// <summary>After an announce of a known peer: it moves to the kept end of its (possibly new) class.</summary>
        internal void Touch(TrackerPeerEntry entry)
        {
            entry.KeepNode.List.Remove(entry.KeepNode);
            _byKeepClass[entry.KeepClass].AddLast(entry.KeepNode);
        }

        /// <summary>The peer to evict first: the lowest keep class, stalest within it; null when none.</summary>
        public TrackerPeerEntry Victim()
        {
            foreach (var list in _byKeepClass)
                if (list.First != null) return list.First.Value;
            return null;
        }
    }
}
