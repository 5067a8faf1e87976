using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// Announces to and scrapes HTTP trackers over the runtime's transport: one GET per request on a fresh connection
    /// (Connection: close), the answer bounded by <see cref="MaxResponseBytes"/>; and udp:// trackers with BEP 15 over
    /// the runtime's datagrams (<see cref="UdpRetransmitBase"/>, <see cref="UdpMaxRetransmits"/>).
    /// </summary>
    /// <remarks>
    /// Errors: the tracker's "failure reason", a non-200 status or an answer that is not bencode are PeerException
    /// TrackerFailure; a tracker that cannot be reached, drops the connection or does not answer within
    /// <see cref="Timeout"/> is TrackerUnreachable (both name the URL). Cancelling the token throws
    /// OperationCanceledException and closes the connection.
    /// </remarks>
    public sealed class TrackerClient
    {
        /// <summary>Largest answer body accepted: a 200-peer dictionary list is ~15 KiB; a big scrape-all is more.</summary>
        public const int MaxResponseBytes = 4 * 1024 * 1024;
        const int MaxHeadBytes = 16 * 1024;

        readonly IPeerRuntime _runtime;

        readonly UdpTrackerClient _udp;

        public TrackerClient(IPeerRuntime runtime)
        {
            _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
            _udp = new UdpTrackerClient(runtime);
        }

        /// <summary>An HTTP request taking longer than this fails with TrackerUnreachable.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>BEP 15: an unanswered UDP request is sent again after this * 2^n, n = 0, 1, ... (15 s by default).</summary>
        public TimeSpan UdpRetransmitBase
        {
            get => _udp.RetransmitBase;
            set => _udp.RetransmitBase = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The retransmission base must be positive.");
        }

        /// <summary>BEP 15: the largest n (8 by default); the request fails with TrackerUnreachable after its wait.</summary>
        public int UdpMaxRetransmits
        {
            get => _udp.MaxRetransmits;
            set => _udp.MaxRetransmits = value >= 0 && value <= 8 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "BEP 15 retransmits with n from 0 to 8.");
        }

        /// <summary>Sends one announce and returns the tracker's answer.</summary>
        public async Task<AnnounceResponse> AnnounceAsync(string announceUrl, AnnounceRequest request, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (request.PeerId == null || request.PeerId.Length != 20) throw new ArgumentException("An announce needs a 20-byte peer id.", nameof(request));
            if (request.InfoHash.IsEmpty) throw new ArgumentException("An announce needs an info-hash.", nameof(request));
            if (request.Port < 0 || request.Port > 65535) throw new ArgumentOutOfRangeException(nameof(request), request.Port, "A port is 0 to 65535.");
            var url = TrackerUrl.Parse(announceUrl);
            if (url.IsUdp) return await _udp.AnnounceAsync(url, request, cancellationToken);
            var body = await GetAsync(url, AnnounceParameters(request), cancellationToken);
            return TrackerResponseParser.ParseAnnounce(url.Original, Decode(url, body));
        }

        /// <summary>Scrapes the tracker (URL derived from the announce URL) for <paramref name="hashes"/>; none = everything it lists.</summary>
        public async Task<IReadOnlyList<ScrapeEntry>> ScrapeAsync(string announceUrl, IEnumerable<InfoHash> hashes, CancellationToken cancellationToken = default)
        {
            var announce = TrackerUrl.Parse(announceUrl);
            if (announce.IsUdp) return await _udp.ScrapeAsync(announce, new List<InfoHash>(hashes ?? Array.Empty<InfoHash>()), cancellationToken);
            var url = announce.ToScrape() ?? throw new PeerException(PeerErrorIds.TrackerFailure,
                $"Tracker {announceUrl} has no scrape URL: by convention its path must end in /announce (it becomes /scrape).");
            var parameters = new StringBuilder();
            if (hashes != null)
                foreach (var h in hashes)
                {
                    if (parameters.Length > 0) parameters.Append('&');
                    parameters.Append("info_hash=").Append(UrlPath.EncodeBytes(h.ToArray()));
                }
            var body = await GetAsync(url, parameters.ToString(), cancellationToken);
            return TrackerResponseParser.ParseScrape(announceUrl, Decode(url, body));
        }

        /// <summary>The tracker's scrape URL by convention, or null when its announce path does not end in "announce".</summary>
        public static string GetScrapeUrl(string announceUrl)
        {
            var parsed = TrackerUrl.Parse(announceUrl);
            if (parsed.IsUdp) return parsed.Original;   // BEP 15 scrapes where it announces
            var url = parsed.ToScrape();
            return url == null ? null : "http://" + url.Authority + url.Target(null);
        }

        internal static string AnnounceParameters(AnnounceRequest r)
        {
            var sb = new StringBuilder(256);
            sb.Append("info_hash=").Append(UrlPath.EncodeBytes(r.InfoHash.ToArray()));
            sb.Append("&peer_id=").Append(UrlPath.EncodeBytes(r.PeerId));
            sb.Append("&port=").Append(r.Port.ToString(CultureInfo.InvariantCulture));
            sb.Append("&uploaded=").Append(Math.Max(0, r.Uploaded).ToString(CultureInfo.InvariantCulture));
            sb.Append("&downloaded=").Append(Math.Max(0, r.Downloaded).ToString(CultureInfo.InvariantCulture));
            sb.Append("&left=").Append(Math.Max(0, r.Left).ToString(CultureInfo.InvariantCulture));
            sb.Append("&compact=").Append(r.Compact ? '1' : '0');
            if (!r.Compact && r.NoPeerId) sb.Append("&no_peer_id=1");
            sb.Append("&numwant=").Append(Math.Max(0, r.NumWant).ToString(CultureInfo.InvariantCulture));
            switch (r.Event)
            {
                case AnnounceEvent.Started: sb.Append("&event=started"); break;
                case AnnounceEvent.Completed: sb.Append("&event=completed"); break;
                case AnnounceEvent.Stopped: sb.Append("&event=stopped"); break;
            }
            if (!string.IsNullOrEmpty(r.Key)) sb.Append("&key=").Append(UrlPath.EncodeBytes(Encoding.UTF8.GetBytes(r.Key)));
            if (!string.IsNullOrEmpty(r.IP)) sb.Append("&ip=").Append(UrlPath.EncodeBytes(Encoding.UTF8.GetBytes(r.IP)));
            return sb.ToString();
        }

        static BDictionary Decode(TrackerUrl url, byte[] body)
        {
            BValue value;
            try
            {
                value = Bencode.Decode(body, new BencodeLimits { MaxDepth = 16, MaxStringLength = MaxResponseBytes, MaxTotalBytes = MaxResponseBytes, MaxItems = 1 << 20 });
            }
            catch (BencodeException e)
            {
                throw TrackerResponseParser.Malformed(url.Original, "not bencode (" + e.Message + ")");
            }
            return value as BDictionary ?? throw TrackerResponseParser.Malformed(url.Original, "the answer is not a dictionary");
        }

        /// <summary>One GET; returns the body of the answer (whatever the status, when it is bencoded with a failure reason).</summary>
        async Task<byte[]> GetAsync(TrackerUrl url, string parameters, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (_runtime.Clock.Schedule(Timeout, () => { try { cts.Cancel(); } catch (ObjectDisposedException) { } }))
            {
                IConnection connection = null;
                try
                {
                    try
                    {
                        connection = await _runtime.Transport.ConnectAsync(url.Host, url.Port, cts.Token);
                    }
                    catch (PeerException e)
                    {
                        throw new PeerException(PeerErrorIds.TrackerUnreachable, $"Tracker {url} is unreachable: {e.Message}", e);
                    }
                    // Closing the connection on cancel unblocks a read on any transport, whether or not it honours tokens.
                    using (cts.Token.Register(connection.Dispose))
                        return await ExchangeAsync(url, connection.Stream, parameters, cts.Token);
                }
                catch (Exception e) when (!(e is PeerException))
                {
                    if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException($"Request to tracker {url} cancelled.", e, cancellationToken);
                    if (cts.IsCancellationRequested)
                        throw new PeerException(PeerErrorIds.TrackerUnreachable, $"Tracker {url} did not answer within {Timeout.TotalSeconds:0} s.", e);
                    if (e is IOException || e is ObjectDisposedException || e is HttpHeadException || e is OperationCanceledException)
                        throw new PeerException(PeerErrorIds.TrackerUnreachable, $"Tracker {url} dropped the connection: {e.Message}", e);
                    throw;
                }
                finally
                {
                    connection?.Dispose();
                }
            }
        }

        static async Task<byte[]> ExchangeAsync(TrackerUrl url, Stream stream, string parameters, CancellationToken token)
        {
            string request = "GET " + url.Target(parameters) + " HTTP/1.1\r\nHost: " + url.Authority + "\r\nUser-Agent: " + HttpResponseWriter.ServerName +
                             "\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n";
            var bytes = Encoding.ASCII.GetBytes(request);
            await stream.WriteAsync(bytes, 0, bytes.Length, token);
            await stream.FlushAsync(token);

            var reader = new HttpHeadReader(MaxHeadBytes);
            string text = await reader.ReadHeadAsync(stream, token);
            if (text == null) throw new IOException("the tracker closed the connection without answering");
            var head = HttpHead.ParseResponse(text, out var error);
            if (head == null) throw TrackerResponseParser.Malformed(url.Original, "a malformed HTTP response (" + error + ")");
            byte[] body = await HttpBodyReader.ReadAsync(reader, stream, head, MaxResponseBytes, url.Original, token);
            if (head.Status != 200 && !LooksBencodedFailure(body))
                throw new PeerException(PeerErrorIds.TrackerFailure, $"Tracker {url} answered {head.Status} {head.Reason}.");
            return body;
        }

        // Some trackers send their "failure reason" with a 4xx status; the reason is more useful than the status.
        static bool LooksBencodedFailure(byte[] body)
        {
            if (body.Length < 20 || body[0] != (byte)'d') return false;
            return Encoding.ASCII.GetString(body, 0, Math.Min(body.Length, 64)).IndexOf("failure reason", StringComparison.Ordinal) >= 0;
        }
    }
}
