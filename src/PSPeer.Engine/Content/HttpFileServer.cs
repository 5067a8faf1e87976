using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;
using static PSPeer.Engine.Content.HttpResponseWriter;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// Serves a <see cref="SharedFolder"/> over HTTP/1.1 with Range: GET /get/&lt;index&gt;/&lt;name&gt; and
    /// GET /uri-res/N2R?urn:sha1:&lt;BASE32&gt;. Serves only files in the folder's list, so no path ever leaves it.
    /// </summary>
    /// <remarks>
    /// One task per connection, keep-alive with pipelining, HEAD and GET only. A single byte range gets 206; a range
    /// past the end gets 416; several ranges get the whole file (see <see cref="ByteRange"/>). A request head over
    /// <see cref="MaxHeadBytes"/> gets 431, a malformed one 400, and that connection is closed; the server goes on.
    /// Connections are admitted by an <see cref="AdmissionGate"/> within <see cref="Limits"/> (a refused one gets 503);
    /// at most <see cref="ConnectionLimits.MaxUploads"/> bodies are sent at once (more get 503 with Retry-After), each
    /// from two pooled 64 KiB buffers held only while it sends, and a reader that takes less than
    /// <see cref="ConnectionLimits.MinUploadRate"/> over <see cref="ConnectionLimits.SlowUploadWindow"/> is cut.
    /// </remarks>
    public sealed class HttpFileServer
    {
        /// <summary>Bound on a request line plus its header fields.</summary>
        public const int MaxHeadBytes = 8 * 1024;
        /// <summary>Seconds a busy server asks a client to wait before it retries (Retry-After on 503).</summary>
        public const int RetryAfterSeconds = 30;

        readonly IPeerRuntime _runtime;
        readonly SharedFolder _folder;
        readonly Action<string, string, string> _onEvent;
        // The stop signal and the lock are made when first needed: a servent of a simulated network keeps a server
        // that may never serve a connection (every servent of a million-node network has one).
        CancellationTokenSource _stop;   // under Gate
        object _gate;
        // Under Gate; made on the first connection.
        Dictionary<IConnection, Task> _connections;
        IListener _listener;
        AdmissionGate _admission;
        Task _acceptLoop;
        bool _stopped;
        int _uploads;
        ConnectionLimits _limits;   // null: the HTTP server's defaults, made when first read (an owner sets its own)

        /// <param name="onEvent">Called with (type, remote, message) for HttpRequest, UploadCompleted, MalformedMessage.</param>
        public HttpFileServer(IPeerRuntime runtime, SharedFolder folder, Action<string, string, string> onEvent)
        {
            _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
            _folder = folder ?? throw new ArgumentNullException(nameof(folder));
            _onEvent = onEvent;
        }

        /// <summary>"host:port" the server listens on, once started.</summary>
        public string EndPoint => _listener?.EndPoint;
        public int Port => _listener?.Port ?? 0;

        /// <summary>A connection waiting this long for a request (or for a client to take bytes) is closed.</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// Connections, uploads and deadlines this server allows (the owning node's limits). Set before
        /// <see cref="StartAsync"/>; values left unset keep the HTTP server's defaults.
        /// </summary>
        public ConnectionLimits Limits
        {
            get => LazyInitializer.EnsureInitialized(ref _limits, () => ConnectionLimits.For(ServerKind.HttpFileServer));
            set => _limits = value ?? ConnectionLimits.For(ServerKind.HttpFileServer);
        }

        object Gate => LazyInitializer.EnsureInitialized(ref _gate);

        /// <summary>Whether the stop signal or the lock was made yet: for tests of what a server that never served holds.</summary>
        internal bool HoldsStopSourceOrLock => Volatile.Read(ref _gate) != null || Volatile.Read(ref _stop) != null;

        /// <summary>Cancelled by <see cref="StopAsync"/> (already cancelled when made after it).</summary>
        CancellationToken StopToken
        {
            get
            {
                lock (Gate)
                {
                    if (_stop == null)
                    {
                        _stop = new CancellationTokenSource();
                        if (_stopped) _stop.Cancel();
                    }
                    return _stop.Token;
                }
            }
        }

        /// <summary>Response bodies being sent now.</summary>
        public int UploadCount => Volatile.Read(ref _uploads);

        /// <summary>The gate that admits this server's connections, once started (null when it only serves handed-over ones).</summary>
        public AdmissionGate Admission => _admission;

        /// <summary>Open connections, for tests and diagnostics.</summary>
        public int ConnectionCount { get { lock (Gate) return _connections?.Count ?? 0; } }

        /// <summary>Listens on <paramref name="port"/> (0 = any free); PeerException PortInUse passes through.</summary>
        public async Task StartAsync(int port, CancellationToken cancellationToken = default)
        {
            if (_listener != null || _stopped) throw new InvalidOperationException("An HttpFileServer starts once.");
            _listener = await _runtime.Transport.ListenAsync(port, cancellationToken);
            _admission = new AdmissionGate(_runtime, () => Limits, (type, remote, message, data) => Report(type, remote, message),
                () => Error(503, Now, false, "too many connections; try again later", false, H("Retry-After", RetryAfterSeconds.ToString(CultureInfo.InvariantCulture))));
            _acceptLoop = _admission.RunAsync(_listener, Register, StopToken);
        }

        /// <summary>Closes the listener and every open connection, and waits for their tasks to end.</summary>
        public async Task StopAsync()
        {
            Task[] pending;
            CancellationTokenSource stop;
            lock (Gate)
            {
                if (_stopped) return;
                _stopped = true;
                stop = _stop;
                pending = new Task[_connections?.Count ?? 0];
                if (_connections != null)
                {
                    _connections.Values.CopyTo(pending, 0);
                    foreach (var c in _connections.Keys) c.Dispose();
                }
            }
            stop?.Cancel();
            _listener?.Dispose();
            if (_acceptLoop != null) await _acceptLoop;
            await Task.WhenAll(pending);
        }

        /// <summary>
        /// Serves a connection someone else accepted (a Gnutella servent shares one port between its links and HTTP):
        /// <paramref name="alreadyRead"/> holds the bytes it read to recognise the request. Completes when the connection
        /// is done; the server need not have been started, and <see cref="StopAsync"/> closes these connections too.
        /// </summary>
        public Task ServeAsync(IConnection connection, byte[] alreadyRead)
        {
            if (connection == null) throw new ArgumentNullException(nameof(connection));
            var done = new TaskCompletionSource<bool>();
            lock (Gate)
            {
                if (_stopped) { connection.Dispose(); return Task.CompletedTask; }
                Connections[connection] = done.Task;
            }
            return ServeAndForgetAsync(connection, done, alreadyRead);
        }

        // Under Gate.
        Dictionary<IConnection, Task> Connections => _connections ?? (_connections = new Dictionary<IConnection, Task>());

        void Register(IConnection connection)
        {
            var done = new TaskCompletionSource<bool>();
            lock (Gate)
            {
                if (_stopped) { connection.Dispose(); return; }
                // Registered before the task starts, so StopAsync always sees and closes it.
                Connections[connection] = done.Task;
            }
            // Started outside the gate: serving runs synchronously up to its first pending read, and that can be a
            // whole request (file reads, event subscribers) that must not hold up the server's other users.
            _ = ServeAndForgetAsync(connection, done);
        }

        async Task ServeAndForgetAsync(IConnection connection, TaskCompletionSource<bool> done, byte[] alreadyRead = null)
        {
            try { await ServeConnectionAsync(connection, alreadyRead); }
            catch (Exception) { /* ServeConnectionAsync reports what matters; one connection never takes the server down */ }
            finally
            {
                connection.Dispose();
                lock (Gate) _connections?.Remove(connection);
                done.TrySetResult(true);
            }
        }

        async Task ServeConnectionAsync(IConnection connection, byte[] alreadyRead)
        {
            string remote = connection.RemoteEndPoint;
            var stream = connection.Stream;
            // 1 KiB to start (a request head is a few hundred bytes), doubling up to the bound only for a head that needs it.
            var reader = new HttpHeadReader(MaxHeadBytes, 1024);
            reader.Prefill(alreadyRead);
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(StopToken))
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
                        Report(PeerEventTypes.MalformedMessage, remote, e.Message);
                        if (e.TooLarge) await SendAsync(stream, Error(431, Now, false, e.Message, false), cts);
                        return;
                    }
                    if (headText == null) return;   // the client closed between requests
                    connection.MarkEstablished();   // a whole request head arrived: past the admission deadline

                    var head = HttpHead.ParseRequest(headText, out var parseError);
                    if (head == null)
                    {
                        Report(PeerEventTypes.MalformedMessage, remote, parseError);
                        await SendAsync(stream, Error(400, Now, false, parseError, false), cts);
                        return;
                    }
                    bool isHead = head.Method == "HEAD";
                    if (!isHead && head.Method != "GET")
                    {
                        // We do not read request bodies, so the connection cannot be reused after one.
                        Report(PeerEventTypes.HttpRequest, remote, $"{head.Method} {head.Target} 405");
                        await SendAsync(stream, Error(405, Now, false, "only GET and HEAD", false, H("Allow", "GET, HEAD")), cts);
                        return;
                    }
                    string bodyProblem = RequestBodyProblem(head);
                    if (bodyProblem != null)
                    {
                        Report(PeerEventTypes.MalformedMessage, remote, bodyProblem);
                        await SendAsync(stream, Error(400, Now, false, bodyProblem, isHead), cts);
                        return;
                    }

                    bool keepAlive = head.KeepAlive;
                    var route = HttpRequestRouter.Resolve(_folder, head.Target);
                    if (route.File == null)
                    {
                        Report(PeerEventTypes.HttpRequest, remote, $"{head.Method} {head.Target} {route.Status} ({route.Problem})");
                        // A 400 here is a hostile or broken target (traversal, bad escapes): report it and close.
                        if (route.Status == 400)
                        {
                            Report(PeerEventTypes.MalformedMessage, remote, route.Problem);
                            keepAlive = false;
                        }
                        await SendAsync(stream, Error(route.Status, Now, keepAlive, route.Problem, isHead), cts);
                        if (!keepAlive) return;
                        continue;
                    }

                    var file = route.File;
                    var range = ByteRange.Resolve(head.Repeated.Contains("Range") ? null : head["Range"], file.Size);
                    if (range.Kind == ByteRange.Kinds.Unsatisfiable)
                    {
                        Report(PeerEventTypes.HttpRequest, remote, $"{head.Method} {head.Target} 416");
                        await SendAsync(stream, Error(416, Now, keepAlive, $"the file has {file.Size} bytes", isHead,
                            H("Content-Range", "bytes */" + file.Size.ToString(CultureInfo.InvariantCulture))), cts);
                        if (!keepAlive) return;
                        continue;
                    }

                    Stream content;
                    try { content = isHead ? null : _runtime.Storage.OpenRead(file.FullPath); }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                        Report(PeerEventTypes.HttpRequest, remote, $"{head.Method} {head.Target} 404 (file no longer readable)");
                        await SendAsync(stream, Error(404, Now, keepAlive, "the file is no longer readable", isHead), cts);
                        if (!keepAlive) return;
                        continue;
                    }

                    using (content)
                    {
                        bool partial = range.Kind == ByteRange.Kinds.Partial;
                        int status = partial ? 206 : 200;
                        var headers = new List<KeyValuePair<string, string>>
                        {
                            H("Content-Type", "application/octet-stream"),
                            H("Content-Length", range.Length.ToString(CultureInfo.InvariantCulture)),
                            H("Accept-Ranges", "bytes"),
                            H("X-Gnutella-Content-URN", file.ContentHash.ToString()),
                        };
                        if (partial)
                            headers.Add(H("Content-Range", string.Format(CultureInfo.InvariantCulture, "bytes {0}-{1}/{2}", range.Start, range.End, file.Size)));
                        bool sendsBody = !isHead && range.Length > 0;
                        if (sendsBody && !TryTakeUploadSlot())
                        {
                            Report(PeerEventTypes.HttpRequest, remote, $"{head.Method} {head.Target} 503 (all {Limits.MaxUploads} upload slots busy)");
                            await SendAsync(stream, Error(503, Now, false, $"all {Limits.MaxUploads} upload slots are busy; try again later", false,
                                H("Retry-After", RetryAfterSeconds.ToString(CultureInfo.InvariantCulture))), cts);
                            return;
                        }
                        try
                        {
                            Report(PeerEventTypes.HttpRequest, remote, $"{head.Method} {head.Target} {status}");
                            await SendAsync(stream, Head(status, Now, keepAlive, headers), cts);
                            if (sendsBody)
                            {
                                await SendBodyAsync(connection, content, range.Start, range.Length, cts);
                                Report(PeerEventTypes.UploadCompleted, remote, $"{file.Name} {range.Length} bytes{(partial ? $" (range {range.Start}-{range.End})" : "")}");
                            }
                        }
                        finally
                        {
                            if (sendsBody) Interlocked.Decrement(ref _uploads);
                        }
                    }
                    if (!keepAlive) return;
                }
            }
        }

        // GET and HEAD carry no body; one that announces a body (or a framing we would have to parse) is refused.
        static string RequestBodyProblem(HttpHead head)
        {
            if (head["Transfer-Encoding"] != null) return "a GET or HEAD request must not carry a body";
            string length = head["Content-Length"];
            if (length != null && (head.Repeated.Contains("Content-Length") || length.Trim() != "0")) return "a GET or HEAD request must not carry a body";
            return null;
        }

        // Reads the next chunk from the file while the previous one is being written to the socket.
        static async Task<int> FillAsync(Stream content, byte[] buffer, long remaining, CancellationToken token)
        {
            int want = (int)Math.Min(buffer.Length, remaining), got = 0;
            while (got < want)
            {
                int n = await content.ReadAsync(buffer, got, want - got, token);
                if (n <= 0) break;
                got += n;
            }
            return got;
        }

        bool TryTakeUploadSlot()
        {
            while (true)
            {
                int current = Volatile.Read(ref _uploads);
                if (current >= Limits.MaxUploads) return false;
                if (Interlocked.CompareExchange(ref _uploads, current + 1, current) == current) return true;
            }
        }

        // Two pooled buffers, rented for this body only: the file read of one chunk overlaps the socket write of the other.
        async Task SendBodyAsync(IConnection connection, Stream content, long start, long length, CancellationTokenSource cts)
        {
            var pool = BufferPool.Uploads;
            var buffers = new[] { pool.Rent(), pool.Rent() };
            Task<int> next = null;
            var watch = new SlowReaderWatch(_runtime.Clock, Limits.MinUploadRate, Limits.SlowUploadWindow, () =>
            {
                try { cts.Cancel(); } catch (ObjectDisposedException) { }
                connection.Dispose();
            });
            try
            {
                var stream = connection.Stream;
                var token = cts.Token;
                await SeekAsync(content, start, buffers[0], token);
                long remaining = length;
                int current = 0;
                int filled = await FillAsync(content, buffers[current], remaining, token);
                while (true)
                {
                    if (filled <= 0)
                        throw new IOException("the shared file became shorter than its announced length");   // cannot fix the Content-Length we sent: close
                    remaining -= filled;
                    next = remaining > 0 ? FillAsync(content, buffers[1 - current], remaining, token) : null;
                    using (ArmTimeout(cts)) await stream.WriteAsync(buffers[current], 0, filled, token);
                    watch.Sent(filled);
                    if (next == null) break;
                    filled = await next;
                    next = null;
                    current = 1 - current;
                }
                await stream.FlushAsync(token);
            }
            catch (Exception) when (watch.Cut)
            {
                Report(PeerEventTypes.ConnectionTimedOut, SafeRemote(connection), watch.Describe());
                throw;
            }
            finally
            {
                watch.Dispose();
                if (next != null) { try { await next; } catch (Exception) { } }   // never pool a buffer a read may still fill
                pool.Return(buffers[0]);
                pool.Return(buffers[1]);
            }
        }

        static string SafeRemote(IConnection connection)
        {
            try { return connection.RemoteEndPoint; } catch (Exception) { return null; }
        }

        static async Task SeekAsync(Stream content, long start, byte[] scratch, CancellationToken token)
        {
            if (start == 0) return;
            if (content.CanSeek) { content.Position = start; return; }
            long skipped = 0;
            while (skipped < start)
            {
                int n = await content.ReadAsync(scratch, 0, (int)Math.Min(scratch.Length, start - skipped), token);
                if (n <= 0) throw new IOException("the shared file became shorter than the requested range");
                skipped += n;
            }
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
            _runtime.Clock.Schedule(IdleTimeout, () => { try { cts.Cancel(); } catch (ObjectDisposedException) { } });

        DateTimeOffset Now => _runtime.Clock.Now;

        void Report(string type, string remote, string message)
        {
            try { _onEvent?.Invoke(type, remote, message); }
            catch (Exception) { /* a failing subscriber must not break serving */ }
        }
    }
}
