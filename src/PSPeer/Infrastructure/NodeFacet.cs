using System;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Something the cmdlet layer composes beside an engine node and that lives and dies with it: a Chord node's file
    /// sharing (ISearchNode, ISharingNode over the ring). Cmdlets reach its capabilities through PeerNode.As&lt;T&gt;(),
    /// its events come with the node's, and stopping the node stops it first.
    /// </summary>
    internal sealed class NodeFacet
    {
        readonly Func<Task> _stop;

        public NodeFacet(object capability, IObservable<PeerEvent> events, Func<Task> stop)
        {
            Capability = capability ?? throw new ArgumentNullException(nameof(capability));
            Events = events ?? throw new ArgumentNullException(nameof(events));
            _stop = stop ?? throw new ArgumentNullException(nameof(stop));
        }

        public object Capability { get; }
        public IObservable<PeerEvent> Events { get; }
        public Task StopAsync() => _stop();
    }
}
