using System;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>What PeerNode.EventReceived and PeerNetwork.EventReceived carry: one event ($Event.SourceEventArgs.Event).</summary>
    public sealed class PeerEventArgs : EventArgs
    {
        internal PeerEventArgs(PeerEvent peerEvent) => Event = peerEvent;

        public PeerEvent Event { get; }
    }
}
