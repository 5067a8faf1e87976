using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// A BitTorrent peer (BEP 3) for one torrent: seeds what it has, downloads what it lacks, from peers the trackers
    /// name and peers added by hand. Role "Seeder" when the data looks complete at construction, else "Leecher"; a
    /// leecher seeds once complete (unless <see cref="SwarmOptions.SeedWhenComplete"/> is false).
    /// </summary>
    /// <remarks>
    /// Threads: live, each connection has a read loop and a send loop on the thread pool; one lock (<c>_gate</c>) guards
    /// the picker, the choker and every connection's state, and is never held across an await or a hash.
    /// Refusals: a request while we choke the peer is dropped (BEP 3: choking discards requests); a request for a piece
    /// we do not have is dropped and counted (<see cref="RequestsRefused"/>); a request outside the piece, a bitfield
    /// after the first message or any undecodable message closes that connection with a MalformedMessage event.
    /// </remarks>
    public sealed partial class BitTorrentPeer : PeerNodeBase
    {
        static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);
        static readonly TimeSpan KeepAliveInterval = TimeSpan.FromMinutes(2);
        static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(3);
        static readonly TimeSpan SnubTime = TimeSpan.FromSeconds(60);
        /// <summary>An unchoked, interested peer that asks for nothing this long gives its upload slot back.</summary>
        static readonly TimeSpan IdleSlotTime = TimeSpan.FromSeconds(5);
        /// <summary>Requests a peer may have queued at us (live ones; the reqq of our BEP 10 handshake).</summary>
        const int MaxQueuedUploads = 2048;

        readonly object _gate = new object();
        readonly SwarmOptions _options;
        readonly byte[] _peerId;
        readonly List<SwarmConnection> _connections = new List<SwarmConnection>();
        // Completed outside _gate (continuations may run inline); not RunContinuationsAsynchronously, which would move
        // context-free continuations (Task.WhenAll over several peers) to the thread pool, outside a simulation's loop.
        readonly TaskCompletionSource<bool> _completed = new TaskCompletionSource<bool>();
        readonly TokenBucket _uploadLimit;
        readonly TokenBucket _downloadLimit;
        readonly RateMeter _down = new RateMeter();
        readonly RateMeter _up = new RateMeter();
        PieceStorage _storage;
        PiecePicker _picker;
        Choker _choker;
        IListener _listener;
        readonly List<Task> _loops = new List<Task>();
        // Guards _loops only: every verified piece adds a task, and taking _gate for it contended with the read loops.
        readonly object _loopsGate = new object();
        int _nextConnectionId;
        long _requestsRefused;

        public BitTorrentPeer(IPeerRuntime runtime, string name, TorrentMetainfo torrent, string directory, SwarmOptions options = null)
            : base(runtime, name, "BitTorrent", LooksComplete(runtime, torrent, directory) ? "Seeder" : "Leecher")
        {
            Torrent = torrent;
            Directory = directory;
            _options = (options ?? new SwarmOptions()).Validated();
            _peerId = _options.PeerId ?? PeerIdentity.NewPeerId(runtime.Random);
            _uploadLimit = new TokenBucket(runtime.Clock, _options.UploadLimitBytesPerSecond);
            _downloadLimit = new TokenBucket(runtime.Clock, _options.DownloadLimitBytesPerSecond);
            Trackers = _options.Trackers != null ? (IReadOnlyList<string>)new List<string>(_options.Trackers) : torrent.Trackers;
        }

        public TorrentMetainfo Torrent { get; }
        public string Directory { get; }
        /// <summary>Where the content is now: directory/&lt;Name&gt; once complete and moved there, else directory/&lt;Name&gt;.pspeer-partial.</summary>
        public string ContentPath => _storage?.ContentPath ?? Runtime.Storage.Combine(Directory, Torrent.Name);
        /// <summary>Whether the content is under its final name (see <see cref="ContentPath"/>).</summary>
        public bool IsAtFinalPath => _storage?.IsAtFinalPath ?? false;
        public SwarmOptions Options => _options;
        public IReadOnlyList<string> Trackers { get; }
        /// <summary>Our 20-byte peer id (a copy).</summary>
        public byte[] PeerId => (byte[])_peerId.Clone();

        /// <summary>Verified pieces (a snapshot).</summary>
        public Bitfield Have { get { lock (_gate) return _picker?.Have.Clone() ?? new Bitfield(Torrent.PieceCount); } }
        public bool IsComplete { get { lock (_gate) return _picker != null && _picker.Have.AllSet; } }
        /// <summary>
        /// Whether the data on disk verified in full when the node started, before any peer sent a byte. A seeder is
        /// judged by this, not by <see cref="IsComplete"/>: a node that dials its announced peers at once may fetch the
        /// missing pieces before anyone looks (a <see cref="SwarmOptions.SeedOnly"/> node refuses to start instead).
        /// </summary>
        public bool StartedComplete { get; private set; }
        /// <summary>How many pieces verified on disk when the node started (for a SeedOnly node that refused to start: how
        /// many pieces of the files it was given match).</summary>
        public int StartedPieceCount { get; private set; }
        public double Progress { get { lock (_gate) return _picker == null ? 0 : _picker.Have.SetCount / (double)Torrent.PieceCount; } }
        /// <summary>Payload bytes received in blocks we asked for (duplicates and unasked blocks included).</summary>
        public long Downloaded { get { lock (_gate) return _down.Total; } }
        public long Uploaded { get { lock (_gate) return _up.Total; } }
        public double DownloadRate { get { lock (_gate) return _down.Rate(Runtime.Clock.Now); } }
        public double UploadRate { get { lock (_gate) return _up.Rate(Runtime.Clock.Now); } }
        /// <summary>The torrent's files once they are all here and verified (what Get-PeerNode shows as shared), else 0.</summary>
        public override int SharedFileCount => IsComplete ? Torrent.Files.Count : 0;
        /// <summary>Requests dropped because we do not have the piece.</summary>
        public long RequestsRefused { get { lock (_gate) return _requestsRefused; } }
        /// <summary>When the last piece was verified (null until then; the start time for a node that began complete).</summary>
        public DateTimeOffset? CompletedAt { get; private set; }

        public IReadOnlyList<SwarmPeerInfo> Peers
        {
            get
            {
                lock (_gate)
                {
                    var now = Runtime.Clock.Now;
                    var list = new List<SwarmPeerInfo>(_connections.Count);
                    foreach (var c in _connections)
                        list.Add(new SwarmPeerInfo(c.Remote, c.Client, c.IsOutgoing, c.AmChoking, c.AmInterested, c.PeerChoking, c.PeerInterested,
                            c.Down.Rate(now), c.Up.Rate(now), c.Downloaded, c.Uploaded, c.PeerHas.SetCount / (double)Torrent.PieceCount));
                    return list;
                }
            }
        }

        /// <summary>Completes once every piece is verified (at once for a node that starts complete); cancelling ends the wait only.</summary>
        public Task WhenCompleted(CancellationToken cancellationToken = default)
        {
            if (_completed.Task.IsCompleted || !cancellationToken.CanBeCanceled) return _completed.Task;
            return WaitCompletedAsync(cancellationToken);
        }

        async Task WaitCompletedAsync(CancellationToken cancellationToken)
        {
            var cancelled = new TaskCompletionSource<bool>();
            using (cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken)))
                await await Task.WhenAny(_completed.Task, cancelled.Task);
        }

        protected override async Task OnStartAsync(CancellationToken cancellationToken)
        {
            _storage = new PieceStorage(Runtime.Storage, Torrent, Directory, _options.ReplaceExisting);
            var have = await _storage.CheckExistingAsync(null, cancellationToken);
            StartedComplete = have.AllSet;
            StartedPieceCount = have.SetCount;
            // Checked before anything listens, announces or dials: a seeder with the wrong files must not join the
            // swarm even for a moment (it would fetch what it lacks from the peers it meets).
            if (_options.SeedOnly && !have.AllSet)
            {
                StartedPieceCount = Math.Max(have.SetCount, _storage.PiecesMatchingAtFinalName);
                throw new PeerException(PeerErrorIds.TorrentDataMissing,
                    $"Only {StartedPieceCount} of {Torrent.PieceCount} pieces of '{Torrent.Name}' in '{Directory}' match the torrent, so it cannot seed.");
            }
            // A download that completed but was stopped before its move: move it now.
            if (have.AllSet) await PromoteAsync(cancellationToken);
            _listener = await Runtime.Transport.ListenAsync(_options.Port, cancellationToken);
            EndPoint = _listener.EndPoint;
            lock (_gate)
            {
                _picker = new PiecePicker(Torrent.PieceCount, Torrent.PieceLength, Torrent.TotalSize, have, Runtime.Random);
                _choker = new Choker(_options.UploadSlots, _options.OptimisticInterval, Runtime.Random);
                if (have.AllSet) CompletedAt = Runtime.Clock.Now;
            }
            Track(AcceptLoopAsync());
            Track(TickLoopAsync());
            Track(AnnounceLoopAsync());
            if (have.AllSet) _completed.TrySetResult(true);
        }

        protected override async Task OnStopAsync()
        {
            _listener?.Dispose();
            List<SwarmConnection> open;
            lock (_gate) open = new List<SwarmConnection>(_connections);
            foreach (var c in open) Close(c, "the node is stopping", false);
            Task[] loops;
            lock (_loopsGate) loops = _loops.ToArray();
            foreach (var loop in loops)
            {
                try { await loop; } catch (Exception) { /* loops report their own failures; stopping goes on */ }
            }
            await AnnounceStoppedAsync();
            _storage?.Dispose();
            _completed.TrySetCanceled();
        }

        /// <summary>
        /// Moves the complete content to its final name; when a file that is not ours is there, the content stays (and
        /// is seeded) under its partial name and a FinalNameTaken event says so.
        /// </summary>
        async Task PromoteAsync(CancellationToken cancellationToken)
        {
            if (_storage.IsAtFinalPath) return;
            if (await _storage.PromoteAsync(cancellationToken)) return;
            if (HasEventObservers)
                Emit(PeerEventTypes.FinalNameTaken, null,
                    $"{Torrent.Name} is complete, but '{_storage.FinalPath}' already exists: the data stays in '{_storage.PartialPath}'.",
                    D("Path", _storage.FinalPath), D("PartialPath", _storage.PartialPath));
        }

        /// <summary>Connects to a peer directly (no tracker) and completes once the handshake is done.</summary>
        public async Task AddPeerAsync(HostPort peer, CancellationToken cancellationToken = default)
        {
            if (peer == null) throw new ArgumentNullException(nameof(peer));
            if (State != NodeState.Running)
                throw new PeerException(PeerErrorIds.NodeNotRunning, $"BitTorrent peer '{Name}' is not running: start it before adding peers.");
            lock (_gate) _dialling.Add(peer);
            try
            {
                await DialAsync(peer, cancellationToken);
            }
            finally
            {
                lock (_gate) _dialling.Remove(peer);
            }
        }

        /// <summary>Whether the torrent's files are all there at full length (a cheap guess at the role; hashing decides).</summary>
        static bool LooksComplete(IPeerRuntime runtime, TorrentMetainfo torrent, string directory)
        {
            if (runtime == null) throw new ArgumentNullException(nameof(runtime));
            if (torrent == null) throw new ArgumentNullException(nameof(torrent));
            if (string.IsNullOrEmpty(directory)) throw new ArgumentException("A BitTorrent peer needs a directory for the torrent's data.", nameof(directory));
            var storage = runtime.Storage;
            string root = storage.Combine(directory, torrent.Name);
            foreach (var file in torrent.Files)
            {
                string path = torrent.IsMultiFile ? root : storage.Combine(directory, torrent.Name);
                if (torrent.IsMultiFile)
                    foreach (var part in file.Path.Split('/')) path = storage.Combine(path, part);
                if (!storage.FileExists(path) || storage.GetInfo(path).Length != file.Length) return false;
            }
            return true;
        }
    }
}
