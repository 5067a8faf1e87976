using System;
using System.Collections.Generic;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Tit-for-tat as BEP 3 and the original client describe it, without I/O: every rechoke the <c>slots</c>
    /// interested, non-snubbed peers with the best rate are unchoked; one more, the optimistic unchoke, rotates every
    /// optimistic interval among the choked interested peers, newly connected peers three times as likely as others
    /// to be picked (so they get a first piece to trade). The node gives it the peers and applies the answer.
    /// </summary>
    public sealed class Choker
    {
        readonly int _slots;
        readonly TimeSpan _optimisticInterval;
        readonly IRandomSource _random;
        DateTimeOffset _lastRotation = DateTimeOffset.MinValue;

        public Choker(int slots, TimeSpan optimisticInterval, IRandomSource random)
        {
            if (slots < 1) throw new ArgumentOutOfRangeException(nameof(slots));
            _slots = slots;
            _optimisticInterval = optimisticInterval;
            _random = random ?? throw new ArgumentNullException(nameof(random));
        }

        /// <summary>Id of the peer holding the optimistic slot, or -1.</summary>
        public int OptimisticId { get; private set; } = -1;

        /// <summary>
        /// Ids of the peers to keep or make unchoked; every other peer is to be choked. Rotates the optimistic slot
        /// when its interval has passed (or when its holder left or lost interest).
        /// </summary>
        public HashSet<int> Rechoke(IReadOnlyList<ChokeCandidate> peers, DateTimeOffset now)
        {
            var ranked = new List<ChokeCandidate>();
            foreach (var p in peers)
                if (p.Interested && !p.Snubbed) ranked.Add(p);
            ranked.Sort((a, b) => a.Rate != b.Rate ? b.Rate.CompareTo(a.Rate) : a.Id.CompareTo(b.Id));

            var unchoke = new HashSet<int>();
            for (int i = 0; i < ranked.Count && unchoke.Count < _slots; i++) unchoke.Add(ranked[i].Id);

            bool holderStillWants = false;
            foreach (var p in peers)
                if (p.Id == OptimisticId && p.Interested) holderStillWants = true;
            if (!holderStillWants || now - _lastRotation >= _optimisticInterval)
            {
                OptimisticId = PickOptimistic(peers, unchoke, now);
                _lastRotation = now;
            }
            if (OptimisticId >= 0) unchoke.Add(OptimisticId);
            return unchoke;
        }

        /// <summary>A random choked interested peer, weighted 3:1 for peers connected within three intervals; -1 if none.</summary>
        int PickOptimistic(IReadOnlyList<ChokeCandidate> peers, HashSet<int> regular, DateTimeOffset now)
        {
            var newness = TimeSpan.FromTicks(_optimisticInterval.Ticks * 3);
            int total = 0;
            foreach (var p in peers)
                if (p.Interested && !regular.Contains(p.Id)) total += Weight(p, now, newness);
            if (total == 0) return -1;
            int ticket = _random.Next(total);
            foreach (var p in peers)
            {
                if (!p.Interested || regular.Contains(p.Id)) continue;
                ticket -= Weight(p, now, newness);
                if (ticket < 0) return p.Id;
            }
            return -1;
        }

        static int Weight(ChokeCandidate p, DateTimeOffset now, TimeSpan newness) => now - p.ConnectedAt < newness ? 3 : 1;
    }
}
