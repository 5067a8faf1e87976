using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;

namespace PSPeer.Engine.Core
{
    public sealed class SearchOptions
    {
        public int MaxResults { get; set; } = 100;
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
        /// <summary>For flooding protocols; null = the protocol's default (expanding ring for Gnutella).</summary>
        public int? Ttl { get; set; }
    }

    /// <summary>A node that can search its network.</summary>
    public interface ISearchNode
    {
        /// <summary>
        /// Sends the search and calls <paramref name="onHit"/> for each hit as it arrives (on any thread, never
        /// concurrently). Completes when the network says it has no more, MaxResults arrived, or Timeout passed.
        /// Cancelling ends the search early without an exception.
        /// </summary>
        Task SearchAsync(string query, SearchOptions options, Action<SearchHit> onHit, CancellationToken cancellationToken = default);
    }

    /// <summary>A node that shares a folder and can fetch what others share.</summary>
    public interface ISharingNode
    {
        SharedFolder Shared { get; }
        /// <summary>Hashes and shares more files (or every file of a folder), telling the index or ultrapeer.</summary>
        Task<IReadOnlyList<SharedFile>> PublishAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default);
        /// <summary>Downloads a hit into <paramref name="destinationDirectory"/>, verified; emits Download* events.</summary>
        Task<DownloadResult> DownloadAsync(SearchHit hit, string destinationDirectory, IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default);
        /// <summary>
        /// As above. A file of the same name that already holds this content is the result at once (AlreadyPresent); a
        /// different one is PeerException(DestinationFileExists) unless <paramref name="replaceExisting"/>, and then is
        /// replaced only by the verified download.
        /// </summary>
        Task<DownloadResult> DownloadAsync(SearchHit hit, string destinationDirectory, bool replaceExisting, IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default);
    }
}
