using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Napster
{
    /// <summary>
    /// A Napster peer: logs in to an index server, shares its folder (served over HTTP on <c>port</c>), searches
    /// through the server and downloads from other peers over HTTP.
    /// </summary>
    /// <remarks>
    /// If the server connection drops, the peer reports ConnectionClosed and reconnects with exponential backoff
    /// (1 s doubling to 30 s, with jitter from the runtime's random source), logging in and sharing again, until stopped.
    /// </remarks>
    public sealed class NapsterPeer : PeerNodeBase, ISearchNode, ISharingNode
    {
        /// <summary>Error id when the server refuses the login (the nick is taken).</summary>
        public const string LoginRejectedErrorId = "NapsterLoginRejected";
        public const string ClientInfo = "PSPeer 0.1";
        static readonly TimeSpan LoginTimeout = TimeSpan.FromSeconds(10);
        static readonly TimeSpan LogoutTimeout = TimeSpan.FromSeconds(2);
        static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
        static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

        readonly int _port;
        readonly object _gate = new object();
        HttpFileServer _http;
        int _dataPort;
        NapsterClientConnection _session;
        // Completed while a session is current; replaced by a fresh one when the session is lost, so searches made
        // during a reconnect can wait for the next session instead of failing at once.
        TaskCompletionSource<bool> _sessionReady = new TaskCompletionSource<bool>();
        Task _supervisor;

        /// <param name="sharedPath">Folder to share, or null to share nothing.</param>
        /// <param name="port">Port of this peer's HTTP file server (0 = any free port).</param>
        public NapsterPeer(IPeerRuntime runtime, string name, HostPort indexServer, string sharedPath, int port)
            : base(runtime, name, "Napster", "Peer")
        {
            IndexServer = indexServer ?? throw new ArgumentNullException(nameof(indexServer), "A Napster peer needs the index server's host:port.");
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is 0 to 65535.");
            if (name.IndexOf(' ') >= 0 || name.IndexOf('"') >= 0 || name.Length > NapsterLogin.MaxNickLength)
                throw new ArgumentException($"A Napster nick has no spaces or quotes and at most {NapsterLogin.MaxNickLength} characters: '{name}'.", nameof(name));
            _port = port;
            Shared = new SharedFolder(runtime, sharedPath);
        }

        public HostPort IndexServer { get; }
        public SharedFolder Shared { get; }
        public override int SharedFileCount => Shared.Files.Count;
        /// <summary>Whether the peer is logged in to the index server right now (false while reconnecting).</summary>
        public bool IsConnected { get { lock (_gate) return _session != null; } }

        protected override async Task OnStartAsync(CancellationToken cancellationToken)
        {
            if (Shared.Root != null) await Shared.ScanAsync(cancellationToken);
            _http = new HttpFileServer(Runtime, Shared, (type, remote, message) => Emit(type, remote, message)) { Limits = Limits };
            await _http.StartAsync(_port, cancellationToken);
            EndPoint = _http.EndPoint;
            _dataPort = HostPort.TryParse(EndPoint, out var ep) ? ep.Port : _port;

            var session = await ConnectAsync(cancellationToken);
            EmitShared(Shared.Files);
            if (!BecomeCurrent(session)) { session.Dispose(); throw new OperationCanceledException("the node was stopped while it started"); }
            await CatchUpAsync(session, cancellationToken);
            _supervisor = SuperviseAsync(session);
        }

        protected override async Task OnStopAsync()
        {
            NapsterClientConnection session;
            lock (_gate) { session = _session; _session = null; }
            if (session != null)
            {
                // Say goodbye so the server tells a departure from a crash; a dead connection just fails this. A server
                // that stopped reading would hold the goodbye (or a share before it) forever: closing the connection
                // after LogoutTimeout ends that write, so stopping always finishes.
                using (Runtime.Clock.Schedule(LogoutTimeout, session.Dispose))
                {
                    try { await session.LogoutAsync(CancellationToken.None); } catch (Exception) { }
                }
                session.Dispose();
            }
            if (_supervisor != null) await _supervisor;
            if (_http != null) await _http.StopAsync();
        }

        /// <summary>Connects, logs in and shares every file; the caller owns the returned session.</summary>
        async Task<NapsterClientConnection> ConnectAsync(CancellationToken cancellationToken)
        {
            IConnection connection;
            try
            {
                connection = await Runtime.Transport.ConnectAsync(IndexServer.Host, IndexServer.Port, cancellationToken);
            }
            catch (PeerException e) when (e.ErrorId == PeerErrorIds.Unreachable)
            {
                string why = e.InnerException?.Message ?? e.Message;
                throw new PeerException(PeerErrorIds.IndexServerUnreachable,
                    $"Cannot reach the Napster index server at {IndexServer}: {why.TrimEnd('.')}. " +
                    "Start one with Start-PeerNode -Protocol Napster -Role IndexServer, or check -IndexServer.", e);
            }
            var session = new NapsterClientConnection(this, connection);
            try
            {
                Emit(PeerEventTypes.Connected, IndexServer.ToString(), "connected to the index server");
                await session.LoginAsync(new NapsterLogin(Name, "pspeer", _dataPort, ClientInfo, 0), LoginTimeout, cancellationToken);
                Emit(PeerEventTypes.LoggedIn, IndexServer.ToString(), $"logged in as {Name}", D("Nick", Name), D("DataPort", _dataPort));
                await session.ShareAsync(Shared.Files, cancellationToken);
                return session;
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }

        /// <summary>Runs the session's read loop; when it ends unasked, reconnects with backoff until the node stops.</summary>
        async Task SuperviseAsync(NapsterClientConnection session)
        {
            while (true)
            {
                string reason = await session.RunAsync();
                lock (_gate)
                {
                    if (ReferenceEquals(_session, session)) _session = null;
                    if (_session == null && _sessionReady.Task.IsCompleted) _sessionReady = new TaskCompletionSource<bool>();
                }
                Emit(PeerEventTypes.ConnectionClosed, IndexServer.ToString(), reason, D("Reason", reason));
                if (Stopping.IsCancellationRequested) return;

                TimeSpan delay = FirstRetry;
                while (true)
                {
                    // Jitter spreads the reconnects of many peers after a server restart.
                    var wait = TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + Runtime.Random.NextDouble())));
                    try { await Runtime.Clock.Delay(wait, Stopping); }
                    catch (OperationCanceledException) { return; }
                    try
                    {
                        session = await ConnectAsync(Stopping);
                        break;
                    }
                    catch (Exception) when (Stopping.IsCancellationRequested) { return; }
                    catch (Exception)
                    {
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
                    }
                }
                if (!BecomeCurrent(session)) { session.Dispose(); return; }
                try { await CatchUpAsync(session, Stopping); } catch (Exception) { /* the session's read loop reports the failure */ }
            }
        }

        /// <summary>Makes <paramref name="session"/> current unless the node is stopping (checked under the lock that
        /// OnStopAsync takes, so a stop never misses a session); false when stopping.</summary>
        bool BecomeCurrent(NapsterClientConnection session)
        {
            TaskCompletionSource<bool> ready;
            lock (_gate)
            {
                if (Stopping.IsCancellationRequested) return false;
                _session = session;
                ready = _sessionReady;
            }
            ready.TrySetResult(true);   // outside the lock: waiting searches continue from here
            return true;
        }

        /// <summary>The current session, or the next one if it comes within <paramref name="wait"/>; null if none.</summary>
        async Task<NapsterClientConnection> CurrentOrNextSessionAsync(TimeSpan wait, CancellationToken cancellationToken)
        {
            Task ready;
            lock (_gate)
            {
                if (_session != null) return _session;
                ready = _sessionReady.Task;
            }
            if (wait <= TimeSpan.Zero) return null;
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stopping))
            {
                var delay = Runtime.Clock.Delay(wait, stop.Token);
                await Task.WhenAny(ready, delay);
                stop.Cancel();
            }
            lock (_gate) return _session;
        }

        /// <summary>
        /// Files published between the login's whole-folder share and the session becoming current saw no session
        /// to tell; sharing the folder once more sends just those (the session skips what it already shared).
        /// </summary>
        Task CatchUpAsync(NapsterClientConnection session, CancellationToken cancellationToken) =>
            session.ShareAsync(Shared.Files, cancellationToken);

        public async Task SearchAsync(string query, SearchOptions options, Action<SearchHit> onHit, CancellationToken cancellationToken = default)
        {
            options = options ?? new SearchOptions();
            if (State != NodeState.Running)
                throw new PeerException(PeerErrorIds.NodeNotRunning, $"Napster peer '{Name}' is not running: start it before searching through it.");
            // While the peer reconnects, the search waits (within its timeout) for the index server to be back.
            var asked = Runtime.Clock.Now;
            var session = await CurrentOrNextSessionAsync(options.Timeout, cancellationToken);
            if (cancellationToken.IsCancellationRequested) return;
            if (session == null)
                throw new PeerException(PeerErrorIds.IndexServerUnreachable,
                    $"Napster peer '{Name}' has lost its index server at {IndexServer} and did not get it back within {options.Timeout.TotalSeconds:0.#} s: try again shortly.");
            var remaining = options.Timeout - (Runtime.Clock.Now - asked);

            int max = Math.Max(1, Math.Min(options.MaxResults, NapsterIndexServer.MaxResultsCap));
            var pending = new PendingSearch(query ?? "", max, Runtime.Clock.Now, onHit);
            if (cancellationToken.IsCancellationRequested) return;
            try
            {
                await session.SendSearchAsync(pending, new NapsterSearchRequest(query ?? "", max), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;   // cancelling ends a search quietly, as ISearchNode promises
            }
            catch (Exception e) when (e is System.IO.IOException || e is ObjectDisposedException)
            {
                // The write closed the broken session; the supervisor is already reconnecting.
                throw new PeerException(PeerErrorIds.IndexServerUnreachable,
                    $"Napster peer '{Name}' lost its index server at {IndexServer} while sending the search: try again shortly.", e);
            }
            IDisposable timer = options.Timeout > TimeSpan.Zero ? Runtime.Clock.Schedule(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, pending.Finish) : null;
            using (timer)
            using (cancellationToken.Register(pending.Finish))
            {
                await pending.Completion;
            }
        }

        /// <summary>Called by the session's read loop for each result of <paramref name="search"/>.</summary>
        internal void DeliverHit(PendingSearch search, NapsterSearchResult result)
        {
            var now = Runtime.Clock.Now;
            string source = result.DataPort > 0 ? new HostPort(result.Ip, result.DataPort).ToString() : result.Ip;
            var hit = new SearchHit(result.Name, result.Size, result.Hash, source, result.FileIndex, result.Nick, 1, now - search.SentAt);
            if (search.Deliver(hit))
                Emit(PeerEventTypes.SearchHit, source, result.Name, D("Query", search.Query), D("Name", result.Name), D("Size", result.Size),
                    D("ContentHash", result.Hash.ToString()), D("PeerName", result.Nick));
        }

        /// <summary>One FileShared event per file; skipped whole when nobody watches (a folder may hold 100,000 files).</summary>
        void EmitShared(IReadOnlyList<SharedFile> files)
        {
            if (!HasEventObservers) return;
            string server = IndexServer.ToString();
            foreach (var f in files)
                Emit(PeerEventTypes.FileShared, server, f.Name, D("Name", f.Name), D("Size", f.Size), D("ContentHash", f.ContentHash.ToString()));
        }

        internal void RaiseMalformed(string remote, string reason) => Emit(PeerEventTypes.MalformedMessage, remote, reason, D("Reason", reason));

        public async Task<IReadOnlyList<SharedFile>> PublishAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default)
        {
            var added = await Shared.AddAsync(paths, cancellationToken);
            if (added.Count == 0) return added;
            NapsterClientConnection session;
            lock (_gate) session = _session;
            // While reconnecting there is no session: the next login shares the whole folder, these files included.
            if (session != null) await session.ShareAsync(added, cancellationToken);
            EmitShared(added);
            return added;
        }

        /// <summary>Stops sharing a file and tells the index server; false when the file was not shared.</summary>
        public async Task<bool> UnpublishAsync(SharedFile file, CancellationToken cancellationToken = default)
        {
            if (!Shared.Remove(file)) return false;
            NapsterClientConnection session;
            lock (_gate) session = _session;
            if (session != null) await session.UnshareAsync(file, cancellationToken);
            Emit(PeerEventTypes.FileUnshared, IndexServer.ToString(), file.Name, D("Name", file.Name));
            return true;
        }

        public Task<DownloadResult> DownloadAsync(SearchHit hit, string destinationDirectory, IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default) =>
            DownloadAsync(hit, destinationDirectory, false, progress, cancellationToken);

        public Task<DownloadResult> DownloadAsync(SearchHit hit, string destinationDirectory, bool replaceExisting, IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default) =>
            SearchHitDownload.RunAsync(Runtime, hit, destinationDirectory, replaceExisting, progress, Emit, cancellationToken);
    }
}
