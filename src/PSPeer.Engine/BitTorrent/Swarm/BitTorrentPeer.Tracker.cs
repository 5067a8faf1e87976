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
        TrackerClient _trackerClient;
        bool _announcedStarted;

        async Task AnnounceLoopAsync()
        {
            if (Trackers.Count == 0) return;
            _trackerClient = new TrackerClient(Runtime);
            var ev = AnnounceEvent.Started;
            while (!Stopping.IsCancellationRequested)
            {
                var interval = await AnnounceOnceAsync(ev, Stopping);
                if (interval.HasValue) { ev = AnnounceEvent.None; _announcedStarted = true; }
                var wait = interval ?? RetryAfterFailure;
                try { await Runtime.Clock.Delay(wait < MinAnnounceInterval ? MinAnnounceInterval : wait, Stopping); }
                catch (OperationCanceledException) { return; }
            }
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
                    };
                }
                try
                {
                    var response = await _trackerClient.AnnounceAsync(url, request, cancellationToken);
                    if (ev != AnnounceEvent.Stopped) AddCandidates(response.Peers);
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
