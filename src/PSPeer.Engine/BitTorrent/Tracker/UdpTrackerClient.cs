using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// The client side of BEP 15 over the runtime's datagrams: connect for a connection id (kept one minute, as the
    /// BEP allows a client), then announce or scrape with it. A request unanswered after RetransmitBase * 2^n is sent
    /// again, n from 0 up to MaxRetransmits (15 s and 8 by default: 15 s, 30 s, ... 3,840 s); after the last wait the
    /// tracker is TrackerUnreachable. An error answer is TrackerFailure with the tracker's message. Cancelling throws
    /// OperationCanceledException and closes the socket.
    /// </summary>
    sealed class UdpTrackerClient
    {
        /// <summary>How long a client may use a connection id (BEP 15).</summary>
        static readonly TimeSpan ConnectionIdLifetime = TimeSpan.FromMinutes(1);

        readonly IPeerRuntime _runtime;

        public UdpTrackerClient(IPeerRuntime runtime) => _runtime = runtime;

        public TimeSpan RetransmitBase { get; set; } = TimeSpan.FromSeconds(15);
        public int MaxRetransmits { get; set; } = 8;

        public async Task<AnnounceResponse> AnnounceAsync(TrackerUrl url, AnnounceRequest r, CancellationToken cancellationToken)
        {
            using (var exchange = await OpenAsync(url, cancellationToken))
            {
                bool ipv6 = exchange.Tracker.AddressFamily == AddressFamily.InterNetworkV6 && !exchange.Tracker.Address.IsIPv4MappedToIPv6;
                var request = new UdpAnnounceRequest
                {
                    InfoHash = r.InfoHash, PeerId = r.PeerId, Downloaded = Math.Max(0, r.Downloaded), Left = Math.Max(0, r.Left),
                    Uploaded = Math.Max(0, r.Uploaded), Event = r.Event, NumWant = r.NumWant, Port = r.Port,
                    Key = KeyOf(r.Key), IPv4 = IPv4Of(r.IP),
                };
                var answer = await exchange.RequestAsync(UdpTrackerAction.Announce, (id, tid) =>
                {
                    request.ConnectionId = id;
                    request.TransactionId = tid;
                    return UdpTrackerCodec.Announce(request);
                }, cancellationToken);
                var parsed = UdpTrackerCodec.ParseAnnounceAnswer(new ArraySegment<byte>(answer), ipv6, out string failure);
                if (parsed == null) throw TrackerResponseParser.Malformed(url.Original, failure);
                var peers = new List<TrackerPeer>(parsed.Peers.Count);
                foreach (var p in parsed.Peers) peers.Add(new TrackerPeer(p, null));
                return new AnnounceResponse(TimeSpan.FromSeconds(Math.Max(0, parsed.IntervalSeconds)), null, parsed.Seeders, parsed.Leechers, peers);
            }
        }

        public async Task<IReadOnlyList<ScrapeEntry>> ScrapeAsync(TrackerUrl url, IReadOnlyList<InfoHash> hashes, CancellationToken cancellationToken)
        {
            if (hashes.Count == 0 || hashes.Count > UdpTrackerCodec.MaxScrapeHashes)
                throw new ArgumentException($"A UDP scrape asks for 1 to {UdpTrackerCodec.MaxScrapeHashes} torrents (BEP 15 has no scrape-all).", nameof(hashes));
            using (var exchange = await OpenAsync(url, cancellationToken))
            {
                var answer = await exchange.RequestAsync(UdpTrackerAction.Scrape, (id, tid) => UdpTrackerCodec.Scrape(id, tid, hashes), cancellationToken);
                var entries = UdpTrackerCodec.ParseScrapeAnswer(new ArraySegment<byte>(answer), hashes, out string failure);
                if (entries == null) throw TrackerResponseParser.Malformed(url.Original, failure);
                return entries;
            }
        }

        async Task<Exchange> OpenAsync(TrackerUrl url, CancellationToken cancellationToken)
        {
            IPEndPoint tracker;
            try
            {
                tracker = await _runtime.Datagrams.ResolveAsync(url.Host, url.Port, cancellationToken);
            }
            catch (PeerException e)
            {
                throw new PeerException(PeerErrorIds.TrackerUnreachable, $"Tracker {url} is unreachable: {e.Message}", e);
            }
            return new Exchange(this, url, tracker);
        }

        static uint KeyOf(string key)
        {
            if (string.IsNullOrEmpty(key)) return 0;
            uint h = 2166136261;
            foreach (char c in key) { h ^= c; h *= 16777619; }
            return h;
        }

        static uint IPv4Of(string ip)
        {
            if (string.IsNullOrEmpty(ip) || !IPAddress.TryParse(ip, out var a) || a.AddressFamily != AddressFamily.InterNetwork) return 0;
            var b = a.GetAddressBytes();
            return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        }

        /// <summary>One socket talking to one tracker: the pending request and the answer that matches its transaction id.</summary>
        sealed class Exchange : IDisposable
        {
            readonly UdpTrackerClient _client;
            readonly TrackerUrl _url;
            readonly IDatagramSocket _socket;
            readonly object _gate = new object();
            int _waitingFor;
            TaskCompletionSource<byte[]> _answer;
            long _connectionId;
            DateTimeOffset _connectedAt;
            bool _connected;
            int _attempt;

            public Exchange(UdpTrackerClient client, TrackerUrl url, IPEndPoint tracker)
            {
                _client = client;
                _url = url;
                Tracker = tracker;
                _socket = client._runtime.Datagrams.Bind(0, OnDatagram);
            }

            public IPEndPoint Tracker { get; }
            IPeerRuntime Runtime => _client._runtime;

            void OnDatagram(IDatagramSocket socket, IPEndPoint from, ArraySegment<byte> payload)
            {
                // Only the tracker's own address and port, only the transaction we wait for: anything else is noise or spoofing.
                if (!from.Port.Equals(Tracker.Port) || !SameAddress(from.Address, Tracker.Address)) return;
                if (!UdpTrackerCodec.TryReadAnswerHeader(payload, out _, out int tid)) return;
                TaskCompletionSource<byte[]> answer;
                lock (_gate)
                {
                    if (_answer == null || tid != _waitingFor) return;
                    answer = _answer;
                    _answer = null;
                }
                var copy = new byte[payload.Count];
                Buffer.BlockCopy(payload.Array, payload.Offset, copy, 0, payload.Count);
                answer.TrySetResult(copy);
            }

            static bool SameAddress(IPAddress a, IPAddress b) =>
                (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);

            /// <summary>Connects when the connection id is missing or older than a minute, then sends the request until answered.</summary>
            public async Task<byte[]> RequestAsync(UdpTrackerAction action, Func<long, int, byte[]> encode, CancellationToken cancellationToken)
            {
                while (true)
                {
                    if (!_connected || Runtime.Clock.Now - _connectedAt >= ConnectionIdLifetime)
                    {
                        var connect = await SendAndWaitAsync(tid => UdpTrackerCodec.Connect(tid), cancellationToken);
                        if (connect == null) continue;
                        UdpTrackerCodec.TryReadAnswerHeader(new ArraySegment<byte>(connect), out int connectAction, out _);
                        if (connectAction == (int)UdpTrackerAction.Error) throw Failure(connect);
                        if (connectAction != (int)UdpTrackerAction.Connect || !UdpTrackerCodec.TryParseConnectAnswer(new ArraySegment<byte>(connect), out _connectionId))
                            throw TrackerResponseParser.Malformed(_url.Original, "the answer to connect is not a connect answer");
                        _connected = true;
                        _connectedAt = Runtime.Clock.Now;
                    }
                    long id = _connectionId;
                    var answer = await SendAndWaitAsync(tid => encode(id, tid), cancellationToken);
                    if (answer == null) continue;
                    UdpTrackerCodec.TryReadAnswerHeader(new ArraySegment<byte>(answer), out int answerAction, out _);
                    if (answerAction == (int)UdpTrackerAction.Error) throw Failure(answer);
                    if (answerAction != (int)action) throw TrackerResponseParser.Malformed(_url.Original, $"expected a {action} answer, got action {answerAction}");
                    return answer;
                }
            }

            /// <summary>One send and its wait of RetransmitBase * 2^n; null on timeout (n then grows), or throws when n is spent.</summary>
            async Task<byte[]> SendAndWaitAsync(Func<int, byte[]> encode, CancellationToken cancellationToken)
            {
                if (_attempt > _client.MaxRetransmits)
                    throw new PeerException(PeerErrorIds.TrackerUnreachable,
                        $"Tracker {_url} did not answer over UDP ({_client.MaxRetransmits + 1} tries, the last waiting {Wait(_client.MaxRetransmits).TotalSeconds:0} s).");
                var tcs = new TaskCompletionSource<byte[]>(Runtime.IsSimulated ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
                var tidBytes = new byte[4];
                Runtime.Random.NextBytes(tidBytes);
                int tid = BitConverter.ToInt32(tidBytes, 0);
                lock (_gate)
                {
                    _waitingFor = tid;
                    _answer = tcs;
                }
                var bytes = encode(tid);
                _socket.Send(bytes, 0, bytes.Length, Tracker);
                using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var delay = Runtime.Clock.Delay(Wait(_attempt), timer.Token);
                    var first = await Task.WhenAny(tcs.Task, delay);
                    timer.Cancel();
                    cancellationToken.ThrowIfCancellationRequested();
                    if (first == tcs.Task) return tcs.Task.Result;
                }
                lock (_gate) _answer = null;
                _attempt++;
                return null;
            }

            TimeSpan Wait(int n) => TimeSpan.FromTicks(_client.RetransmitBase.Ticks << Math.Min(n, 8));

            PeerException Failure(byte[] answer) =>
                new PeerException(PeerErrorIds.TrackerFailure, $"Tracker {_url} refused: {UdpTrackerCodec.ParseErrorMessage(new ArraySegment<byte>(answer))}");

            public void Dispose() => _socket.Dispose();
        }
    }
}
