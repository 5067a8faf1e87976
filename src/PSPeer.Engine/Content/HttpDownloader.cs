using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// Fetches a file over HTTP into a temporary file beside the destination, hashing while receiving; moves it into
    /// place only when the SHA-1 matches. On mismatch, failure or cancellation the temporary file is deleted.
    /// </summary>
    public static class HttpDownloader
    {
        /// <summary>Throws PeerException ContentHashMismatch / PeerUnreachable / DownloadFailed; OperationCanceledException on cancel.</summary>
        public static Task<DownloadResult> DownloadAsync(IPeerRuntime runtime, SearchHit hit, string destinationDirectory,
            IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    }
}
