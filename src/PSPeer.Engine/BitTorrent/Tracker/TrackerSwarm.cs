using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// The peers of one torrent, grouped by the address they announce from: groups for sampling in O(numwant) with every
    /// address given its turn, and a last-seen order for expiring in O(expired).
    /// Not thread-safe: <see cref="TrackerState"/> locks around it.
    /// </summary>
    /// <remarks>
    /// Answers take peers from the groups in rounds, one peer of each address per round, so a thousand fakes from one
    /// address take no more of an answer than the one real seeder from another (while there are fewer addresses than
    /// numwant, every address appears in every answer).
    /// </remarks>
    sealed class TrackerSwarm
    {
        /// <summary>The peers of one source address in this swarm, in a dense list for sampling.</summary>
        internal sealed class Group
        {
            public Group(TrackerAddress source) => Source = source;
            public readonly TrackerAddress Source;
            public readonly List<TrackerPeerEntry> Entries = new List<TrackerPeerEntry>();
            /// <summary>Position in the swarm's list of groups.</summary>
            public int Slot;
        }

        readonly Dictionary<string, TrackerPeerEntry> _byId = new Dictionary<string, TrackerPeerEntry>(StringComparer.Ordinal);
        readonly Dictionary<TrackerAddress, Group> _groupOf = new Dictionary<TrackerAddress, Group>();
        readonly List<Group> _groups = new List<Group>();
        readonly LinkedList<TrackerPeerEntry> _byAge = new LinkedList<TrackerPeerEntry>();

        public TrackerSwarm(InfoHash infoHash) => InfoHash = infoHash;

        public InfoHash InfoHash { get; }
        public int Count => _byId.Count;
        public int Seeders { get; private set; }
        public int Leechers => Count - Seeders;
        /// <summary>"completed" events seen while the swarm existed.</summary>
        public int Downloaded { get; set; }
        /// <summary>The address whose announce created the swarm (charged against its quota), while the swarm lives.</summary>
        public TrackerAddress Creator;
        public LinkedListNode<TrackerSwarm> CreatorNode;
        /// <summary>Source addresses with peers here.</summary>
        public int AddressCount => _groups.Count;

        public TrackerPeerEntry Find(string id) => _byId.TryGetValue(id, out var e) ? e : null;

        /// <summary>Peers of this swarm announced from <paramref name="source"/>.</summary>
        public int CountFrom(TrackerAddress source) => _groupOf.TryGetValue(source, out var g) ? g.Entries.Count : 0;

        /// <summary>Whether every peer here comes from <paramref name="source"/> (true for an empty swarm).</summary>
        public bool OnlyFrom(TrackerAddress source) => _groups.Count == 0 || (_groups.Count == 1 && _groups[0].Source == source);

        /// <summary>Adds a peer whose <see cref="TrackerPeerEntry.Source"/> is set.</summary>
        public void Add(TrackerPeerEntry entry, DateTimeOffset now)
        {
            if (!_groupOf.TryGetValue(entry.Source, out var group))
            {
                group = new Group(entry.Source) { Slot = _groups.Count };
                _groups.Add(group);
                _groupOf.Add(entry.Source, group);
            }
            entry.GroupSlot = group.Entries.Count;
            group.Entries.Add(entry);
            _byId.Add(entry.Id, entry);
            entry.Swarm = this;
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
            entry.Announces++;
            _byAge.Remove(entry.AgeNode);
            _byAge.AddLast(entry.AgeNode);
        }

        /// <summary>Takes a peer out (its source stays set, so the caller can uncharge it).</summary>
        public void Remove(TrackerPeerEntry entry)
        {
            if (!_byId.Remove(entry.Id)) return;
            if (entry.IsSeeder) Seeders--;
            _byAge.Remove(entry.AgeNode);
            var group = _groupOf[entry.Source];
            // Swap the last entry (and below, the last group) into the hole so sampling stays on dense lists.
            var last = group.Entries[group.Entries.Count - 1];
            group.Entries[entry.GroupSlot] = last;
            last.GroupSlot = entry.GroupSlot;
            group.Entries.RemoveAt(group.Entries.Count - 1);
            entry.Swarm = null;
            if (group.Entries.Count > 0) return;
            _groupOf.Remove(group.Source);
            var lastGroup = _groups[_groups.Count - 1];
            _groups[group.Slot] = lastGroup;
            lastGroup.Slot = group.Slot;
            _groups.RemoveAt(_groups.Count - 1);
        }

        /// <summary>The oldest peer last seen at or before <paramref name="cutoff"/>, or null.</summary>
        public TrackerPeerEntry FirstExpired(DateTimeOffset cutoff) =>
            _byAge.First != null && _byAge.First.Value.LastSeen <= cutoff ? _byAge.First.Value : null;

        /// <summary>The group with the most peers here (ties: the first in list order), or null when empty.</summary>
        public Group Heaviest()
        {
            Group best = null;
            foreach (var g in _groups)
                if (best == null || g.Entries.Count > best.Entries.Count) best = g;
            return best;
        }

        /// <summary>The peer of <paramref name="group"/> to evict first: lowest keep class, stalest.</summary>
        public static TrackerPeerEntry Victim(Group group)
        {
            TrackerPeerEntry victim = null;
            foreach (var e in group.Entries)
                if (victim == null || victim.KeptOver(e)) victim = e;
            return victim;
        }

        /// <summary>
        /// Up to <paramref name="count"/> peers chosen at random, never <paramref name="asker"/>; a seeding asker gets only
        /// leechers (seeders have nothing to give each other). Each round takes at most one peer per address.
        /// </summary>
        public List<TrackerPeerEntry> Sample(TrackerPeerEntry asker, int count, Func<int, int> next)
        {
            var chosen = new List<TrackerPeerEntry>(Math.Max(0, Math.Min(count, Count)));
            if (count <= 0 || _groups.Count == 0) return chosen;
            bool onlyLeechers = asker != null && asker.IsSeeder;

            // Random start and a stride coprime to the size visit every group (and within a group, every peer) once in a
            // scrambled order, in O(visited) without copying or shuffling a list (good enough spread for a peer list).
            int n = _groups.Count;
            int groupStart = next(n), groupStride = PickStride(n, next);
            int peerSeed = next(int.MaxValue), strideSeed = next(int.MaxValue);
            // Rounds go on while some group has peers left; in a swarm of many addresses the first round fills the answer
            // after visiting about numwant groups, so an announce costs O(numwant), not O(addresses).
            for (int round = 0, more = 1; more != 0; round++)
            {
                more = 0;
                for (int i = 0, gi = groupStart; i < n; i++, gi = (int)((gi + (long)groupStride) % n))
                {
                    var entries = _groups[gi].Entries;
                    int size = entries.Count;
                    if (round >= size) continue;
                    if (round + 1 < size) more = 1;
                    // Each group's own walk: start and stride derived from this call's seeds and the group's position.
                    int start = (int)(((long)peerSeed + gi) % size);
                    int stride = CoprimeAtLeast((int)(((long)strideSeed + gi) % size), size);
                    var e = entries[(int)((start + (long)round * stride) % size)];
                    if (ReferenceEquals(e, asker) || (onlyLeechers && e.IsSeeder)) continue;
                    chosen.Add(e);
                    if (chosen.Count >= count) return chosen;
                }
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

        /// <summary>The smallest stride at or above <paramref name="s"/> (and at least 1) coprime to <paramref name="n"/>.</summary>
        static int CoprimeAtLeast(int s, int n)
        {
            if (n <= 2) return 1;
            for (s = Math.Max(1, s); s < n; s++)
                if (Gcd(s, n) == 1) return s;
            return 1;
        }

        static int Gcd(int a, int b)
        {
            while (b != 0) { int t = a % b; a = b; b = t; }
            return a;
        }
    }
}
