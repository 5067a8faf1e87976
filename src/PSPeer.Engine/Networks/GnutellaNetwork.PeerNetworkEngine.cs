using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella;

namespace PSPeer.Engine.Networks
{
    // The protocol-neutral face the network cmdlets use (kept in its own file, so the network's own code is untouched).
    public sealed partial class GnutellaNetwork : IPeerNetworkEngine, ISearchableNetwork
    {
        string IPeerNetworkEngine.Protocol => "Gnutella";

        IReadOnlyList<PeerNodeBase> IPeerNetworkEngine.Nodes => _nodes;

        bool IPeerNetworkEngine.Contains(PeerNodeBase node) => node is GnutellaServent servent && Contains(servent);

        int IPeerNetworkEngine.NodesDown => IsSimulated ? NodesDown : 0;

        object IPeerNetworkEngine.Measure() => Measure();

        Task ISearchableNetwork.SearchAsync(PeerNodeBase via, string query, SearchOptions options, Action<SearchHit> onHit, CancellationToken cancellationToken)
        {
            if (!(via is GnutellaServent servent))
                throw new ArgumentException($"Node '{via?.Name}' is not a Gnutella servent of this network.", nameof(via));
            return SearchAsync(servent, query, options, onHit, cancellationToken);
        }
    }
}
