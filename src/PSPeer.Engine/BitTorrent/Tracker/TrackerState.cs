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
        public byte[] Body;
        public int Complete;
        public int Incomplete;
        public int PeersReturned;
        /// <summary>The peers given, for answers in another form than the HTTP body (BEP 15).</summary>
        public IReadOnlyList<TrackerPeerEntry> Peers;
    }

    /// <summary>
    /// Every swarm of an open tracker (any info-hash is accepted), bounded in swarms and peers per swarm. One lock
    /// guards it: announces are short (a dictionary update and a sample of numwant peers) and encoded under the lock so
    /// an answer never mixes two states. Time comes from the caller (the runtime's clock), so expiry runs in virtual time.
    /// </summary>
    sealed class TrackerState
    {
        readonly TrackerOptions _options;
        readonly IRandomSource _random;
        readonly object _gate = new object();
        readonly Dictionary<InfoHash, TrackerSwarm> _swarms = new Dictionary<InfoHash, TrackerSwarm>();

        public TrackerState(TrackerOptions options, IRandomSource random)
        {
            _options = options;
            _random = random;
        }

        public int SwarmCount { get { lock (_gate) return _swarms.Count; } }

        public int PeerCount
        {
            get
            {
                lock (_gate)
                {
                    int n = 0;
                    foreach (var s in _swarms.Values) n += s.Count;
                    return n;
                }
            }
        }

        public AnnounceOutcome Announce(AnnounceRequest request, DateTimeOffset now)
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
                        swarm.Remove(entry);
                    }
                    if (swarm == null) return Answer(outcome, new TrackerSwarm(request.InfoHash), Array.Empty<TrackerPeerEntry>(), request);
                    var answer = Answer(outcome, swarm, Array.Empty<TrackerPeerEntry>(), request);
                    if (swarm.Count == 0) _swarms.Remove(request.InfoHash);
                    return answer;
                }

                if (swarm == null)
                {
                    if (_swarms.Count >= _options.MaxSwarms) return Fail(outcome, $"the tracker is full ({_options.MaxSwarms} torrents); try again later");
                    swarm = new TrackerSwarm(request.InfoHash);
                    _swarms.Add(request.InfoHash, swarm);
                }

                if (entry == null)
                {
                    if (swarm.Count >= _options.MaxPeersPerSwarm)
                        return Fail(outcome, $"this torrent has the most peers the tracker keeps ({_options.MaxPeersPerSwarm}); try again later");
                    entry = new TrackerPeerEntry(id, (byte[])request.PeerId.Clone()) { Left = request.Left, Key = request.Key };
                    entry.SetAddress(request.IP, request.Port);
                    swarm.Add(entry, now);
                }
                else
                {
                    if (FinishedDownload(entry, request)) swarm.Downloaded++;
                    if (entry.Host != request.IP || entry.Port != request.Port) entry.SetAddress(request.IP, request.Port);
                    if (request.Key != null) entry.Key = request.Key;
                    swarm.Touch(entry, request.Left, now);
                }

                if (request.Event == AnnounceEvent.Completed && !entry.CountedDownload)
                {
                    entry.CountedDownload = true;
                    swarm.Downloaded++;
                }

                var peers = swarm.Sample(entry, request.NumWant, n => _random.Next(n));
                return Answer(outcome, swarm, peers, request);
            }
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

        int ExpireSwarm(TrackerSwarm swarm, DateTimeOffset now) => swarm.Expire(now - _options.PeerExpiry);

        void RemoveEmpty()
        {
            List<InfoHash> empty = null;
            foreach (var kv in _swarms)
                if (kv.Value.Count == 0) (empty ?? (empty = new List<InfoHash>())).Add(kv.Key);
            if (empty != null) foreach (var h in empty) _swarms.Remove(h);
        }

        static ScrapeEntry Entry(TrackerSwarm swarm) => new ScrapeEntry(swarm.InfoHash, swarm.Seeders, swarm.Leechers, swarm.Downloaded);

        AnnounceOutcome Answer(AnnounceOutcome outcome, TrackerSwarm swarm, IReadOnlyList<TrackerPeerEntry> peers, AnnounceRequest request)
        {
            outcome.Complete = swarm.Seeders;
            outcome.Incomplete = swarm.Leechers;
            outcome.PeersReturned = peers.Count;
            outcome.Peers = peers;
            outcome.Body = TrackerResponses.Announce(_options, swarm, peers, request.Compact, request.NoPeerId);
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
