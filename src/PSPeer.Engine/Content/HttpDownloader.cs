using System;
using System.Globalization;
using System.IO;
using System.Text;
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
    /// <remarks>
    /// The destination file is named after the last segment of the hit's name, sanitised (<see cref="DownloadFileName"/>).
    /// Until the hash matches, the bytes live in ".&lt;name&gt;.&lt;random&gt;.pspeer-partial". An existing file of the
    /// final name is never replaced unless the caller asks (replaceExisting), and then only by a verified download
    /// (<see cref="ExistingCopyAsync"/> tells whether it already holds the content).
    /// A source may answer the first request with "206 Partial Content" and one range of the file even though none was
    /// asked for (gtk-gnutella serves at most 512 KiB per request): the rest is then asked for with "Range: bytes=n-",
    /// on the same keep-alive connection while the source keeps it open, on a new one when it does not (never for a
    /// pushed connection, which cannot be reopened). Every range is checked against what was asked for and the size
    /// expected before a byte of it is written, and the SHA-1 covers the whole file as before.
    /// </remarks>
    public static class HttpDownloader
    {
        /// <summary>Throws PeerException ContentHashMismatch / PeerUnreachable / DownloadFailed / SourceBusy; OperationCanceledException on cancel.</summary>
        public static Task<DownloadResult> DownloadAsync(IPeerRuntime runtime, SearchHit hit, string destinationDirectory,
            IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default) =>
            DownloadAsync(runtime, hit, destinationDirectory, false, progress, null, null, cancellationToken);

        /// <summary>As above; DestinationFileExists when a file of the final name is there at the end, unless <paramref name="replaceExisting"/>.</summary>
        public static Task<DownloadResult> DownloadAsync(IPeerRuntime runtime, SearchHit hit, string destinationDirectory, bool replaceExisting,
            IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default) =>
            DownloadAsync(runtime, hit, destinationDirectory, replaceExisting, progress, null, null, cancellationToken);

        /// <summary>The full path a hit is saved to in <paramref name="destinationDirectory"/> (the sanitised last segment of its name).</summary>
        public static string DestinationPath(IFileStorage storage, SearchHit hit, string destinationDirectory)
        {
            if (hit == null) throw new ArgumentNullException(nameof(hit));
            string fileName = DownloadFileName.Sanitize(hit.Name, hit.ContentHash.IsEmpty ? "download" : "download-" + hit.ContentHash.Base32Text.Substring(0, 8));
            return storage.Combine(storage.GetFullPath(destinationDirectory), fileName);
        }

        /// <summary>
        /// What to do about a file already at the hit's destination, before any network traffic: null when there is none
        /// (or it is to be replaced); the result, AlreadyPresent and Verified, when it holds this very content (same
        /// SHA-1); PeerException(DestinationFileExists) when it differs and <paramref name="replaceExisting"/> is false.
        /// </summary>
        public static async Task<DownloadResult> ExistingCopyAsync(IPeerRuntime runtime, SearchHit hit, string destinationDirectory, bool replaceExisting,
            CancellationToken cancellationToken = default)
        {
            if (runtime == null) throw new ArgumentNullException(nameof(runtime));
            var storage = runtime.Storage;
            string path = DestinationPath(storage, hit, destinationDirectory);
            if (!storage.FileExists(path)) return null;
            var started = runtime.Clock.Now;
            if (!hit.ContentHash.IsEmpty)
            {
                var existing = await FileHasher.HashFileAsync(storage, path, cancellationToken);
                if (existing == hit.ContentHash)
                    return new DownloadResult(path, storage.GetInfo(path).Length, existing, verified: true, runtime.Clock.Now - started, null, alreadyPresent: true);
            }
            if (replaceExisting) return null;
            throw Exists(path, hit);
        }

        static PeerException Exists(string path, SearchHit hit) =>
            new PeerException(PeerErrorIds.DestinationFileExists,
                $"'{path}' already exists and is not the file '{hit.Name}' ({(hit.ContentHash.IsEmpty ? "its content cannot be compared" : "its content hash differs from " + hit.ContentHash)}); it was left as it is.");

        /// <summary>
        /// Downloads over a connection that is already open (a Gnutella GIV: the firewalled source connected to us),
        /// whose first bytes after what the caller consumed are in <paramref name="alreadyRead"/>. Such a connection
        /// cannot be reopened, so a source that closes it after a 404 fails the download. The connection is disposed.
        /// </summary>
        public static Task<DownloadResult> DownloadOverAsync(IPeerRuntime runtime, SearchHit hit, IConnection connection, byte[] alreadyRead,
            string destinationDirectory, bool replaceExisting, IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default)
        {
            if (connection == null) throw new ArgumentNullException(nameof(connection));
            return DownloadAsync(runtime, hit, destinationDirectory, replaceExisting, progress, connection, alreadyRead, cancellationToken);
        }

        static async Task<DownloadResult> DownloadAsync(IPeerRuntime runtime, SearchHit hit, string destinationDirectory, bool replaceExisting,
            IProgress<DownloadProgress> progress, IConnection opened, byte[] alreadyRead, CancellationToken cancellationToken)
        {
            if (runtime == null) throw new ArgumentNullException(nameof(runtime));
            if (hit == null) throw new ArgumentNullException(nameof(hit));
            if (string.IsNullOrEmpty(destinationDirectory)) throw new ArgumentException("A destination folder is required.", nameof(destinationDirectory));
            if (!HostPort.TryParse(hit.Source, out var source))
                throw new PeerException(PeerErrorIds.DownloadFailed, $"Cannot download '{hit.Name}': its source '{hit.Source}' is not host:port.");
            cancellationToken.ThrowIfCancellationRequested();

            var storage = runtime.Storage;
            string directory = storage.GetFullPath(destinationDirectory);
            string fileName = DownloadFileName.Sanitize(hit.Name, hit.ContentHash.IsEmpty ? "download" : "download-" + hit.ContentHash.Base32Text.Substring(0, 8));
            string finalPath = storage.Combine(directory, fileName);
            var started = runtime.Clock.Now;
            string tempPath = null;

            var session = new HttpDownloadSession(runtime, source, cancellationToken, opened, alreadyRead);
            try
            {
                var response = await session.OpenAsync(hit);
                // Check the first answer before a file exists: a refusal leaves nothing behind.
                var part = PartOf(response, hit, 0, hit.Size, source);

                var random = new byte[6];
                runtime.Random.NextBytes(random);
                tempPath = storage.Combine(directory, "." + fileName + "." + Hex(random) + SharedFolder.PartialSuffix);

                ContentHash actual;
                long received;
                using (var file = storage.Create(tempPath))
                using (var body = new DownloadBody(runtime, file, hit, progress, cancellationToken))
                {
                    while (true)
                    {
                        if (part.Total >= 0) body.Total = part.Total;
                        session.EndAfterThisAnswer(response);
                        await body.ReceiveAsync(session.ReadBodyAsync, part.Count, source.ToString());
                        // A 200 is the whole file; a 206 is one range of it, and the rest is asked for on the same
                        // connection while the source keeps it open (gtk-gnutella answers 512 KiB at a time).
                        if (!part.IsRange || body.Received >= part.Total) break;
                        response = await session.RequestRestAsync(body.Received);
                        part = PartOf(response, hit, body.Received, part.Total, source);
                    }
                    received = body.Received;
                    actual = await body.FinishAsync();
                }

                if (!hit.ContentHash.IsEmpty && actual != hit.ContentHash)
                    throw new PeerException(PeerErrorIds.ContentHashMismatch,
                        $"'{hit.Name}' from {source} does not match its hash: expected {hit.ContentHash}, received {actual}. Nothing was saved; the peer's copy differs from what it announced.");

                // A file that appeared under the final name while we downloaded is not ours to replace either.
                if (!replaceExisting && storage.FileExists(finalPath)) throw Exists(finalPath, hit);
                storage.Move(tempPath, finalPath, overwrite: replaceExisting);
                tempPath = null;
                return new DownloadResult(finalPath, received, actual, verified: !hit.ContentHash.IsEmpty, runtime.Clock.Now - started, source.ToString());
            }
            catch (Exception e)
            {
                if (tempPath != null) { try { storage.Delete(tempPath); } catch (Exception) { /* best effort; the original error matters more */ } }
                if (cancellationToken.IsCancellationRequested && !(e is OperationCanceledException))
                    throw new OperationCanceledException($"Download of '{hit.Name}' cancelled.", e, cancellationToken);
                if (e is PeerException || e is OperationCanceledException) throw;
                if (e is IOException || e is ObjectDisposedException || e is HttpHeadException || e is UnauthorizedAccessException)
                    throw new PeerException(PeerErrorIds.DownloadFailed, $"Download of '{hit.Name}' from {source} failed: {e.Message}", e);
                throw;
            }
            finally
            {
                session.Dispose();
            }
        }

        /// <summary>What one answer carries: its body's byte count (-1: until the connection closes), and for a 206 the total.</summary>
        readonly struct Part
        {
            public Part(long count, long total, bool isRange) { Count = count; Total = total; IsRange = isRange; }
            public long Count { get; }
            public long Total { get; }
            public bool IsRange { get; }
        }

        /// <summary>
        /// Checks an answer to a request for the file from <paramref name="from"/> on, against the size we expect
        /// (<paramref name="total"/>, -1 when unknown). A 200 must be the whole file from a first request; a 206 must carry
        /// a Content-Range that starts exactly at <paramref name="from"/>, ends within the file, names the expected total,
        /// and agrees with its Content-Length. Anything else fails the download before a byte of it is written.
        /// </summary>
        static Part PartOf(HttpHead response, SearchHit hit, long from, long total, HostPort source)
        {
            if (response.Status != 200 && response.Status != 206)
                throw new PeerException(PeerErrorIds.DownloadFailed,
                    $"{source} answered {response.Status} {response.Reason} for '{hit.Name}'" + (from == 0
                        ? ": the peer no longer shares it, or shares it under another name."
                        : $" when asked for the rest from byte {from}."));
            if (response["Transfer-Encoding"] != null)
                throw new PeerException(PeerErrorIds.DownloadFailed, $"The peer sent '{hit.Name}' with Transfer-Encoding '{response["Transfer-Encoding"]}', which PSPeer does not accept for file downloads.");
            long length = -1;
            string text = response["Content-Length"];
            if (text != null && (response.Repeated.Contains("Content-Length") || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out length)))
                throw new PeerException(PeerErrorIds.DownloadFailed, $"The peer sent a bad Content-Length '{text}' for '{hit.Name}'.");

            if (response.Status == 200)
            {
                // A source that ignores our Range would send the whole file again; we never asked it to.
                if (from != 0)
                    throw new PeerException(PeerErrorIds.DownloadFailed, $"{source} answered 200 (the whole file) when asked for '{hit.Name}' from byte {from}: it does not honour ranges after a partial answer.");
                if (total >= 0 && length >= 0 && length != total)
                    throw new PeerException(PeerErrorIds.DownloadFailed, $"The peer offers {length} bytes for '{hit.Name}' but announced {total}: its copy changed; search again.");
                return new Part(length, length, isRange: false);
            }

            string rangeText = response["Content-Range"];
            if (response.Repeated.Contains("Content-Range") || !ContentRange.TryParse(rangeText, out var range))
                throw new PeerException(PeerErrorIds.DownloadFailed,
                    $"{source} answered 206 for '{hit.Name}' with " + (rangeText == null ? "no Content-Range" : $"a malformed Content-Range '{rangeText}'") + ": nothing was saved.");
            if (total >= 0 && range.Total != total)
                throw new PeerException(PeerErrorIds.DownloadFailed,
                    $"{source} answered '{range}' for '{hit.Name}', a file of {range.Total} bytes, but {total} were expected: its copy changed; search again.");
            if (range.First != from)
                throw new PeerException(PeerErrorIds.DownloadFailed,
                    $"{source} answered '{range}' for '{hit.Name}' when asked for bytes from {from}: the range does not continue the file; nothing was saved.");
            if (length >= 0 && length != range.Length)
                throw new PeerException(PeerErrorIds.DownloadFailed,
                    $"{source} answered '{range}' ({range.Length} bytes) for '{hit.Name}' with Content-Length {length}: the answer contradicts itself; nothing was saved.");
            return new Part(range.Length, range.Total, isRange: true);
        }

        static string Hex(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }
    }
}
