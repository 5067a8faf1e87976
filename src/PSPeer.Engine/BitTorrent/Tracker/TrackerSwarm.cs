using System;
using System.Collections.Generic;
using System.Net;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>One peer as the tracker remembers it.</summary>
    sealed class TrackerPeerEntry
    {
        public TrackerPeerEntry(string id, byte[] peerId) { Id = id; PeerId = peerId; }

        /// <summary>The peer id as a dictionary key (one char per byte).</summary>
        public string Id { get; }
        public byte[] PeerId { get; }
        public string Key;
        public string Host;
        public int Port;
        /// <summary>BEP 23 form: 6 bytes (IPv4) or 18 (IPv6, BEP 7 "peers6").</summary>
        public byte[] Compact;
        public long Left;
        public DateTimeOffset LastSeen;
        public bool CountedDownload;
        /// <summary>Position in the swarm's sampling list.</summary>
        public int Slot;
        /// <summary>Position in the swarm's last-seen order.</summary>
        public LinkedListNode<TrackerPeerEntry> AgeNode;
        public bool IsSeeder => Left == 0;

        public HostPort EndPoint => new HostPort(Host, Port);

        public void SetAddress(string host, int port)
        {
            Host = host;
            Port = port;
            Compact = null;
            if (!IPAddress.TryParse(host, out var address)) return;
            var bytes = address.GetAddressBytes();   // 4 bytes for IPv4, 16 for IPv6
            Compact = new byte[bytes.Length + 2];
            Buffer.BlockCopy(bytes, 0, Compact, 0, bytes.Length);
            Compact[bytes.Length] = (byte)(port >> 8);
            Compact[bytes.Length + 1] = (byte)port;
        }
    }

    /// <summary>
    /// The peers of one torrent: a list for sampling in O(numwant) and a last-seen order for expiring in O(expired).
    /// Not thread-safe: <see cref="TrackerState"/> locks around it.
    /// </summary>
    sealed class TrackerSwarm
    {
        readonly Dictionary<string, TrackerPeerEntry> _byId = new Dictionary<string, TrackerPeerEntry>(StringComparer.Ordinal);
        readonly List<TrackerPeerEntry> _slots = new List<TrackerPeerEntry>();
        readonly LinkedList<TrackerPeerEntry> _byAge = new LinkedList<TrackerPeerEntry>();

        public TrackerSwarm(InfoHash infoHash) => InfoHash = infoHash;

        public InfoHash InfoHash { get; }
        public int Count => _slots.Count;
        public int Seeders { get; private set; }
        public int Leechers => _slots.Count - Seeders;
        /// <summary>"completed" events seen while the swarm existed.</summary>
        public int Downloaded { get; set; }

        public TrackerPeerEntry Find(string id) => _byId.TryGetValue(id, out var e) ? e : null;

        public void Add(TrackerPeerEntry entry, DateTimeOffset now)
        {
            entry.Slot = _slots.Count;
            _slots.Add(entry);
            _byId.Add(entry.Id, entry);
            entry.LastSeen = now;
            entry.AgeNode = _byAge.AddLast(entry);
            if (entry.IsSeeder) Seeders++;
        }

        /// <summary>Records a new announce of a known peer: moves it to the young end and updates its seeder status.</summary>
        public void Touch(TrackerPeerEntry entry, long left, DateTimeOffset now)
        {
            if (entry.IsSeeder) Seeders--;
            entry.Left = left;
            if (entry.IsSeeder) Seeders++;
            entry.LastSeen = now;
            _byAge.Remove(entry.AgeNode);
            _byAge.AddLast(entry.AgeNode);
        }

        public void Remove(TrackerPeerEntry entry)
        {
            if (!_byId.Remove(entry.Id)) return;
            if (entry.IsSeeder) Seeders--;
            _byAge.Remove(entry.AgeNode);
            // Swap the last slot into the hole so sampling stays a dense list.
            var last = _slots[_slots.Count - 1];
            _slots[entry.Slot] = last;
            last.Slot = entry.Slot;
            _slots.RemoveAt(_slots.Count - 1);
        }

        /// <summary>Drops peers last seen at or before <paramref name="cutoff"/>; returns how many.</summary>
        public int Expire(DateTimeOffset cutoff)
        {
            int removed = 0;
            while (_byAge.First != null && _byAge.First.Value.LastSeen <= cutoff)
            {
                Remove(_byAge.First.Value);
                removed++;
            }
            return removed;
        }

        /// <summary>
        /// Up to <paramref name="count"/> peers chosen at random, never <paramref name="asker"/>; a seeding asker gets only
        /// leechers (seeders have nothing to give each other).
        /// </summary>
        public List<TrackerPeerEntry> Sample(TrackerPeerEntry asker, int count, Func<int, int> next)
        {
            var chosen = new List<TrackerPeerEntry>(Math.Min(count, _slots.Count));
            if (count <= 0) return chosen;
            bool onlyLeechers = asker != null && asker.IsSeeder;
            int eligible = _slots.Count - (asker != null && _byId.ContainsKey(asker.Id) ? 1 : 0);
            if (onlyLeechers) eligible = Leechers;
            if (eligible <= count)
            {
                foreach (var e in _slots)
                    if (!ReferenceEquals(e, asker) && (!onlyLeechers || !e.IsSeeder)) chosen.Add(e);
                return chosen;
            }
            // Random start and then a walk with a stride coprime to the size visits every slot once in a scrambled
            // order, in O(count) without copying the list (good enough spread for a peer list).
            int n = _slots.Count;
            int start = next(n);
            int stride = PickStride(n, next);
            for (int i = 0, slot = start; i < n && chosen.Count < count; i++, slot = (int)((slot + (long)stride) % n))
            {
                var e = _slots[slot];
                if (ReferenceEquals(e, asker) || (onlyLeechers && e.IsSeeder)) continue;
                chosen.Add(e);
            }
            return chosen;
        }

        static int PickStride(int n, Func<int, int> next)
        {
            if (n <= 2) return 1;
            for (int attempt = 0; attempt < 16; attempt++)
            {
                int s = 1 + next(n - 1);
                if (Gcd(s, n) == 1) return s;
            }
            return 1;
        }

        static int Gcd(int a, int b)
        {
            while (b != 0) { int t = a % b; a = b; b = t; }
            return a;
        }
    }
}
