using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Napster
{
    /// <summary>
    /// A Napster peer: logs in to an index server, shares its folder (served over HTTP on <c>port</c>), searches
    /// through the server and downloads from other peers over HTTP.
    /// </summary>
    public sealed class NapsterPeer : PeerNodeBase, ISearchNode, ISharingNode
    {
        /// <param name="sharedPath">Folder to share, or null to share nothing.</param>
        /// <param name="port">Port of this peer's HTTP file server (0 = any free port).</param>
        public NapsterPeer(IPeerRuntime runtime, string name, HostPort indexServer, string sharedPath, int port)
            : base(runtime, name, "Napster", "Peer")
        { throw new NotImplementedException(); }

        public HostPort IndexServer => throw new NotImplementedException();
        public SharedFolder Shared => throw new NotImplementedException();
        public override int SharedFileCount => throw new NotImplementedException();

        public Task SearchAsync(string query, SearchOptions options, Action<SearchHit> onHit, CancellationToken cancellationToken = default) => throw new NotImplementedException();
        public Task<IReadOnlyList<SharedFile>> PublishAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default) => throw new NotImplementedException();
        public Task<DownloadResult> DownloadAsync(SearchHit hit, string destinationDirectory, IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default) => throw new NotImplementedException();

        protected override Task OnStartAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
        protected override Task OnStopAsync() => throw new NotImplementedException();
    }
}
