using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;
using static PSPeer.Engine.Content.HttpResponseWriter;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// An open HTTP tracker: GET /announce (BEP 3; compact peers BEP 23, IPv6 in peers6 BEP 7) and GET /scrape.
    /// Any info-hash is accepted, within <see cref="TrackerOptions.MaxSwarms"/>, <see cref="TrackerOptions.MaxPeersPerSwarm"/>,
    /// <see cref="TrackerOptions.MaxPeers"/> and the per-address quotas (see <see cref="TrackerState"/> for who is evicted
    /// when full). Peers are listed at the address they announce from ("ip" only with
    /// <see cref="TrackerOptions.AllowClientAddress"/>). Peers not heard from within <see cref="TrackerOptions.PeerExpiry"/>
    /// are dropped, by the runtime's clock (virtual time in a simulation).
    /// </summary>
    /// <remarks>
    /// Bad parameters get HTTP 200 with a bencoded "failure reason", as trackers answer and clients expect; the
    /// connection stays usable. Bad HTTP (a head over <see cref="MaxHeadBytes"/>, a malformed request line) gets 431/400,
    /// a MalformedMessage event, and closes that connection only.
    /// </remarks>
    public sealed partial class BitTorrentTracker : PeerNodeBase
    {
        /// <summary>Bound on a request line plus its header fields (a scrape of ~100 hashes fits).</summary>
        public const int MaxHeadBytes = 8 * 1024;
        const string AnnouncePath = "/announce";
        const string ScrapePath = "/scrape";

        readonly int _port;
        readonly TrackerOptions _options;
        readonly TrackerState _state;
        readonly object _connectionsGate = new object();
        readonly Dictionary<IConnection, Task> _connections = new Dictionary<IConnection, Task>();
        IListener _listener;
        Task _acceptLoop;
        Task _expiryLoop;

        public BitTorrentTracker(IPeerRuntime runtime, string name, int port, TrackerOptions options = null)
            : base(runtime, name, "BitTorrent", "Tracker")
        {
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is 0 to 65535.");
            _port = port;
            _options = options ?? new TrackerOptions();
            _options.Validate();
            _state = new TrackerState(_options, runtime.Random);
        }

        public TrackerOptions Options => _options;
        /// <summary>"http://host:port/announce" once started.</summary>
        public string AnnounceUrl => EndPoint == null ? null : "http://" + EndPoint + AnnouncePath;
        /// <summary>"http://host:port/scrape" once started.</summary>
        public string ScrapeUrl => EndPoint == null ? null : "http://" + EndPoint + ScrapePath;
        /// <summary>Torrents with at least one live peer.</summary>
        public int SwarmCount => _state.SwarmCount;
        /// <summary>Peers across all swarms.</summary>
        public int PeerCount => _state.PeerCount;
        /// <summary>Source addresses holding peers or torrents (what per-address quotas are counted on).</summary>
        public int AddressCount => _state.AddressCount;
        /// <summary>Peers and torrents dropped to make room for others since the start.</summary>
        public long EvictedCount => _state.Evicted;
        /// <summary>Open HTTP connections.</summary>
        public int ConnectionCount { get { lock (_connectionsGate) return _connections.Count; } }

        /// <summary>Current counts of one torrent, or null when the tracker knows no live peer of it.</summary>
        public ScrapeEntry GetSwarm(InfoHash infoHash)
        {
            var found = _state.Scrape(new[] { infoHash }, Runtime.Clock.Now);
            return found.Count == 0 ? null : found[0];
        }

        /// <summary>Every torrent the tracker knows now, with its counts (up to MaxScrapeAll).</summary>
        public IReadOnlyList<ScrapeEntry> GetSwarms() => _state.Scrape(Array.Empty<InfoHash>(), Runtime.Clock.Now);

        protected override async Task OnStartAsync(CancellationToken cancellationToken)
        {
            // PortInUse from the transport passes through unchanged: it already says what to do.
            _listener = await Runtime.Transport.ListenAsync(_port, cancellationToken);
            EndPoint = _listener.EndPoint;
            if (_options.ServeUdp) await StartUdpAsync(cancellationToken);
            _acceptLoop = CreateAdmissionGate(() => Error(503, Now, false, "too many connections; try again later", false, H("Retry-After", "30")))
                .RunAsync(_listener, OnAccepted, Stopping);
            _expiryLoop = ExpiryLoopAsync();
        }

        protected override async Task OnStopAsync()
        {
            _listener?.Dispose();
            StopUdp();
            if (_acceptLoop != null) await _acceptLoop;
            if (_expiryLoop != null) await _expiryLoop;
            var open = new List<KeyValuePair<IConnection, Task>>();
            lock (_connectionsGate) open.AddRange(_connections);
            foreach (var c in open) c.Key.Dispose();
            foreach (var c in open) await c.Value;
        }

        // Announces and scrapes expire lazily the swarm they touch; this sweep frees swarms nobody asks about any more.
        async Task ExpiryLoopAsync()
        {
            var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, Math.Min(_options.PeerExpiry.Ticks / 4, TimeSpan.FromMinutes(1).Ticks)));
            while (!Stopping.IsCancellationRequested)
            {
                try { await Runtime.Clock.Delay(period, Stopping); }
                catch (OperationCanceledException) { return; }
                _state.ExpireAll(Runtime.Clock.Now);
            }
        }

        // Called by the admission gate for each connection it lets in.
        void OnAccepted(IConnection connection)
        {
            var done = new TaskCompletionSource<bool>();
            lock (_connectionsGate)
            {
                if (Stopping.IsCancellationRequested) { connection.Dispose(); return; }
                _connections.Add(connection, done.Task);
            }
            _ = ServeAndForgetAsync(connection, done);
        }

        async Task ServeAndForgetAsync(IConnection connection, TaskCompletionSource<bool> done)
        {
            try { await ServeConnectionAsync(connection); }
            catch (Exception) { /* one connection's failure (a reset, a timeout) never takes the tracker down */ }
            finally
            {
                connection.Dispose();
                lock (_connectionsGate) _connections.Remove(connection);
                done.TrySetResult(true);
            }
        }

        async Task ServeConnectionAsync(IConnection connection)
        {
            string remote = connection.RemoteEndPoint;
            string remoteHost = HostPort.TryParse(remote, out var remoteEndPoint) ? remoteEndPoint.Host : remote;
            var stream = connection.Stream;
            var reader = new HttpHeadReader(MaxHeadBytes);
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Stopping))
            {
                var token = cts.Token;
                while (!token.IsCancellationRequested)
                {
                    string headText;
                    try
                    {
                        using (ArmTimeout(cts)) headText = await reader.ReadHeadAsync(stream, token);
                    }
                    catch (HttpHeadException e)
                    {
                        Emit(PeerEventTypes.MalformedMessage, remote, e.Message, D("Reason", e.Message));
                        if (e.TooLarge) await SendAsync(stream, Error(431, Now, false, e.Message, false), cts);
                        return;
                    }
                    if (headText == null) return;   // the client closed between requests
                    connection.MarkEstablished();   // a whole request head arrived: past the admission deadline

                    var head = HttpHead.ParseRequest(headText, out var parseError);
                    if (head == null)
                    {
                        Emit(PeerEventTypes.MalformedMessage, remote, parseError, D("Reason", parseError));
                        await SendAsync(stream, Error(400, Now, false, parseError, false), cts);
                        return;
                    }
                    if (head.Method != "GET")
                    {
                        // We read no request bodies, so the connection cannot be reused after one.
                        await SendAsync(stream, Error(405, Now, false, "a tracker answers GET only", head.Method == "HEAD", H("Allow", "GET")), cts);
                        return;
                    }
                    if (head["Transfer-Encoding"] != null || (head["Content-Length"] ?? "0").Trim() != "0")
                    {
                        Emit(PeerEventTypes.MalformedMessage, remote, "a GET request must not carry a body", D("Reason", "body on GET"));
                        await SendAsync(stream, Error(400, Now, false, "a GET request must not carry a body", false), cts);
                        return;
                    }

                    bool keepAlive = head.KeepAlive;
                    string target = head.Target;
                    int q = target.IndexOf('?');
                    string path = q < 0 ? target : target.Substring(0, q);
                    string queryText = q < 0 ? null : target.Substring(q + 1);
                    byte[] body;
                    if (path == AnnouncePath) body = HandleAnnounce(queryText, remote, remoteHost);
                    else if (path == ScrapePath) body = HandleScrape(queryText);
                    else
                    {
                        await SendAsync(stream, Error(404, Now, keepAlive, "this tracker serves /announce and /scrape", false), cts);
                        if (!keepAlive) return;
                        continue;
                    }
                    await SendAsync(stream, Combine(Head(200, Now, keepAlive, new[]
                    {
                        H("Content-Type", "text/plain"),
                        H("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)),
                        H("Cache-Control", "no-cache"),
                    }), body), cts);
                    if (!keepAlive) return;
                }
            }
        }

        byte[] HandleAnnounce(string queryText, string remote, string remoteHost)
        {
            var query = TrackerQuery.Parse(queryText, out var queryError);
            AnnounceRequest request = null;
            string failure = queryError;
            if (query != null) request = AnnounceParser.Parse(query, remoteHost, _options, out failure);
            if (request == null)
            {
                if (HasEventObservers) Emit(PeerEventTypes.TrackerAnnounce, remote, "refused: " + failure, D("Failure", failure));
                return TrackerResponses.Failure(failure);
            }
            var outcome = _state.Announce(request, Now);
            if (HasEventObservers) EmitAnnounce(remote, request, outcome, udp: false);
            return outcome.Body;
        }

        /// <summary>
        /// The TrackerAnnounce event of one announce, over HTTP or (<paramref name="udp"/>) BEP 15, and the PeerEvicted
        /// event when it made room by evicting: the same events whichever transport the announce came over.
        /// </summary>
        void EmitAnnounce(string remote, AnnounceRequest request, AnnounceOutcome outcome, bool udp)
        {
            EmitTrackerAnnounce(remote, request, outcome, udp);
            if (outcome.EvictedFrom != null)
                Emit(PeerEventTypes.PeerEvicted, remote, $"made room for {request.InfoHash} from {request.Source} by evicting from {outcome.EvictedFrom}",
                    D("Action", "Evicted"), D("Address", outcome.EvictedFrom), D("InfoHash", request.InfoHash.Hex),
                    D("Reason", "the tracker or torrent is full and that address holds the most"));
        }

        void EmitTrackerAnnounce(string remote, AnnounceRequest request, AnnounceOutcome outcome, bool udp)
        {
            string peer = new HostPort(request.IP, request.Port).ToString();
            string ev = request.Event.ToString().ToLowerInvariant();
            string over = udp ? "udp " : "";
            string message = outcome.Failure != null
                ? $"refused {over}{ev} for {request.InfoHash} from {peer}: {outcome.Failure}"
                : $"{over}{ev} {request.InfoHash} from {peer}, left {request.Left}: {outcome.Complete} seeders, {outcome.Incomplete} leechers, {outcome.PeersReturned} peers given";
            Emit(PeerEventTypes.TrackerAnnounce, remote, message,
                D("InfoHash", request.InfoHash.Hex), D("Event", ev), D("Peer", peer), D("Left", request.Left),
                D("Complete", outcome.Complete), D("Incomplete", outcome.Incomplete), D("PeersReturned", outcome.PeersReturned),
                D("Failure", outcome.Failure), udp ? D("Transport", "udp") : D("EvictedFrom", outcome.EvictedFrom));
        }

        byte[] HandleScrape(string queryText)
        {
            var query = TrackerQuery.Parse(queryText, out var queryError);
            if (query == null) return TrackerResponses.Failure(queryError);
            var hashes = new List<InfoHash>();
            foreach (var value in query.All("info_hash"))
            {
                if (value.Length != 20) return TrackerResponses.Failure($"info_hash must be 20 bytes (got {value.Length})");
                hashes.Add(new InfoHash(value));
            }
            return TrackerResponses.Scrape(_state.Scrape(hashes, Now));
        }

        static byte[] Combine(byte[] head, byte[] body)
        {
            var all = new byte[head.Length + body.Length];
            Buffer.BlockCopy(head, 0, all, 0, head.Length);
            Buffer.BlockCopy(body, 0, all, head.Length, body.Length);
            return all;
        }

        async Task SendAsync(Stream stream, byte[] bytes, CancellationTokenSource cts)
        {
            using (ArmTimeout(cts))
            {
                await stream.WriteAsync(bytes, 0, bytes.Length, cts.Token);
                await stream.FlushAsync(cts.Token);
            }
        }

        // Cancels the connection's token if the wrapped wait outlasts IdleTimeout (a silent or stalled client).
        IDisposable ArmTimeout(CancellationTokenSource cts) =>
            Runtime.Clock.Schedule(_options.IdleTimeout, () => { try { cts.Cancel(); } catch (ObjectDisposedException) { } });

        DateTimeOffset Now => Runtime.Clock.Now;
    }
}
