using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;

namespace PSPeer.Engine.Napster
{
    /// <summary>The central index: peers log in, share file lists, search; files leave the index with their peer.</summary>
    /// <remarks>
    /// One read loop per connection (<see cref="NapsterServerConnection"/>). Shared state is the keyword index and the
    /// table of logged-in peers, behind one reader-writer lock: searches from many connections read in parallel,
    /// logins, shares and departures write. In a simulation everything runs on one thread and the lock is uncontended.
    /// </remarks>
    public sealed class NapsterIndexServer : PeerNodeBase
    {
        /// <summary>Most results one search returns, whatever MAX_RESULTS asks.</summary>
        public const int MaxResultsCap = 1000;
        /// <summary>Most files one peer may share: a bound on what one hostile peer can make the server hold.</summary>
        public const int MaxFilesPerPeer = 100_000;
        /// <summary>Longest file name (UTF-8 bytes) the index accepts; longer shares are answered with a server message.</summary>
        public const int MaxNameBytes = 1024;

        readonly int _port;
        readonly KeywordIndex _index = new KeywordIndex();
        readonly ReaderWriterLockSlim _lock = new ReaderWriterLockSlim(LockRecursionPolicy.NoRecursion);
        readonly Dictionary<string, NapsterServerConnection> _byNick = new Dictionary<string, NapsterServerConnection>(StringComparer.OrdinalIgnoreCase);
        readonly Dictionary<int, NapsterServerConnection> _byPeerId = new Dictionary<int, NapsterServerConnection>();
        readonly object _connectionsGate = new object();
        // Each open connection and its read loop's task (null until the loop has been started).
        readonly Dictionary<NapsterServerConnection, Task> _connections = new Dictionary<NapsterServerConnection, Task>();
        IListener _listener;
        AdmissionGate _admission;
        Task _acceptLoop;
        int _nextPeerId;
        long _searches;

        public NapsterIndexServer(IPeerRuntime runtime, string name, int port) : base(runtime, name, "Napster", "IndexServer")
        {
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port is 0 to 65535.");
            _port = port;
        }

        public int LoggedInPeerCount { get { _lock.EnterReadLock(); try { return _byNick.Count; } finally { _lock.ExitReadLock(); } } }
        public int IndexedFileCount { get { _lock.EnterReadLock(); try { return _index.Count; } finally { _lock.ExitReadLock(); } } }
        public override int SharedFileCount => IndexedFileCount;
        /// <summary>Searches answered since the server started (each SEARCH a peer sent, hits or none).</summary>
        public long SearchCount => Interlocked.Read(ref _searches);
        /// <summary>Open connections, logged in or not.</summary>
        public int ConnectionCount { get { lock (_connectionsGate) return _connections.Count; } }

        protected override async Task OnStartAsync(CancellationToken cancellationToken)
        {
            // PortInUse from the transport passes through unchanged: it already says what to do.
            _listener = await Runtime.Transport.ListenAsync(_port, cancellationToken);
            EndPoint = _listener.EndPoint;
            _admission = CreateAdmissionGate();
            _acceptLoop = _admission.RunAsync(_listener, OnAccepted, Stopping);
        }

        protected override async Task OnStopAsync()
        {
            _listener?.Dispose();
            if (_acceptLoop != null) await _acceptLoop;
            var open = new List<KeyValuePair<NapsterServerConnection, Task>>();
            lock (_connectionsGate) open.AddRange(_connections);
            foreach (var c in open) c.Key.Abort();
            // The loops never throw: each ends by reporting why its connection closed.
            foreach (var c in open) if (c.Value != null) await c.Value;
        }

        void OnAccepted(IConnection connection)
        {
            var session = new NapsterServerConnection(this, connection);
            lock (_connectionsGate)
            {
                if (Stopping.IsCancellationRequested) { connection.Dispose(); return; }
                _connections.Add(session, null);
            }
            Raise(PeerEventTypes.Connected, session.Remote, "peer connected");
            var task = session.RunAsync();
            lock (_connectionsGate)
            {
                if (_connections.ContainsKey(session)) _connections[session] = task;
            }
        }

        internal void Forget(NapsterServerConnection session)
        {
            lock (_connectionsGate) _connections.Remove(session);
        }

        /// <summary>Registers the nick; false when another connection holds it.</summary>
        internal bool TryLogin(NapsterServerConnection session, string nick, out int peerId)
        {
            _lock.EnterWriteLock();
            try
            {
                peerId = -1;
                if (_byNick.ContainsKey(nick)) return false;
                peerId = _nextPeerId++;
                _byNick.Add(nick, session);
                _byPeerId.Add(peerId, session);
                return true;
            }
            finally { _lock.ExitWriteLock(); }
        }

        /// <summary>Removes the peer and every file it shared; returns how many files left the index.</summary>
        internal int Logout(NapsterServerConnection session)
        {
            _lock.EnterWriteLock();
            try
            {
                if (!_byPeerId.TryGetValue(session.PeerId, out var current) || !ReferenceEquals(current, session)) return 0;
                _byPeerId.Remove(session.PeerId);
                _byNick.Remove(session.Nick);
                return _index.RemovePeer(session.PeerId);
            }
            finally { _lock.ExitWriteLock(); }
        }

        /// <summary>Indexes a file; false when the peer reached <see cref="MaxFilesPerPeer"/>.</summary>
        internal bool Share(int peerId, NapsterShare share)
        {
            _lock.EnterWriteLock();
            try
            {
                if (_index.FileCountOf(peerId) >= MaxFilesPerPeer) return false;
                _index.Add(peerId, share.Name, share.Hash, share.Size, share.FileIndex);
                return true;
            }
            finally { _lock.ExitWriteLock(); }
        }

        internal bool Unshare(int peerId, string name)
        {
            _lock.EnterWriteLock();
            try { return _index.Remove(peerId, name); }
            finally { _lock.ExitWriteLock(); }
        }

        /// <summary>
        /// Fills <paramref name="files"/> and, for each, the owning peer's pre-encoded result suffix (taken under the
        /// same lock, so a peer leaving meanwhile cannot leave a hit without its owner).
        /// </summary>
        internal void Search(IReadOnlyList<string> keywords, IReadOnlyList<string> excluded, int max, List<IndexedFile> files, List<byte[]> suffixes)
        {
            Interlocked.Increment(ref _searches);
            _lock.EnterReadLock();
            try
            {
                _index.Search(keywords, max, files, excluded);
                foreach (var f in files) suffixes.Add(_byPeerId.TryGetValue(f.PeerId, out var owner) ? owner.ResultSuffix : null);
            }
            finally { _lock.ExitReadLock(); }
        }

        /// <summary>False when nobody watches this server's events: callers skip building them.</summary>
        internal bool IsWatched => HasEventObservers;
        internal void Raise(string type, string remote, string message, params KeyValuePair<string, object>[] data) => Emit(type, remote, message, data);
        internal static KeyValuePair<string, object> Data(string key, object value) => D(key, value);
    }
}
