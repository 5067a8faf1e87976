using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>Announces to and scrapes HTTP trackers over the runtime's transport.</summary>
    public sealed class TrackerClient
    {
        readonly IPeerRuntime _runtime;

        public TrackerClient(IPeerRuntime runtime) => _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));

        /// <summary>A request taking longer than this fails with TrackerUnreachable.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        public Task<AnnounceResponse> AnnounceAsync(string announceUrl, AnnounceRequest request, CancellationToken cancellationToken = default) =>
            throw new NotImplementedException();

        public Task<IReadOnlyList<ScrapeEntry>> ScrapeAsync(string announceUrl, IEnumerable<InfoHash> hashes, CancellationToken cancellationToken = default) =>
            throw new NotImplementedException();
    }
}
