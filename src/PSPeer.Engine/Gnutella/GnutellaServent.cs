using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// A Gnutella 0.6 servent: one listener for Gnutella links, HTTP downloads and GIV callbacks; floods queries with
    /// TTL and routes QueryHits back along the reverse path; an ultrapeer or a leaf.
    /// </summary>
    public sealed class GnutellaServent : PeerNodeBase, ISearchNode, ISharingNode
    {
        public GnutellaServent(IPeerRuntime runtime, string name, GnutellaOptions options)
            : base(runtime, name, "Gnutella", (options ?? new GnutellaOptions()).Role == GnutellaRole.Leaf ? "Leaf" : "Ultrapeer")
        {
            Options = options ?? new GnutellaOptions();
            GnutellaRole = Options.Role;
            Shared = new SharedFolder(runtime, Options.SharedPath);
        }

        public GnutellaOptions Options { get; }
        public GnutellaRole GnutellaRole { get; }
        public GnutellaCounters Counters { get; } = new GnutellaCounters();
        public SharedFolder Shared { get; }
        public override int SharedFileCount => Shared.Files.Count;

        /// <summary>Live Gnutella links (after the handshake).</summary>
        public int ConnectionCount => throw new NotImplementedException();

        /// <summary>Remote listening endpoints ("host:port") of the live links.</summary>
        public IReadOnlyList<string> Neighbors => throw new NotImplementedException();

        /// <summary>Opens a link to <paramref name="peer"/>; completes after the 0.6 handshake.
        /// PeerException PeerUnreachable / HandshakeRefused.</summary>
        public Task ConnectAsync(HostPort peer, CancellationToken cancellationToken = default) => throw new NotImplementedException();

        protected override Task OnStartAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
        protected override Task OnStopAsync() => throw new NotImplementedException();

        public Task SearchAsync(string query, SearchOptions options, Action<SearchHit> onHit, CancellationToken cancellationToken = default) =>
            throw new NotImplementedException();

        public Task<IReadOnlyList<SharedFile>> PublishAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default) =>
            throw new NotImplementedException();

        public Task<DownloadResult> DownloadAsync(SearchHit hit, string destinationDirectory, IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default) =>
            throw new NotImplementedException();
    }
}
