using System;
using System.Collections.Generic;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>A tracker's answer to an announce.</summary>
    public sealed class AnnounceResponse
    {
        public AnnounceResponse(TimeSpan interval, TimeSpan? minInterval, int complete, int incomplete, IReadOnlyList<TrackerPeer> peers,
            string warningMessage = null, string trackerId = null)
        {
            Interval = interval;
            MinInterval = minInterval;
            Complete = complete;
            Incomplete = incomplete;
            Peers = peers ?? Array.Empty<TrackerPeer>();
            WarningMessage = warningMessage;
            TrackerId = trackerId;
        }

        /// <summary>How long to wait before the next regular announce.</summary>
        public TimeSpan Interval { get; }
        /// <summary>Announcing more often than this is refused or ignored by the tracker.</summary>
        public TimeSpan? MinInterval { get; }
        /// <summary>Seeders in the swarm (-1 when the tracker did not say).</summary>
        public int Complete { get; }
        /// <summary>Leechers in the swarm (-1 when the tracker did not say).</summary>
        public int Incomplete { get; }
        public IReadOnlyList<TrackerPeer> Peers { get; }
        public string WarningMessage { get; }
        /// <summary>"tracker id" to send back on later announces, when the tracker gave one.</summary>
        public string TrackerId { get; }
    }
}
