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
    /// One download's connection(s) to its source: requests, response heads, body bytes. Keeps one keep-alive
    /// connection for as long as the source allows; dials again when the source closed it between answers, unless the
    /// connection was handed in (a Gnutella GIV: the firewalled source connected to us, and we cannot reach it).
    /// </summary>
    /// <remarks>
    /// Busy sources: "503" with "Retry-After: n" is waited out (on the runtime's clock, cancellably) and the request
    /// repeated, on the same connection when the 503 left it open. At most <see cref="MaxBusyAnswers"/> such answers
    /// per download and <see cref="MaxBusyWait"/> per wait; past those, or without Retry-After, the download fails as
    /// SourceBusy so the caller can try later or elsewhere. gtk-gnutella's PARQ queue answers this way and expects the
    /// client to come back within the delay it gives.
    /// </remarks>
    sealed class HttpDownloadSession : IDisposable
    {
        const int ResponseHeadLimit = 16 * 1024;
        // Error bodies we read to reuse the connection; anything longer is cheaper to reconnect for.
        const int MaxDiscardBytes = 64 * 1024;
        public const int MaxBusyAnswers = 10;
        public static readonly TimeSpan MaxBusyWait = TimeSpan.FromMinutes(2);

        readonly IPeerRuntime _runtime;
        readonly HostPort _source;
        readonly CancellationToken _token;
        IConnection _connection;
        CancellationTokenRegistration _registration;
        HttpHeadReader _reader;
        IConnection _opened;       // a connection handed in (GIV), used once instead of connecting
        byte[] _alreadyRead;
        bool _usedOpened;
        bool _fresh;               // no request has been sent on the current connection yet
        string _target;            // the request-target that found the file; later ranges ask for it again
        int _busyAnswers;
        bool _endAfterBody;        // the source closes after the current answer: dial again before the next request

        public HttpDownloadSession(IPeerRuntime runtime, HostPort source, CancellationToken token, IConnection opened = null, byte[] alreadyRead = null)
        {
            _runtime = runtime; _source = source; _token = token; _opened = opened; _alreadyRead = alreadyRead;
        }

        /// <summary>A pushed (GIV) connection: when it closes, the download cannot go on.</summary>
        bool Pushed => _opened != null || _usedOpened;

        async Task ConnectAsync()
        {
            CloseConnection();
            if (Pushed)
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
            _fresh = true;
        }

        /// <summary>
        /// Asks by hash first (the name may have changed), then by index and name; returns the first answer that is not
        /// a 404 (or the 404 of the last try). The target that answered is used for every later range.
        /// </summary>
        public async Task<HttpHead> OpenAsync(SearchHit hit)
        {
            string byName = "/get/" + hit.FileIndex.ToString(CultureInfo.InvariantCulture) + "/" + UrlPath.EncodeName(hit.Name ?? "");
            if (!hit.ContentHash.IsEmpty)
            {
                _target = "/uri-res/N2R?" + hit.ContentHash;
                var response = await RequestAsync(-1);
                if (response.Status != 404) return response;
                // Old servents only know /get/: reuse the connection when the 404's body is short and framed.
                if (!await TryDiscardBodyAsync(response)) CloseConnection();
            }
            _target = byName;
            return await RequestAsync(-1);
        }

        /// <summary>Asks for the file from <paramref name="from"/> to its end ("Range: bytes=from-").</summary>
        public Task<HttpHead> RequestRestAsync(long from) => RequestAsync(from);

        /// <summary>Reads body bytes of the current answer (buffered ones first). Returns 0 at end of stream.</summary>
        public Task<int> ReadBodyAsync(byte[] buffer, int offset, int count) => _reader.ReadBodyAsync(_connection.Stream, buffer, offset, count, _token);

        /// <summary>The source said the connection ends after this answer (or may close it at any time): dial again next.</summary>
        public void EndAfterThisAnswer(HttpHead response)
        {
            if (!response.KeepAlive) _endAfterBody = true;
        }

        async Task<HttpHead> RequestAsync(long from)
        {
            while (true)
            {
                if (_endAfterBody) { _endAfterBody = false; CloseConnection(); }
                if (_connection == null) await ConnectAsync();
                bool fresh = _fresh;
                _fresh = false;
                HttpHead head;
                try { head = await SendAndReadAsync(from); }
                catch (Exception e) when (!fresh && (e is IOException || e is ObjectDisposedException) && !_token.IsCancellationRequested)
                {
                    head = null;   // a kept-alive connection the source had already closed
                }
                if (head == null)
                {
                    if (fresh) throw new PeerException(PeerErrorIds.DownloadFailed, $"{_source} closed the connection without answering.");
                    // Between answers a source may close an idle keep-alive connection: dial again (a pushed one cannot be).
                    CloseConnection();
                    continue;
                }
                if (head.Status == 503 && await WaitOutBusyAsync(head)) continue;
                return head;
            }
        }

        async Task<HttpHead> SendAndReadAsync(long from)
        {
            var request = new StringBuilder("GET ").Append(_target).Append(" HTTP/1.1\r\nHost: ").Append(_source)
                .Append("\r\nUser-Agent: ").Append(HttpResponseWriter.ServerName).Append("\r\nAccept: */*\r\n");
            if (from >= 0) request.Append("Range: bytes=").Append(from.ToString(CultureInfo.InvariantCulture)).Append("-\r\n");
            request.Append("Connection: keep-alive\r\n\r\n");
            var bytes = Encoding.ASCII.GetBytes(request.ToString());
            var stream = _connection.Stream;
            await stream.WriteAsync(bytes, 0, bytes.Length, _token);
            await stream.FlushAsync(_token);
            string text = await _reader.ReadHeadAsync(stream, _token);
            if (text == null) return null;
            var head = HttpHead.ParseResponse(text, out var error);
            if (head == null) throw new PeerException(PeerErrorIds.DownloadFailed, $"{_source} sent a malformed HTTP response ({error}).");
            return head;
        }

        // True when the 503 was waited out and the request should be repeated; throws SourceBusy otherwise.
        async Task<bool> WaitOutBusyAsync(HttpHead busy)
        {
            string retry = busy["Retry-After"];
            string what = $"{_source} is busy ({busy.Status} {busy.Reason})";
            if (++_busyAnswers > MaxBusyAnswers)
                throw new PeerException(PeerErrorIds.SourceBusy, $"{what} and stayed busy through {MaxBusyAnswers} retries: try again later or another source.");
            if (retry == null || !int.TryParse(retry.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
                throw new PeerException(PeerErrorIds.SourceBusy, $"{what} and gave no Retry-After: try again later or another source.");
            var wait = TimeSpan.FromSeconds(seconds);
            if (wait > MaxBusyWait)
                throw new PeerException(PeerErrorIds.SourceBusy, $"{what} and asks to retry in {seconds} s: try again later or another source.");
            if (!await TryDiscardBodyAsync(busy))
            {
                if (Pushed) throw new PeerException(PeerErrorIds.SourceBusy, $"{what} and closed the pushed connection: search again and download later.");
                CloseConnection();   // dial again after the wait
            }
            await _runtime.Clock.Delay(wait, _token);
            return true;
        }

        async Task<bool> TryDiscardBodyAsync(HttpHead response)
        {
            if (!response.KeepAlive || response["Transfer-Encoding"] != null) return false;
            if (!long.TryParse(response["Content-Length"] ?? "0", NumberStyles.None, CultureInfo.InvariantCulture, out long length) || length > MaxDiscardBytes)
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
