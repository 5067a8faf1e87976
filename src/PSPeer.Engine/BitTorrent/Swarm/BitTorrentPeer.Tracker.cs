using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    // Announcing to the trackers: started, then at the tracker's interval, completed when done, stopped on stop.
    public sealed partial class BitTorrentPeer
    {
        static readonly TimeSpan MinAnnounceInterval = TimeSpan.FromSeconds(1);
        static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(15);
        static readonly TimeSpan StoppedAnnounceTimeout = TimeSpan.FromSeconds(3);
        /// <summary>How long a leecher sits with no connection at all before it asks the tracker again.</summary>
        static readonly TimeSpan LonelyAnnounceDelay = TimeSpan.FromSeconds(10);
        /// <summary>A tracker's "min interval" above this is not honoured for a lonely leecher (see WaitToAnnounceAsync).</summary>
        static readonly TimeSpan MaxHonouredMinInterval = TimeSpan.FromSeconds(60);
        TrackerClient _trackerClient;
        bool _announcedStarted;
        CancellationTokenSource _announceWake;   // under _gate: cancelling it ends the announce loop's wait early
        DateTimeOffset? _lonelySince;          // under _gate
        DateTimeOffset _lastAnnounceAt;
        TimeSpan? _trackerMinInterval;

        async Task AnnounceLoopAsync()
        {
            if (Trackers.Count == 0) return;
            _trackerClient = new TrackerClient(Runtime);
            var ev = AnnounceEvent.Started;
            while (!Stopping.IsCancellationRequested)
            {
                var interval = await AnnounceOnceAsync(ev, Stopping);
                _lastAnnounceAt = Runtime.Clock.Now;
                if (interval.HasValue) { ev = AnnounceEvent.None; _announcedStarted = true; }
                var wait = interval ?? RetryAfterFailure;
                try { await WaitToAnnounceAsync(wait < MinAnnounceInterval ? MinAnnounceInterval : wait); }
                catch (OperationCanceledException) { return; }
            }
        }

        /// <summary>
        /// Waits out the tracker's interval, or less when the tick loop finds this leecher with no connection at all: it
        /// would otherwise sit idle until the next announce (opentracker says ~30 min). Then a tracker's "min interval"
        /// is honoured only when it is at most a minute: a longer one would strand the leecher just the same, and one
        /// extra announce per LonelyAnnounceDelay at most is a small load to put on a tracker.
        /// </summary>
        async Task WaitToAnnounceAsync(TimeSpan wait)
        {
            var wake = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
            lock (_gate) _announceWake = wake;
            try
            {
                await Runtime.Clock.Delay(wait, wake.Token);
                return;
            }
            catch (OperationCanceledException) when (!Stopping.IsCancellationRequested)
            {
                // woken: this leecher has no peers
            }
            finally
            {
                lock (_gate) _announceWake = null;
                wake.Dispose();
            }
            var min = _trackerMinInterval;
            if (min.HasValue && min.Value <= MaxHonouredMinInterval)
            {
                var left = _lastAnnounceAt + min.Value - Runtime.Clock.Now;
                if (left > TimeSpan.Zero) await Runtime.Clock.Delay(left, Stopping);
            }
        }

        /// <summary>Ends the announce loop's wait now (outside _gate: cancelling may run its continuation inline).</summary>
        void WakeAnnounceLoop()
        {
            CancellationTokenSource wake;
            lock (_gate) wake = _announceWake;
            try { wake?.Cancel(); } catch (ObjectDisposedException) { /* the wait just ended by itself */ }
        }

        /// <summary>Under _gate, each tick of a leecher: true after LonelyAnnounceDelay with no connection and no dial (time to announce).</summary>
        bool NoticeLoneliness(DateTimeOffset now)
        {
            if (_connections.Count > 0 || _dialling.Count > 0) { _lonelySince = null; return false; }
            if (_lonelySince == null) { _lonelySince = now; return false; }
            if (now - _lonelySince.Value < LonelyAnnounceDelay) return false;
            _lonelySince = null;
            return Trackers.Count > 0;
        }

        /// <summary>Announces to the first tracker that answers (BEP 12 order); returns its interval, or null if none answered.</summary>
        async Task<TimeSpan?> AnnounceOnceAsync(AnnounceEvent ev, CancellationToken cancellationToken)
        {
            foreach (var url in Trackers)
            {
                AnnounceRequest request;
                lock (_gate)
                {
                    request = new AnnounceRequest
                    {
                        InfoHash = Torrent.InfoHash, PeerId = _peerId, Port = _listener.Port, Event = ev,
                        Uploaded = _up.Total, Downloaded = _down.Total, Left = Left(),
                        NumWant = ev == AnnounceEvent.Stopped ? 0 : Math.Min(200, _options.MaxConnections * 2),
                        IP = _options.AnnounceAddress,
                    };
                }
                try
                {
                    var response = await _trackerClient.AnnounceAsync(url, request, cancellationToken);
                    if (ev != AnnounceEvent.Stopped)
                    {
                        AddCandidates(response.Peers);
                        DialCandidatesNow();
                    }
                    _trackerMinInterval = response.MinInterval;
                    if (HasEventObservers)
                        Emit(PeerEventTypes.TrackerAnnounce, url, $"announced {ev}: {response.Peers.Count} peers, {response.Complete} seeders, {response.Incomplete} leechers",
                            D("Event", ev.ToString()), D("Peers", response.Peers.Count), D("Complete", response.Complete), D("Incomplete", response.Incomplete),
                            D("Interval", response.Interval.TotalSeconds));
                    return response.Interval > TimeSpan.Zero ? response.Interval : _options.DefaultAnnounceInterval;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { return null; }
                catch (Exception e) when (!(e is OutOfMemoryException))
                {
                    if (HasEventObservers)
                        Emit(PeerEventTypes.TrackerAnnounce, url, $"announce {ev} failed: {e.Message}", D("Event", ev.ToString()), D("Error", e.Message));
                }
            }
            return null;
        }

        long Left()
        {
            long left = 0;
            var have = _picker.Have;
            for (int i = 0; i < Torrent.PieceCount; i++) if (!have[i]) left += Torrent.GetPieceSize(i);
            return left;
        }

        async Task AnnounceCompletedAsync()
        {
            if (Trackers.Count == 0 || _trackerClient == null) return;
            await AnnounceOnceAsync(AnnounceEvent.Completed, Stopping);
        }

        /// <summary>Tells the trackers we leave, waiting a few seconds at most (a dead tracker must not hold up a stop).</summary>
        async Task AnnounceStoppedAsync()
        {
            if (Trackers.Count == 0 || _trackerClient == null || !_announcedStarted) return;
            using (var timeout = new CancellationTokenSource())
            using (Runtime.Clock.Schedule(StoppedAnnounceTimeout, () => { try { timeout.Cancel(); } catch (ObjectDisposedException) { } }))
            {
                await AnnounceOnceAsync(AnnounceEvent.Stopped, timeout.Token);
            }
        }
    }
}
