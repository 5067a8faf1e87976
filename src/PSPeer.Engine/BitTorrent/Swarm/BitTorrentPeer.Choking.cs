using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    // The once-a-second tick: rechoke on its interval, keep-alives, silent peers, dialling known peers, pipelines.
    public sealed partial class BitTorrentPeer
    {
        DateTimeOffset _nextRechoke;

        async Task TickLoopAsync()
        {
            _nextRechoke = Runtime.Clock.Now;
            while (true)
            {
                try { await Runtime.Clock.Delay(TickInterval, Stopping); }
                catch (OperationCanceledException) { return; }
                List<HostPort> dial;
                bool lonely = false;
                lock (_gate)
                {
                    if (Stopping.IsCancellationRequested) return;
                    var now = Runtime.Clock.Now;
                    if (now >= _nextRechoke)
                    {
                        Rechoke(now);
                        _nextRechoke = now + _options.RechokeInterval;
                    }
                    EvictStalledOwners(now);
                    ReclaimIdleSlots(now);
                    foreach (var c in _connections.ToArray())
                    {
                        if (now - c.LastReceived > IdleTimeout) { Close(c, $"silent for {IdleTimeout.TotalMinutes:0} minutes", false); continue; }
                        if (now - c.LastSent > KeepAliveInterval) { c.Send(PeerMessage.KeepAlive); c.LastSent = now; }
                        FillRequests(c);   // the pipeline grows with the rate
                    }
                    dial = TakeDialCandidates();
                    if (!_picker.Have.AllSet)
                    {
                        // Only a node that still needs data chases peers that left; a seeder waits to be found.
                        dial.AddRange(TakeRedials(now));
                        lonely = NoticeLoneliness(now);
                    }
                    else _lonelySince = null;
                }
                foreach (var peer in dial) Track(DialCandidateAsync(peer));
                if (lonely) WakeAnnounceLoop();
            }
        }

        void Rechoke(DateTimeOffset now)
        {
            bool seeding = _picker.Have.AllSet;
            var candidates = new List<ChokeCandidate>(_connections.Count);
            foreach (var c in _connections)
            {
                bool snubbed = (!seeding && c.AmInterested && now - c.LastBlockAt > SnubTime) || c.WastedSlot;
                double rate = seeding ? c.Up.Rate(now) : c.Down.Rate(now);
                candidates.Add(new ChokeCandidate(c.Id, c.PeerInterested, rate, snubbed, c.ConnectedAt));
            }
            var unchoke = _choker.Rechoke(candidates, now);
            foreach (var c in _connections) SetChoking(c, !unchoke.Contains(c.Id));
        }

        /// <summary>A newly interested peer need not wait for the next rechoke while a regular slot is free.</summary>
        void UnchokeIfSlotFree(SwarmConnection c)
        {
            if (c.AmChoking && c.PeerInterested && !c.WastedSlot && UsedSlots() < _options.UploadSlots) SetChoking(c, false);
        }

        /// <summary>
        /// A slot freed (its peer left, lost interest or wasted it): give it to a waiting interested peer now, the newest
        /// first (older ones have had their chances; a newcomer stuck behind a row of slot squatters gets in at once).
        /// </summary>
        void FillFreeSlots()
        {
            int used = UsedSlots();
            for (int i = _connections.Count - 1; i >= 0 && used < _options.UploadSlots; i--)
            {
                var c = _connections[i];
                if (c.AmChoking && c.PeerInterested && !c.WastedSlot) { SetChoking(c, false); used++; }
            }
        }

        /// <summary>
        /// An interested peer we unchoked that has asked for nothing within <see cref="IdleSlotTime"/> wastes an upload
        /// slot (a real client requests within a round trip): it is choked and keeps no regular slot until it asks for
        /// something (the optimistic unchoke still gives it chances), and the slot goes to a waiting peer.
        /// </summary>
        void ReclaimIdleSlots(DateTimeOffset now)
        {
            bool freed = false;
            foreach (var c in _connections)
            {
                if (c.AmChoking || !c.PeerInterested || c.Id == _choker.OptimisticId) continue;
                if (now - c.UnchokedAt < IdleSlotTime || c.LastRequestAt >= c.UnchokedAt) continue;
                c.WastedSlot = true;
                SetChoking(c, true);
                freed = true;
            }
            if (freed) FillFreeSlots();
        }

        /// <summary>Unchoked peers that want data; an unchoked peer that wants nothing uses no bandwidth, so no slot.</summary>
        int UsedSlots()
        {
            int used = 0;
            foreach (var x in _connections) if (!x.AmChoking && x.PeerInterested) used++;
            return used;
        }

        void SetChoking(SwarmConnection c, bool choke)
        {
            if (c.AmChoking == choke) return;
            c.AmChoking = choke;
            if (!choke) c.UnchokedAt = Runtime.Clock.Now;
            if (choke)
            {
                c.ClearUploads();   // BEP 3: choking discards the peer's pending requests,
                Volatile.Write(ref c.Chokes, c.Chokes + 1);   // also those the send loop took already
            }
            c.Send(choke ? PeerMessage.Choke : PeerMessage.Unchoke);
            if (HasEventObservers)
                Emit(choke ? PeerEventTypes.Choked : PeerEventTypes.Unchoked, c.Remote, choke ? "choked the peer" : "unchoked the peer", D("Direction", "us"));
        }

        // ---- dialling peers the trackers named ----

        void AddCandidates(IEnumerable<TrackerPeer> peers)
        {
            lock (_gate)
            {
                foreach (var p in peers)
                {
                    if (p.EndPoint == null || p.EndPoint.Port == 0) continue;
                    if (p.PeerId != null && PeerIdEquals(p.PeerId, _peerId)) { _self = p.EndPoint; continue; }
                    if (_known.Add(p.EndPoint)) _candidates.Add(p.EndPoint);
                    _redial.Learn(p.EndPoint);
                }
            }
        }

        /// <summary>
        /// Dials the candidates an announce just named, at once: left to the next tick they waited up to a second, which
        /// was a third of a 1 GiB loopback download (measured: first peer 1.2 s after the node was running).
        /// </summary>
        void DialCandidatesNow()
        {
            List<HostPort> dial;
            lock (_gate)
            {
                if (Stopping.IsCancellationRequested) return;
                dial = TakeDialCandidates();
            }
            foreach (var peer in dial) Track(DialCandidateAsync(peer));
        }

        /// <summary>Candidates to dial now, as many as free connection slots allow. Under _gate.</summary>
        List<HostPort> TakeDialCandidates()
        {
            var list = new List<HostPort>();
            int free = _options.MaxConnections - _connections.Count - _dialling.Count;
            while (free > 0 && _candidates.Count > 0)
            {
                var peer = _candidates[0];
                _candidates.RemoveAt(0);
                if (peer.Equals(_self) || IsOwnEndPoint(peer) || _bannedEndPoints.Contains(peer) || _dialling.Contains(peer)) continue;
                if (_connections.Exists(x => peer.Equals(x.Dialled))) continue;
                _dialling.Add(peer);
                list.Add(peer);
                free--;
            }
            return list;
        }

        /// <summary>Known peers whose backoff is over, as many as free connection slots allow. Under _gate.</summary>
        List<HostPort> TakeRedials(DateTimeOffset now)
        {
            var list = new List<HostPort>();
            int free = _options.MaxConnections - _connections.Count - _dialling.Count;
            foreach (var peer in _redial.TakeDue(now))
            {
                if (peer.Equals(_self) || IsOwnEndPoint(peer) || _bannedEndPoints.Contains(peer)) { _redial.Ban(peer); continue; }
                if (_dialling.Contains(peer) || _connections.Exists(x => peer.Equals(x.Dialled))) continue;   // its drop reschedules it
                if (free <= 0) { _redial.Defer(peer, now); continue; }
                _dialling.Add(peer);
                list.Add(peer);
                free--;
            }
            return list;
        }

        bool IsOwnEndPoint(HostPort peer) =>
            _listener != null && peer.Port == _listener.Port &&
            (peer.Host == Runtime.HostAddress || (!Runtime.IsSimulated && (peer.Host == "127.0.0.1" || peer.Host == "localhost")));

        async Task DialCandidateAsync(HostPort peer)
        {
            try
            {
                await DialAsync(peer, Stopping);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Unreachable now: the redial book tries it again later, and the next announce may name it again.
            }
            finally
            {
                lock (_gate)
                {
                    _dialling.Remove(peer);
                    if (!_connections.Exists(x => peer.Equals(x.Dialled)))
                    {
                        _known.Remove(peer);
                        if (!Stopping.IsCancellationRequested) _redial.Failed(peer, Runtime.Clock.Now);   // unreachable or refused: back off
                    }
                }
            }
        }
    }
}
