using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Chord.Sharing
{
    /// <summary>
    /// File sharing over a Chord ring, beside one <see cref="ChordNode"/> (composed, not built into the ring protocol):
    /// shares a folder over HTTP with the same server Napster and Gnutella peers use, stores a
    /// <see cref="ChordFilePointer"/> at "kw:&lt;keyword&gt;" for every keyword of every file name (the node refreshes
    /// them while it runs; they expire when it stops refreshing), searches by looking up a query's keywords and
    /// intersecting what they hold, and downloads a hit over HTTP, verified against its SHA-1.
    /// </summary>
    public sealed class ChordFileSharing : ISearchNode, ISharingNode
    {
        readonly ChordNode _node;
        readonly int _httpPort;
        readonly SemaphoreSlim _serverGate = new SemaphoreSlim(1, 1);
        readonly Subject<PeerEvent> _subject = new Subject<PeerEvent>();
        readonly ISubject<PeerEvent> _events;
        HttpFileServer _http;
        int _stopped;

        /// <param name="sharedPath">Folder to share, or null (files can be published later).</param>
        /// <param name="httpPort">Port of the HTTP file server (0 = any free one); it starts with the first file shared.</param>
        public ChordFileSharing(ChordNode node, string sharedPath, int httpPort = 0)
        {
            _node = node ?? throw new ArgumentNullException(nameof(node));
            _httpPort = httpPort;
            Shared = new SharedFolder(node.Runtime, sharedPath);
            _events = Subject.Synchronize(_subject);
        }

        public SharedFolder Shared { get; }
        /// <summary>"host:port" of the HTTP file server, or null until a file is shared.</summary>
        public string HttpEndPoint => _http?.EndPoint;
        /// <summary>Keyword pointers stored (one per keyword of each file shared).</summary>
        public int PointersStored => Volatile.Read(ref _pointersStored);
        int _pointersStored;

        /// <summary>The sharing's own events (FileShared, SearchHit, Download*), delivered like a node's.</summary>
        public IObservable<PeerEvent> Events => _node.Runtime.IsSimulated
            ? EventDelivery.Inline(_events, _ => { })
            : EventDelivery.Queued(_events, 10_000, TaskPoolScheduler.Default,
                count => new PeerEvent(_node.Runtime.Clock.Now, _node.Name, PeerEventTypes.EventsDropped, null,
                    $"{count} events dropped: this subscriber fell behind", new Dictionary<string, object> { ["Dropped"] = count }),
                _ => { }, _ => { });

        /// <summary>Shares the folder given at construction (hashing it) and publishes its files' pointers. Call once the node has joined.</summary>
        public async Task StartAsync(CancellationToken cancellationToken = default)
        {
            if (Shared.Root == null) return;
            var files = await Shared.ScanAsync(cancellationToken);
            if (files.Count == 0) return;
            await EnsureServerAsync(cancellationToken);
            await StorePointersAsync(files, cancellationToken);
        }

        /// <summary>Stops the HTTP server; the pointers expire on the ring once nobody refreshes them.</summary>
        public async Task StopAsync()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
            var http = _http;
            if (http != null) await http.StopAsync();
            _events.OnCompleted();
        }

        public async Task<IReadOnlyList<SharedFile>> PublishAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default)
        {
            RequireRunning();
            var added = await Shared.AddAsync(paths, cancellationToken);
            if (added.Count == 0) return added;
            await EnsureServerAsync(cancellationToken);
            await StorePointersAsync(added, cancellationToken);
            return added;
        }

        async Task EnsureServerAsync(CancellationToken cancellationToken)
        {
            await _serverGate.WaitAsync(cancellationToken);
            try
            {
                if (_http != null) return;
                var http = new HttpFileServer(_node.Runtime, Shared, (type, remote, message) => Emit(type, remote, message)) { Limits = _node.Limits };
                await http.StartAsync(_httpPort, cancellationToken);
                _http = http;
            }
            finally { _serverGate.Release(); }
        }

        /// <summary>The address peers fetch from: the HTTP server's own, or the node's ring address when it listens on a wildcard.</summary>
        IPEndPoint ServerAddress()
        {
            var at = HostPort.Parse(_http.EndPoint);
            if (IPAddress.TryParse(at.Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !ip.Equals(IPAddress.Any))
                return new IPEndPoint(ip, at.Port);
            var self = _node.Self?.EndPoint;
            if (self != null && self.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) return new IPEndPoint(self.Address, at.Port);
            throw new PeerException(PeerErrorIds.ChordStoreRefused, $"Chord node '{_node.Name}' serves files at {_http.EndPoint}, which is not an IPv4 address a pointer can carry.");
        }

        /// <summary>Stores one pointer per keyword of each file; throws after trying them all when any was not stored.</summary>
        async Task StorePointersAsync(IReadOnlyList<SharedFile> files, CancellationToken cancellationToken)
        {
            var server = ServerAddress();
            var failures = new List<string>();
            bool refused = false;
            foreach (var file in files)
            {
                ChordFilePointer pointer;
                try { pointer = new ChordFilePointer(file.Name, file.Size, file.ContentHash, server); }
                catch (ArgumentException e) { failures.Add($"{file.Name}: {e.Message}"); refused = true; continue; }
                byte[] value = pointer.Encode();
                var keywords = ChordKeywords.OfFileName(file.Name);
                var stores = keywords.Select(k => _node.StoreAsync(ChordKeywords.KeyOf(k), value, cancellationToken)).ToArray();
                var results = await Task.WhenAll(stores);
                for (int i = 0; i < results.Length; i++)
                {
                    if (results[i].Succeeded) Interlocked.Increment(ref _pointersStored);
                    else
                    {
                        failures.Add($"{file.Name} under '{keywords[i]}': {results[i].Failure}");
                        refused |= results[i].ErrorCode == 302 || results[i].ErrorCode == 303 || results[i].ErrorCode == 305;
                    }
                }
                Emit(PeerEventTypes.FileShared, HttpEndPoint, file.Name, D("Name", file.Name), D("Size", file.Size),
                    D("ContentHash", file.ContentHash.ToString()), D("Keywords", string.Join(" ", keywords)));
            }
            if (failures.Count > 0)
                throw new PeerException(refused ? PeerErrorIds.ChordStoreRefused : PeerErrorIds.ChordLookupFailed,
                    $"Chord node '{_node.Name}' could not store {failures.Count} keyword pointer(s) on the ring: {string.Join("; ", failures.Take(3))}.");
        }

        /// <summary>
        /// Looks up every keyword of the query (in parallel), keeps the files every keyword points to, and reports each
        /// once, with the most hops any of the keyword lookups took and the time until the answer was known.
        /// </summary>
        public async Task SearchAsync(string query, SearchOptions options, Action<SearchHit> onHit, CancellationToken cancellationToken = default)
        {
            options = options ?? new SearchOptions();
            RequireRunning();
            var keywords = ChordKeywords.OfQuery(query);
            if (keywords.Count == 0) return;
            var started = _node.Runtime.Clock.Now;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (_node.Runtime.Clock.Schedule(options.Timeout, () => { try { timeout.Cancel(); } catch (ObjectDisposedException) { } }))
            {
                var lookups = keywords.Select(k => _node.LookupAsync(ChordKeywords.KeyOf(k), ChordLookupMode.Iterative, timeout.Token)).ToArray();
                var values = keywords.Select(k => _node.GetValueBytesAsync(ChordKeywords.KeyOf(k), ChordLookupMode.Iterative, timeout.Token)).ToArray();
                try
                {
                    await Task.WhenAll(lookups.Cast<Task>().Concat(values));
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    return;   // out of time (or cancelled): no answer, quietly, as ISearchNode promises
                }
                int hops = lookups.Max(l => l.Result.Hops);
                var latency = _node.Runtime.Clock.Now - started;
                HashSet<ChordFilePointer> common = null;
                foreach (var list in values)
                {
                    var these = new HashSet<ChordFilePointer>();
                    foreach (var v in list.Result)
                        if (ChordFilePointer.TryDecode(v, out var p)) these.Add(p);
                    if (common == null) common = these;
                    else common.IntersectWith(these);
                }
                int delivered = 0;
                foreach (var p in (common ?? new HashSet<ChordFilePointer>()).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Source, StringComparer.Ordinal))
                {
                    if (delivered >= options.MaxResults || cancellationToken.IsCancellationRequested) break;
                    var hit = new SearchHit(p.Name, p.Size, p.ContentHash, p.Source, -1, p.Source, hops, latency);
                    delivered++;
                    Emit(PeerEventTypes.SearchHit, p.Source, p.Name, D("Query", query), D("Name", p.Name), D("Size", p.Size),
                        D("ContentHash", p.ContentHash.ToString()), D("Hops", hops));
                    onHit?.Invoke(hit);
                }
            }
        }

        public Task<DownloadResult> DownloadAsync(SearchHit hit, string destinationDirectory, IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default) =>
            DownloadAsync(hit, destinationDirectory, false, progress, cancellationToken);

        public Task<DownloadResult> DownloadAsync(SearchHit hit, string destinationDirectory, bool replaceExisting, IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default) =>
            SearchHitDownload.RunAsync(_node.Runtime, hit, destinationDirectory, replaceExisting, progress, Emit, cancellationToken);

        void RequireRunning()
        {
            if (_node.State != NodeState.Running || Volatile.Read(ref _stopped) == 1)
                throw new PeerException(PeerErrorIds.NodeNotRunning, $"Chord node '{_node.Name}' is not running: start it before sharing or searching through it.");
        }

        void Emit(string type, string remote, string message, params KeyValuePair<string, object>[] data)
        {
            if (!_subject.HasObservers) return;
            Dictionary<string, object> dict = null;
            if (data != null && data.Length > 0)
            {
                dict = new Dictionary<string, object>(data.Length);
                foreach (var kv in data) dict[kv.Key] = kv.Value;
            }
            _events.OnNext(new PeerEvent(_node.Runtime.Clock.Now, _node.Name, type, remote, message, dict));
        }

        static KeyValuePair<string, object> D(string key, object value) => new KeyValuePair<string, object>(key, value);
    }
}
