using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// Fetching a search hit as the systems that serve files over HTTP do (Napster peers, Chord file sharing):
    /// DownloadStarted; a verified copy already at the destination, or the file from the hit's source with
    /// <see cref="HttpDownloader"/>, reporting DownloadProgress events at most every 250 ms of runtime time; then
    /// DownloadVerified, or DownloadFailed with its error id before the exception goes on to the caller.
    /// </summary>
    internal static class SearchHitDownload
    {
        /// <summary>How the node raises its events (its own Emit).</summary>
        public delegate void Emitter(string type, string remote, string message, params KeyValuePair<string, object>[] data);

        static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        public static async Task<DownloadResult> RunAsync(IPeerRuntime runtime, SearchHit hit, string destinationDirectory, bool replaceExisting,
            IProgress<DownloadProgress> progress, Emitter emit, CancellationToken cancellationToken)
        {
            if (hit == null) throw new ArgumentNullException(nameof(hit));
            emit(PeerEventTypes.DownloadStarted, hit.Source, hit.Name, D("Name", hit.Name), D("Size", hit.Size), D("ContentHash", hit.ContentHash.ToString()));
            var reporter = new ThrottledProgress(runtime, hit, progress, emit);
            try
            {
                var result = await HttpDownloader.ExistingCopyAsync(runtime, hit, destinationDirectory, replaceExisting, cancellationToken)
                             ?? await HttpDownloader.DownloadAsync(runtime, hit, destinationDirectory, replaceExisting, reporter, cancellationToken);
                emit(PeerEventTypes.DownloadVerified, hit.Source, result.Path, D("Name", hit.Name), D("Path", result.Path), D("Size", result.Size),
                    D("ContentHash", result.ContentHash.ToString()), D("Duration", result.Duration));
                return result;
            }
            catch (Exception e)
            {
                string id = (e as PeerException)?.ErrorId ?? (e is OperationCanceledException ? "Cancelled" : PeerErrorIds.DownloadFailed);
                emit(PeerEventTypes.DownloadFailed, hit.Source, e.Message, D("Name", hit.Name), D("ErrorId", id), D("Reason", e.Message));
                throw;
            }
        }

        static KeyValuePair<string, object> D(string key, object value) => new KeyValuePair<string, object>(key, value);

        /// <summary>Passes every report to the caller; emits a DownloadProgress event at most every 250 ms of runtime time.</summary>
        sealed class ThrottledProgress : IProgress<DownloadProgress>
        {
            readonly IPeerRuntime _runtime;
            readonly SearchHit _hit;
            readonly IProgress<DownloadProgress> _inner;
            readonly Emitter _emit;
            readonly object _gate = new object();
            DateTimeOffset _last = DateTimeOffset.MinValue;

            public ThrottledProgress(IPeerRuntime runtime, SearchHit hit, IProgress<DownloadProgress> inner, Emitter emit)
            {
                _runtime = runtime; _hit = hit; _inner = inner; _emit = emit;
            }

            public void Report(DownloadProgress value)
            {
                _inner?.Report(value);
                var now = _runtime.Clock.Now;
                bool complete = value.TotalBytes >= 0 && value.BytesReceived >= value.TotalBytes;
                lock (_gate)
                {
                    if (!complete && now - _last < ProgressInterval) return;
                    _last = now;
                }
                _emit(PeerEventTypes.DownloadProgress, _hit.Source, $"{value.BytesReceived}/{value.TotalBytes}",
                    D("Name", _hit.Name), D("BytesReceived", value.BytesReceived), D("TotalBytes", value.TotalBytes));
            }
        }
    }
}
