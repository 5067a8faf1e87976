using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// Sharing and downloading: HTTP GET from the servent that answered, or, when it is firewalled, a Push routed to
    /// it by its servent GUID, its GIV connection back to our listener, and the GET over that connection.
    /// </summary>
    public sealed partial class GnutellaServent
    {
        static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(30);
        const int MaxGivBytes = 1024;
        const int MaxPushCallbacks = 8;
        int _pushCallbacks;

        // Under _gate; made on the first push download.
        Dictionary<string, TaskCompletionSource<GivConnection>> _givWaiters;

        sealed class GivConnection
        {
            public IConnection Connection;
            public byte[] Rest;
        }

        public async Task<IReadOnlyList<SharedFile>> PublishAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default)
        {
            var added = await Shared.AddAsync(paths, cancellationToken);
            if (added.Count == 0) return added;
            RebuildLocalIndex();
            // Our ultrapeers pass us only the queries our table matches: they need the new one.
            if (IsLeaf)
                foreach (var link in Volatile.Read(ref _links))
                    if (link.RemoteIsUltrapeer) SendQueryRouteTable(link);
            if (HasEventObservers)
                foreach (var f in added)
                    Emit(PeerEventTypes.FileShared, null, f.Name, D("Name", f.Name), D("Size", f.Size), D("ContentHash", f.ContentHash.ToString()));
            return added;
        }

        public Task<DownloadResult> DownloadAsync(SearchHit hit, string destinationDirectory, IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default) =>
            DownloadAsync(hit, destinationDirectory, false, progress, cancellationToken);

        public async Task<DownloadResult> DownloadAsync(SearchHit hit, string destinationDirectory, bool replaceExisting, IProgress<DownloadProgress> progress, CancellationToken cancellationToken = default)
        {
            if (hit == null) throw new ArgumentNullException(nameof(hit));
            Emit(PeerEventTypes.DownloadStarted, hit.Source, hit.Name, D("Name", hit.Name), D("Size", hit.Size), D("ContentHash", hit.ContentHash.ToString()), D("NeedsPush", hit.NeedsPush));
            try
            {
                var result = await HttpDownloader.ExistingCopyAsync(Runtime, hit, destinationDirectory, replaceExisting, cancellationToken)
                    ?? (hit.NeedsPush
                        ? await PushDownloadAsync(hit, destinationDirectory, replaceExisting, progress, cancellationToken)
                        : await HttpDownloader.DownloadAsync(Runtime, hit, destinationDirectory, replaceExisting, progress, cancellationToken));
                Emit(PeerEventTypes.DownloadVerified, hit.Source, result.Path, D("Name", hit.Name), D("Path", result.Path), D("Size", result.Size),
                    D("ContentHash", result.ContentHash.ToString()), D("Duration", result.Duration));
                return result;
            }
            catch (Exception e)
            {
                string id = (e as PeerException)?.ErrorId ?? (e is OperationCanceledException ? "Cancelled" : PeerErrorIds.DownloadFailed);
                Emit(PeerEventTypes.DownloadFailed, hit.Source, e.Message, D("Name", hit.Name), D("ErrorId", id), D("Reason", e.Message));
                throw;
            }
        }

        async Task<DownloadResult> PushDownloadAsync(SearchHit hit, string destinationDirectory, bool replaceExisting, IProgress<DownloadProgress> progress, CancellationToken cancellationToken)
        {
            if (!GnutellaGuid.TryParse(hit.ServentId, out var target))
                throw new PeerException(PeerErrorIds.DownloadFailed, $"'{hit.Name}' needs a Push but its hit carries no servent GUID: search again through a Gnutella servent.");
            object to;
            lock (_gate) PushRoutes.TryGet(target, out to);
            var link = to as GnutellaLink;
            if (link == null || link.IsClosed)
                throw new PeerException(PeerErrorIds.DownloadFailed,
                    $"'{hit.Name}' is on a firewalled servent ({target}) and no link leads to it any more: search again, then download while its hits are fresh.");

            string key = GivKey(target, (uint)hit.FileIndex);
            var waiter = new TaskCompletionSource<GivConnection>();
            lock (_gate) (_givWaiters ?? (_givWaiters = new Dictionary<string, TaskCompletionSource<GivConnection>>()))[key] = waiter;
            bool handed = false;
            try
            {
                var push = new Push { ServentId = target, FileIndex = (uint)hit.FileIndex, Address = _listenEndPoint.Host, Port = _listenEndPoint.Port };
                link.Send(GnutellaCodec.Encode(GnutellaGuid.New(Runtime.Random), (byte)Options.MaxTtl, 0, push), GnutellaPayloadType.Push);
                using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stopping))
                {
                    var delay = Runtime.Clock.Delay(PushTimeout, stop.Token);
                    await Task.WhenAny(waiter.Task, delay);
                    stop.Cancel();
                }
                cancellationToken.ThrowIfCancellationRequested();
                if (!waiter.Task.IsCompleted || waiter.Task.IsCanceled)
                    throw new PeerException(PeerErrorIds.DownloadFailed,
                        $"The firewalled servent holding '{hit.Name}' did not connect back (GIV) within {PushTimeout.TotalSeconds:0} s: it may be gone; search again.");
                var giv = waiter.Task.Result;
                handed = true;   // the downloader owns (and closes) the connection now
                return await HttpDownloader.DownloadOverAsync(Runtime, hit, giv.Connection, giv.Rest, destinationDirectory, replaceExisting, progress, cancellationToken);
            }
            finally
            {
                lock (_gate) if (_givWaiters != null && _givWaiters.TryGetValue(key, out var current) && current == waiter) _givWaiters.Remove(key);
                // A GIV that came as we gave up: close it rather than leak it.
                if (!handed && !waiter.TrySetCanceled() && waiter.Task.Status == TaskStatus.RanToCompletion) waiter.Task.Result.Connection.Dispose();
            }
        }

        static string GivKey(GnutellaGuid servent, uint index) => servent.ToString() + ":" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>
        /// "GIV &lt;index&gt;:&lt;servent guid hex&gt;/&lt;name&gt;\n\n" from a firewalled servent answering our Push; hands the
        /// connection to the download waiting for it. Returns whether it was handed over.
        /// </summary>
        async Task<bool> AcceptGivAsync(IConnection connection, byte[] first, HandshakeDeadline deadline)
        {
            // The GIV line ends in an empty line like an HTTP head, so the bounded head reader takes it; what follows
            // it (the start of the GET answer) stays buffered and goes to the download.
            var reader = new HttpHeadReader(MaxGivBytes);
            string line;
            try
            {
                reader.Prefill(first);
                // The handshake's deadline closes the connection if the line is late.
                line = await reader.ReadHeadAsync(connection.Stream, CancellationToken.None);
            }
            catch (HttpHeadException e)
            {
                if (e.TooLarge) Emit(PeerEventTypes.MalformedMessage, connection.RemoteEndPoint, "GIV line too long", D("Reason", "GIV line too long"));
                return false;
            }
            if (line == null) return false;
            line = line.Trim();
            // GIV <index>:<guid>/<name>
            int colon = line.IndexOf(':'), slash = colon < 0 ? -1 : line.IndexOf('/', colon);
            if (colon < 5 || slash < 0 || !uint.TryParse(line.Substring(4, colon - 4).Trim(), out uint index) ||
                !GnutellaGuid.TryParse(line.Substring(colon + 1, slash - colon - 1), out var servent))
            {
                Emit(PeerEventTypes.MalformedMessage, connection.RemoteEndPoint, "malformed GIV line", D("Reason", line));
                return false;
            }
            TaskCompletionSource<GivConnection> waiter = null;
            lock (_gate)
            {
                if (_givWaiters != null && _givWaiters.TryGetValue(GivKey(servent, index), out waiter)) _givWaiters.Remove(GivKey(servent, index));
            }
            if (waiter == null) return false;   // nobody asked for it (any more)
            var rest = reader.TakeBuffered();
            if (!EndHandshake(deadline)) return false;   // the deadline took the connection first
            return waiter.TrySetResult(new GivConnection { Connection = connection, Rest = rest });
        }

        /// <summary>We are the firewalled servent a Push names: connect back, say GIV, and serve the GET that follows.</summary>
        async Task AnswerPushAsync(Push push)
        {
            var file = Shared.GetByIndex((int)Math.Min(int.MaxValue, push.FileIndex));
            if (file == null || push.Port <= 0) return;
            // A Push makes us dial whatever address it names: a bound on callbacks at once keeps a stream of forged
            // Pushes from turning this servent into a connection cannon.
            if (Interlocked.Increment(ref _pushCallbacks) > MaxPushCallbacks)
            {
                Interlocked.Decrement(ref _pushCallbacks);
                return;
            }
            IConnection connection = null;
            try
            {
                using (var timeout = new CancellationTokenSource())
                using (var both = CancellationTokenSource.CreateLinkedTokenSource(Stopping, timeout.Token))
                using (Runtime.Clock.Schedule(HandshakeTimeout, () => { try { timeout.Cancel(); } catch (ObjectDisposedException) { } }))
                {
                    connection = await Runtime.Transport.ConnectAsync(push.Address, push.Port, both.Token);
                    var giv = Encoding.UTF8.GetBytes($"GIV {file.Index}:{ServentId}/{file.Name}\n\n");
                    await connection.Stream.WriteAsync(giv, 0, giv.Length, both.Token);
                    await connection.Stream.FlushAsync(both.Token);
                }
                var serving = connection;
                connection = null;
                await Http.ServeAsync(serving, null);
            }
            catch (Exception e)
            {
                if (!Stopping.IsCancellationRequested)
                    Emit(PeerEventTypes.ConnectionClosed, $"{push.Address}:{push.Port}", "push callback failed: " + e.Message, D("Reason", e.Message));
            }
            finally
            {
                connection?.Dispose();
                Interlocked.Decrement(ref _pushCallbacks);
            }
        }

        void FailPendingTransfers()
        {
            List<TaskCompletionSource<GivConnection>> waiters;
            List<GnutellaSearch> searches;
            lock (_gate)
            {
                waiters = _givWaiters == null ? new List<TaskCompletionSource<GivConnection>>() : new List<TaskCompletionSource<GivConnection>>(_givWaiters.Values);
                _givWaiters?.Clear();
                searches = _searches == null ? new List<GnutellaSearch>() : new List<GnutellaSearch>(_searches.Values);
            }
            foreach (var w in waiters) w.TrySetCanceled();
            foreach (var s in searches) s.Finish();
        }
    }
}
