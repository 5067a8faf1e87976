using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>What one announce did, for the response and the TrackerAnnounce event.</summary>
    sealed class AnnounceOutcome
    {
        public string Failure;
        /// <summary>The bencoded HTTP answer (null for a BEP 15 announce, which is answered from the fields below).</summary>
        public byte[] Body;
        public int Complete;
        public int Incomplete;
        public int PeersReturned;
        /// <summary>The source address a peer or torrent was evicted from to make room for this announce, else null.</summary>
        public string EvictedFrom;
        /// <summary>The peers given, for answers in another form than the HTTP body (BEP 15).</summary>
        public IReadOnlyList<TrackerPeerEntry> Peers;
    }

    /// <summary>
    /// Every swarm of an open tracker (any info-hash is accepted), bounded in swarms, in peers per swarm and overall,
    /// and per source address. One lock guards it: announces are short (a few dictionary and ranking updates and a
    /// sample of numwant peers) and encoded under the lock so an answer never mixes two states. Time comes from the
    /// caller (the runtime's clock), so expiry runs in virtual time.
    /// </summary>
    /// <remarks>
    /// Fairness rule: quotas are charged to the address an announce comes from. An address over its own quota is
    /// refused (it never pushes anyone out). When a swarm or the whole tracker is full, room is made only at the expense
    /// of an address holding at least two more peers (or, for torrents, two more created torrents) than the newcomer's,
    /// and within that address, one-shot leechers go first and re-announcing seeders last. So a flood from a few
    /// addresses fills only their own quotas and then displaces only itself, while a real seeder (a seeder that
    /// re-announces every interval, from an address with few peers) is the last peer anyone evicts.
    /// </remarks>
    sealed class TrackerState
    {
        readonly TrackerOptions _options;
        readonly IRandomSource _random;
        readonly object _gate = new object();
        readonly Dictionary<InfoHash, TrackerSwarm> _swarms = new Dictionary<InfoHash, TrackerSwarm>();
        readonly TrackerAddressBook _addresses = new TrackerAddressBook();
        int _peerCount;
        long _evicted;

        public TrackerState(TrackerOptions options, IRandomSource random)
        {
            _options = options;
            _random = random;
        }

        public int SwarmCount { get { lock (_gate) return _swarms.Count; } }
        public int PeerCount { get { lock (_gate) return _peerCount; } }
        /// <summary>Source addresses holding peers or torrents.</summary>
        public int AddressCount { get { lock (_gate) return _addresses.Count; } }
        /// <summary>Peers and torrents dropped to make room for others since the start.</summary>
        public long Evicted { get { lock (_gate) return _evicted; } }

        /// <param name="httpBody">False for answers in another form than the HTTP body (BEP 15): the bencoded body is not built.</param>
        public AnnounceOutcome Announce(AnnounceRequest request, DateTimeOffset now, bool httpBody = true)
        {
            var outcome = new AnnounceOutcome();
            string id = PeerKey(request.PeerId);
            lock (_gate)
            {
                _swarms.TryGetValue(request.InfoHash, out var swarm);
                if (swarm != null) ExpireSwarm(swarm, now);
                var entry = swarm?.Find(id);

                if (entry != null && entry.Key != null && request.Key != entry.Key && (entry.Host != request.IP || entry.Port != request.Port))
                    return Fail(outcome, "this peer_id is registered from another address with another key");

                if (request.Event == AnnounceEvent.Stopped)
                {
                    if (entry != null)
                    {
                        if (FinishedDownload(entry, request)) swarm.Downloaded++;
                        DropPeer(entry);
                    }
                    if (swarm == null) return Answer(outcome, new TrackerSwarm(request.InfoHash), Array.Empty<TrackerPeerEntry>(), request, httpBody);
                    var answer = Answer(outcome, swarm, Array.Empty<TrackerPeerEntry>(), request, httpBody);
                    if (swarm.Count == 0) RemoveSwarm(swarm);
                    return answer;
                }

                var source = _addresses.Get(request.Source ?? request.IP);
                try
                {
                    if (swarm == null)
                    {
                        string refusal = MakeRoomForSwarm(source, outcome);
                        if (refusal != null) return Fail(outcome, refusal);
                        swarm = new TrackerSwarm(request.InfoHash);
                        _swarms.Add(request.InfoHash, swarm);
                        _addresses.AddCreated(source, swarm);
                    }

                    if (entry == null)
                    {
                        string refusal = MakeRoomForPeer(swarm, source, outcome);
                        if (refusal != null)
                        {
                            if (swarm.Count == 0) RemoveSwarm(swarm);
                            return Fail(outcome, refusal);
                        }
                        entry = new TrackerPeerEntry(id, (byte[])request.PeerId.Clone()) { Left = request.Left, Key = request.Key, Announces = 1 };
                        entry.SetAddress(request.IP, request.Port);
                        _addresses.AddPeer(source, entry);
                        swarm.Add(entry, now);
                        _peerCount++;
                    }
                    else
                    {
                        if (FinishedDownload(entry, request)) swarm.Downloaded++;
                        if (entry.Host != request.IP || entry.Port != request.Port) entry.SetAddress(request.IP, request.Port);
                        if (request.Key != null) entry.Key = request.Key;
                        if (entry.Source != source)
                        {
                            // It moved: its quota moves with it (taken out and put back so its group follows too).
                            swarm.Remove(entry);
                            _addresses.RemovePeer(entry);
                            _addresses.AddPeer(source, entry);
                            swarm.Add(entry, now);
                        }
                        swarm.Touch(entry, request.Left, now);
                        entry.Source.Touch(entry);
                    }
                }
                finally
                {
                    _addresses.ForgetIfUnused(source);
                }

                if (request.Event == AnnounceEvent.Completed && !entry.CountedDownload)
                {
                    entry.CountedDownload = true;
                    swarm.Downloaded++;
                }

                var peers = swarm.Sample(entry, request.NumWant, n => _random.Next(n));
                return Answer(outcome, swarm, peers, request, httpBody);
            }
        }

        /// <summary>Null when a new swarm may be created for <paramref name="source"/> (evicting one if needed), else why not.</summary>
        string MakeRoomForSwarm(TrackerAddress source, AnnounceOutcome outcome)
        {
            if (source.Created.Count >= _options.MaxSwarmsPerAddress)
                return $"your address has started the most torrents this tracker keeps for one address ({_options.MaxSwarmsPerAddress}); try again later";
            if (_swarms.Count < _options.MaxSwarms) return null;
            // Full: take back a torrent only from an address that created clearly more than this one, and only a torrent
            // nobody else has joined (a flood's torrents, not a real swarm another address shares).
            var heaviest = _addresses.HeaviestBySwarms;
            if (heaviest != null && heaviest != source && heaviest.Created.Count >= source.Created.Count + 2)
            {
                foreach (var candidate in heaviest.Created)
                {
                    if (!candidate.OnlyFrom(heaviest)) continue;
                    RemoveSwarm(candidate);
                    _evicted++;
                    outcome.EvictedFrom = heaviest.Host;
                    return null;
                }
            }
            return $"the tracker is full ({_options.MaxSwarms} torrents); try again later";
        }

        /// <summary>Null when a new peer from <paramref name="source"/> may join <paramref name="swarm"/> (evicting one if needed), else why not.</summary>
        string MakeRoomForPeer(TrackerSwarm swarm, TrackerAddress source, AnnounceOutcome outcome)
        {
            int mineHere = swarm.CountFrom(source);
            if (mineHere >= _options.MaxPeersPerAddressPerSwarm)
                return $"your address has the most peers this tracker keeps for one address in a torrent ({_options.MaxPeersPerAddressPerSwarm}); try again later";
            if (source.Peers >= _options.MaxPeersPerAddress)
                return $"your address has the most peers this tracker keeps for one address ({_options.MaxPeersPerAddress}); try again later";

            if (swarm.Count >= _options.MaxPeersPerSwarm)
            {
                var heaviest = swarm.Heaviest();
                if (heaviest == null || heaviest.Source == source || heaviest.Entries.Count < mineHere + 2)
                    return $"this torrent has the most peers the tracker keeps ({_options.MaxPeersPerSwarm}); try again later";
                Evict(TrackerSwarm.Victim(heaviest), swarm, outcome);
            }
            if (_peerCount >= _options.MaxPeers)
            {
                var heaviest = _addresses.HeaviestByPeers;
                if (heaviest == null || heaviest == source || heaviest.Peers < source.Peers + 2)
                    return $"the tracker is full ({_options.MaxPeers} peers); try again later";
                Evict(heaviest.Victim(), swarm, outcome);
            }
            return null;
        }

        void Evict(TrackerPeerEntry victim, TrackerSwarm announcing, AnnounceOutcome outcome)
        {
            var swarm = victim.Swarm;
            outcome.EvictedFrom = victim.Source.Host;
            DropPeer(victim);
            _evicted++;
            // The swarm being announced to stays even if emptied: the newcomer is about to join it.
            if (swarm != announcing && swarm.Count == 0) RemoveSwarm(swarm);
        }

        /// <summary>Takes one peer out of its swarm and its address's count (the swarm stays, even when empty).</summary>
        void DropPeer(TrackerPeerEntry entry)
        {
            entry.Swarm.Remove(entry);
            _addresses.RemovePeer(entry);
            _peerCount--;
        }

        /// <summary>Forgets a swarm with all its peers, and its creator's charge.</summary>
        void RemoveSwarm(TrackerSwarm swarm)
        {
            if (!_swarms.Remove(swarm.InfoHash)) return;
            TrackerPeerEntry e;
            while ((e = swarm.FirstExpired(DateTimeOffset.MaxValue)) != null) DropPeer(e);
            _addresses.RemoveCreated(swarm);
        }

        /// <summary>
        /// Whether this announce reports a finished download not yet counted: a known leecher now says left=0. That covers
        /// "completed" and also clients that skip it (aria2 without seeding sends "stopped" with left=0).
        /// </summary>
        static bool FinishedDownload(TrackerPeerEntry entry, AnnounceRequest request)
        {
            if (entry.CountedDownload || entry.Left == 0 || request.Left != 0) return false;
            entry.CountedDownload = true;
            return true;
        }

        /// <summary>Counts for the given hashes (unknown or empty ones are left out), or for up to MaxScrapeAll swarms when none are given.</summary>
        public List<ScrapeEntry> Scrape(IReadOnlyCollection<InfoHash> hashes, DateTimeOffset now)
        {
            var result = new List<ScrapeEntry>();
            lock (_gate)
            {
                if (hashes.Count == 0)
                {
                    foreach (var swarm in _swarms.Values)
                    {
                        if (result.Count >= _options.MaxScrapeAll) break;
                        ExpireSwarm(swarm, now);
                        if (swarm.Count > 0) result.Add(Entry(swarm));
                    }
                    RemoveEmpty();
                    return result;
                }
                foreach (var hash in hashes)
                {
                    if (!_swarms.TryGetValue(hash, out var swarm)) continue;
                    ExpireSwarm(swarm, now);
                    if (swarm.Count > 0) result.Add(Entry(swarm));
                }
                RemoveEmpty();
            }
            return result;
        }

        /// <summary>Drops every peer not heard from within PeerExpiry, and swarms left empty. Returns the peers dropped.</summary>
        public int ExpireAll(DateTimeOffset now)
        {
            int removed = 0;
            lock (_gate)
            {
                foreach (var swarm in _swarms.Values) removed += ExpireSwarm(swarm, now);
                RemoveEmpty();
            }
            return removed;
        }

        /// <summary>Drops the swarm's peers not heard from within PeerExpiry; returns how many.</summary>
        int ExpireSwarm(TrackerSwarm swarm, DateTimeOffset now)
        {
            var cutoff = now - _options.PeerExpiry;
            int removed = 0;
            TrackerPeerEntry e;
            while ((e = swarm.FirstExpired(cutoff)) != null)
            {
                DropPeer(e);
                removed++;
            }
            return removed;
        }

        void RemoveEmpty()
        {
            List<TrackerSwarm> empty = null;
            foreach (var swarm in _swarms.Values)
                if (swarm.Count == 0) (empty ?? (empty = new List<TrackerSwarm>())).Add(swarm);
            if (empty != null) foreach (var swarm in empty) RemoveSwarm(swarm);
        }

        static ScrapeEntry Entry(TrackerSwarm swarm) => new ScrapeEntry(swarm.InfoHash, swarm.Seeders, swarm.Leechers, swarm.Downloaded);

        AnnounceOutcome Answer(AnnounceOutcome outcome, TrackerSwarm swarm, IReadOnlyList<TrackerPeerEntry> peers, AnnounceRequest request, bool httpBody)
        {
            outcome.Complete = swarm.Seeders;
            outcome.Incomplete = swarm.Leechers;
            outcome.PeersReturned = peers.Count;
            outcome.Peers = peers;
            if (httpBody) outcome.Body = TrackerResponses.Announce(_options, swarm, peers, request.Compact, request.NoPeerId);
            return outcome;
        }

        static AnnounceOutcome Fail(AnnounceOutcome outcome, string reason)
        {
            outcome.Failure = reason;
            outcome.Body = TrackerResponses.Failure(reason);
            return outcome;
        }

        static string PeerKey(byte[] peerId)
        {
            var chars = new char[peerId.Length];
            for (int i = 0; i < peerId.Length; i++) chars[i] = (char)peerId[i];
            return new string(chars);
        }
    }
}
