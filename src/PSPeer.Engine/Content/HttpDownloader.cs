using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
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
    /// </remarks>
    public static class HttpDownloader
    {
        const int ResponseHeadLimit = 16 * 1024;
        // 256 KiB reads: few system calls per gigabyte, yet small enough that each chunk is still in the CPU cache
        // when SHA-1 and the file write read it again (1 MiB chunks measured ~30% slower to write here).
        const int ChunkSize = 256 * 1024;
        // Error bodies we read to reuse the connection; anything longer is cheaper to reconnect for.
        const int MaxDiscardBytes = 64 * 1024;
        static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);

        /// <summary>Throws PeerException ContentHashMismatch / PeerUnreachable / DownloadFailed; OperationCanceledException on cancel.</summary>
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

            var session = new Session(runtime, source, cancellationToken, opened, alreadyRead);
            try
            {
                var response = await session.OpenResponseAsync(hit);
                long length = ContentLength(response, hit);

                var random = new byte[6];
                runtime.Random.NextBytes(random);
                tempPath = storage.Combine(directory, "." + fileName + "." + Hex(random) + SharedFolder.PartialSuffix);

                ContentHash actual;
                long received;
                using (var file = storage.Create(tempPath))
                {
                    (actual, received) = await session.ReceiveBodyAsync(file, length, hit, progress);
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

        // The body length the response announces; -1 when it is delimited by the connection closing.
        static long ContentLength(HttpHead response, SearchHit hit)
        {
            if (response["Transfer-Encoding"] != null)
                throw new PeerException(PeerErrorIds.DownloadFailed, $"The peer sent '{hit.Name}' with Transfer-Encoding '{response["Transfer-Encoding"]}', which PSPeer does not accept for file downloads.");
            string text = response["Content-Length"];
            if (text == null) return -1;
            if (response.Repeated.Contains("Content-Length") || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long length))
                throw new PeerException(PeerErrorIds.DownloadFailed, $"The peer sent a bad Content-Length '{text}' for '{hit.Name}'.");
            if (hit.Size >= 0 && length != hit.Size)
                throw new PeerException(PeerErrorIds.DownloadFailed, $"The peer offers {length} bytes for '{hit.Name}' but announced {hit.Size}: its copy changed; search again.");
            return length;
        }

        static string Hex(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        /// <summary>One download's connection(s) to the source: request, response head, body.</summary>
        sealed class Session : IDisposable
        {
            readonly IPeerRuntime _runtime;
            readonly HostPort _source;
            readonly CancellationToken _token;
            IConnection _connection;
            CancellationTokenRegistration _registration;
            HttpHeadReader _reader;
            IConnection _opened;       // a connection handed in (GIV), used once instead of connecting
            byte[] _alreadyRead;
            bool _usedOpened;

            public Session(IPeerRuntime runtime, HostPort source, CancellationToken token, IConnection opened = null, byte[] alreadyRead = null)
            {
                _runtime = runtime; _source = source; _token = token; _opened = opened; _alreadyRead = alreadyRead;
            }

            async Task ConnectAsync()
            {
                CloseConnection();
                if (_opened != null || _usedOpened)
                {
                    if (_usedOpened)
                        throw new PeerException(PeerErrorIds.DownloadFailed, $"{_source} closed the pushed connection; it cannot be reopened from this side.");
                    _connection = _opened;
                    _opened = null;
                    _usedOpened = true;
                }
                else
                {
                    // PeerException PeerUnreachable from the transport passes through unchanged.
                    _connection = await _runtime.Transport.ConnectAsync(_source.Host, _source.Port, _token);
                }
                // Closing the connection on cancel unblocks a read on any transport, whether or not it honours tokens.
                var connection = _connection;
                _registration = _token.Register(() => connection.Dispose());
                _reader = new HttpHeadReader(ResponseHeadLimit);
                if (_alreadyRead != null) { _reader.Prefill(_alreadyRead); _alreadyRead = null; }
            }

            /// <summary>Asks by hash first (the name may have changed), then by index and name; returns the 200 response.</summary>
            public async Task<HttpHead> OpenResponseAsync(SearchHit hit)
            {
                await ConnectAsync();
                string byName = "/get/" + hit.FileIndex.ToString(CultureInfo.InvariantCulture) + "/" + UrlPath.EncodeName(hit.Name ?? "");
                HttpHead response;
                if (!hit.ContentHash.IsEmpty)
                {
                    response = await RequestAsync("/uri-res/N2R?" + hit.ContentHash);
                    if (response.Status != 404) return Check(response, hit);
                    // Old servents only know /get/: reuse the connection when the 404's body is short and framed.
                    if (!await TryDiscardBodyAsync(response)) await ConnectAsync();
                }
                response = await RequestAsync(byName);
                return Check(response, hit);
            }

            HttpHead Check(HttpHead response, SearchHit hit)
            {
                if (response.Status == 200) return response;
                throw new PeerException(PeerErrorIds.DownloadFailed,
                    $"{_source} answered {response.Status} {response.Reason} for '{hit.Name}': the peer no longer shares it, or shares it under another name.");
            }

            async Task<HttpHead> RequestAsync(string target)
            {
                string request = "GET " + target + " HTTP/1.1\r\nHost: " + _source + "\r\nUser-Agent: " + HttpResponseWriter.ServerName +
                                 "\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n";
                var bytes = Encoding.ASCII.GetBytes(request);
                var stream = _connection.Stream;
                await stream.WriteAsync(bytes, 0, bytes.Length, _token);
                await stream.FlushAsync(_token);
                string text = await _reader.ReadHeadAsync(stream, _token);
                if (text == null) throw new PeerException(PeerErrorIds.DownloadFailed, $"{_source} closed the connection without answering.");
                var head = HttpHead.ParseResponse(text, out var error);
                if (head == null) throw new PeerException(PeerErrorIds.DownloadFailed, $"{_source} sent a malformed HTTP response ({error}).");
                return head;
            }

            async Task<bool> TryDiscardBodyAsync(HttpHead response)
            {
                if (!response.KeepAlive || response["Transfer-Encoding"] != null) return false;
                if (!long.TryParse(response["Content-Length"] ?? "", NumberStyles.None, CultureInfo.InvariantCulture, out long length) || length > MaxDiscardBytes)
                    return false;
                var scratch = new byte[Math.Max(1, (int)length)];
                long left = length;
                while (left > 0)
                {
                    int n = await _reader.ReadBodyAsync(_connection.Stream, scratch, 0, (int)left, _token);
                    if (n <= 0) return false;
                    left -= n;
                }
                return true;
            }

            /// <summary>
            /// Copies the body into <paramref name="file"/>, hashing as it goes. Two buffers: while one is hashed and
            /// written, the network fills the other, so the socket, SHA-1 and the disk work at the same time.
            /// </summary>
            public async Task<(ContentHash hash, long received)> ReceiveBodyAsync(Stream file, long length, SearchHit hit, IProgress<DownloadProgress> progress)
            {
                var buffers = new[] { new byte[ChunkSize], new byte[ChunkSize] };
                long limit = length >= 0 ? length : (hit.Size >= 0 ? hit.Size : long.MaxValue);
                var bodyStart = _runtime.Clock.Now;
                var lastReport = bodyStart;
                long received = 0;
                Task pendingWrite = null;
                Task<int> pendingFill = null;
                using (var sha = SHA1.Create())
                {
                    try
                    {
                        int current = 0;
                        int got = await FillAsync(buffers[current], Want(limit, received));
                        while (got > 0)
                        {
                            received += got;
                            if (length < 0 && received > limit)
                                throw new PeerException(PeerErrorIds.DownloadFailed, $"{_source} sent more than the {limit} bytes announced for '{hit.Name}'.");
                            // The other buffer's write must finish before the network may fill it again.
                            if (pendingWrite != null) { await pendingWrite; pendingWrite = null; }
                            int want = Want(limit, received);
                            pendingFill = want > 0 ? FillAsync(buffers[1 - current], want) : null;
                            // Start the write first and hash while it runs: both only read the buffer, and on two
                            // cores the disk copy and SHA-1 then overlap instead of following each other.
                            pendingWrite = file.WriteAsync(buffers[current], 0, got, _token);
                            sha.TransformBlock(buffers[current], 0, got, null, 0);

                            var now = _runtime.Clock.Now;
                            if (progress != null && now - lastReport >= ProgressInterval)
                            {
                                lastReport = now;
                                progress.Report(new DownloadProgress(hit.Name, received, length, Rate(received, now - bodyStart)));
                            }
                            if (pendingFill == null) break;
                            got = await pendingFill;
                            pendingFill = null;
                            current = 1 - current;
                        }
                        if (pendingWrite != null) { await pendingWrite; pendingWrite = null; }
                        if (length >= 0 && received < length)
                            throw new PeerException(PeerErrorIds.DownloadFailed, $"{_source} closed the connection after {received} of {length} bytes of '{hit.Name}'.");
                        await file.FlushAsync(_token);
                    }
                    finally
                    {
                        // Never dispose the file or the buffers under an operation still in flight.
                        if (pendingFill != null) { try { await pendingFill; } catch (Exception) { } }
                        if (pendingWrite != null) { try { await pendingWrite; } catch (Exception) { } }
                    }
                    sha.TransformFinalBlock(buffers[0], 0, 0);
                    progress?.Report(new DownloadProgress(hit.Name, received, length, Rate(received, _runtime.Clock.Now - bodyStart)));
                    return (new ContentHash(sha.Hash), received);
                }
            }

            static int Want(long limit, long received) => (int)Math.Min(ChunkSize, limit - received);

            static double Rate(long bytes, TimeSpan elapsed) => elapsed.TotalSeconds > 0 ? bytes / elapsed.TotalSeconds : 0;

            // Fills up to `want` bytes; fewer only at end of stream.
            async Task<int> FillAsync(byte[] buffer, int want)
            {
                int got = 0;
                while (got < want)
                {
                    int n = await _reader.ReadBodyAsync(_connection.Stream, buffer, got, want - got, _token);
                    if (n <= 0) break;
                    got += n;
                }
                return got;
            }

            void CloseConnection()
            {
                _registration.Dispose();
                _connection?.Dispose();
                _connection = null;
            }

            public void Dispose()
            {
                _opened?.Dispose();   // a handed-in connection the session ended before using
                _opened = null;
                CloseConnection();
            }
        }
    }
}
