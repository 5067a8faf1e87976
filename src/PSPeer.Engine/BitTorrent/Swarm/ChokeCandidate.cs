using System;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>What the choker needs to know of one connected peer. The node fills these in; the choker only reads them.</summary>
    public sealed class ChokeCandidate
    {
        public ChokeCandidate(int id, bool interested, double rate, bool snubbed, DateTimeOffset connectedAt)
        {
            Id = id;
            Interested = interested;
            Rate = rate;
            Snubbed = snubbed;
            ConnectedAt = connectedAt;
        }

        /// <summary>Stable id of the connection (ties between equal rates go to the lower id, so runs repeat).</summary>
        public int Id { get; }
        /// <summary>The peer wants something we have.</summary>
        public bool Interested { get; }
        /// <summary>Bytes/s that decide the slot: download from them while we leech, upload to them while we seed.</summary>
        public double Rate { get; }
        /// <summary>We wanted data from them and got no block for a minute: they keep no regular slot.</summary>
        public bool Snubbed { get; }
        public DateTimeOffset ConnectedAt { get; }
    }
}
