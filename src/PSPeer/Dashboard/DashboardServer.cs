using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Live;
using static PSPeer.Engine.Content.HttpResponseWriter;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// The dashboard's HTTP side, on the project's own HTTP pieces (the loopback TCP transport, HttpHeadReader,
    /// HttpHead, HttpResponseWriter), so it runs wherever the module runs (Windows PowerShell 5.1 included). Listens
    /// on 127.0.0.1 only; read-only (GET and HEAD); every request, the event stream included, must carry the token
    /// (?t=...) and name this host (a page of another site that points a name at 127.0.0.1 sends its own Host).
    /// </summary>
    /// <remarks>
    /// Routes: / (the page), /dashboard.js and /dashboard.css (the bundle), /api/state (what is drawn, as JSON) and
    /// /api/events (server-sent events: "events" batches, "status" once a second). Responses forbid caching, framing,
    /// sniffing and sending the URL (with its token) as a referrer; the page's Content-Security-Policy lets it load
    /// nothing but its own script and style and talk to nothing but this server.
    /// </remarks>
    internal sealed class DashboardServer : IDisposable
    {
        const int MaxHeadBytes = 8 * 1024;
        static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);
        const string ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; " +
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

        readonly string _token;
        readonly DashboardHub _hub;
        readonly CancellationTokenSource _stop = new CancellationTokenSource();
        readonly object _gate = new object();
        readonly HashSet<IConnection> _connections = new HashSet<IConnection>();
        IListener _listener;
        Task _acceptLoop;

        DashboardServer(string token, DashboardHub hub)
        {
            _token = token;
            _hub = hub;
        }

        public int Port => _listener.Port;
        public string Url => string.Format(CultureInfo.InvariantCulture, "http://127.0.0.1:{0}/?t={1}", Port, _token);

        /// <summary>Requests refused for a missing or wrong token, or a foreign Host.</summary>
        public long Refused => Interlocked.Read(ref _refused);
        long _refused;

        /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0 = any free); PeerException PortInUse when taken.</summary>
        public static async Task<DashboardServer> StartAsync(int port, string token, DashboardHub hub)
        {
            var server = new DashboardServer(token, hub);
            server._listener = await LiveRuntime.Loopback.Transport.ListenAsync(port).ConfigureAwait(false);
            server._acceptLoop = Task.Run(server.AcceptLoopAsync);
            return server;
        }

        async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                IConnection connection;
                try { connection = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false); }
                catch (Exception) when (_stop.IsCancellationRequested) { return; }
                catch (Exception) { continue; }
                lock (_gate)
                {
                    if (_stop.IsCancellationRequested) { connection.Dispose(); return; }
                    _connections.Add(connection);
                }
                _ = Task.Run(() => ServeAsync(connection));
            }
        }

        async Task ServeAsync(IConnection connection)
        {
            try { await ServeRequestsAsync(connection).ConfigureAwait(false); }
            catch (Exception) { /* one page's connection never takes the dashboard down */ }
            finally
            {
                lock (_gate) _connections.Remove(connection);
                connection.Dispose();
            }
        }

        async Task ServeRequestsAsync(IConnection connection)
        {
            var stream = connection.Stream;
            var reader = new HttpHeadReader(MaxHeadBytes, 1024);
            while (!_stop.IsCancellationRequested)
            {
                string text;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                {
                    idle.CancelAfter(IdleTimeout);
                    try { text = await reader.ReadHeadAsync(stream, idle.Token).ConfigureAwait(false); }
                    catch (HttpHeadException e)
                    {
                        await WriteAsync(stream, Error(e.TooLarge ? 431 : 400, Now, false, e.Message, false)).ConfigureAwait(false);
                        return;
                    }
                    catch (OperationCanceledException) { return; }
                }
                if (text == null) return;
                var head = HttpHead.ParseRequest(text, out string problem);
                if (head == null) { await WriteAsync(stream, Error(400, Now, false, problem, false)).ConfigureAwait(false); return; }
                bool headOnly = head.Method == "HEAD";
                if (!headOnly && head.Method != "GET")
                {
                    await WriteAsync(stream, Error(405, Now, false, "the dashboard is read-only: GET and HEAD only", false, H("Allow", "GET, HEAD"))).ConfigureAwait(false);
                    return;
                }
                SplitTarget(head.Target, out string path, out string token);
                if (!IsOwnHost(head["Host"]) || !DashboardToken.Matches(_token, token))
                {
                    Interlocked.Increment(ref _refused);
                    await WriteAsync(stream, Error(403, Now, false,
                        "this dashboard answers only its own URL, with its token (the one Show-PeerNetwork printed)", headOnly, SafetyHeaders())).ConfigureAwait(false);
                    return;
                }
                if (path == "/api/events" && !headOnly)
                {
                    await StreamEventsAsync(stream).ConfigureAwait(false);
                    return;
                }
                byte[] body = Route(path, out string contentType);
                if (body == null)
                {
                    await WriteAsync(stream, Error(404, Now, head.KeepAlive, "no such page", headOnly, SafetyHeaders())).ConfigureAwait(false);
                    if (!head.KeepAlive) return;
                    continue;
                }
                var headers = new List<KeyValuePair<string, string>>(SafetyHeaders())
                {
                    H("Content-Type", contentType),
                    H("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)),
                };
                await WriteAsync(stream, Head(200, Now, head.KeepAlive, headers)).ConfigureAwait(false);
                if (!headOnly) await WriteAsync(stream, body).ConfigureAwait(false);
                if (!head.KeepAlive) return;
            }
        }

        byte[] Route(string path, out string contentType)
        {
            switch (path)
            {
                case "/":
                case "/index.html":
                    var page = DashboardAssets.Get("index.html", out contentType);
                    // The page's own references carry the token too (the token is URL-safe base64: nothing to escape).
                    return page == null ? null : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(page).Replace("{{TOKEN}}", _token));
                case "/dashboard.js":
                case "/dashboard.css":
                    return DashboardAssets.Get(path.Substring(1), out contentType);
                case "/api/state":
                    contentType = "application/json; charset=utf-8";
                    return Encoding.UTF8.GetBytes(_hub.StateJson());
                default:
                    contentType = null;
                    return null;
            }
        }

        async Task StreamEventsAsync(Stream stream)
        {
            var headers = new List<KeyValuePair<string, string>>(SafetyHeaders()) { H("Content-Type", "text/event-stream; charset=utf-8") };
            await WriteAsync(stream, Head(200, Now, false, headers)).ConfigureAwait(false);
            var client = new EventStreamClient(stream);
            _hub.Add(client);
            try { await client.RunAsync(_stop.Token).ConfigureAwait(false); }
            finally { _hub.Remove(client); }
        }

        static KeyValuePair<string, string>[] SafetyHeaders() => new[]
        {
            H("Cache-Control", "no-store"),
            H("X-Content-Type-Options", "nosniff"),
            H("X-Frame-Options", "DENY"),
            H("Referrer-Policy", "no-referrer"),
            H("Content-Security-Policy", ContentSecurityPolicy),
        };

        // The request-target's path and its t= query parameter (the token is URL-safe: no decoding needed).
        static void SplitTarget(string target, out string path, out string token)
        {
            int q = target.IndexOf('?');
            path = q < 0 ? target : target.Substring(0, q);
            token = null;
            if (q < 0) return;
            foreach (string pair in target.Substring(q + 1).Split('&'))
                if (pair.StartsWith("t=", StringComparison.Ordinal)) token = pair.Substring(2);
        }

        bool IsOwnHost(string host)
        {
            if (host == null) return false;
            string port = ":" + Port.ToString(CultureInfo.InvariantCulture);
            return string.Equals(host, "127.0.0.1" + port, StringComparison.OrdinalIgnoreCase)
                || string.Equals(host, "localhost" + port, StringComparison.OrdinalIgnoreCase);
        }

        static async Task WriteAsync(Stream stream, byte[] bytes)
        {
            using (var timeout = new CancellationTokenSource(IdleTimeout))
            {
                await stream.WriteAsync(bytes, 0, bytes.Length, timeout.Token).ConfigureAwait(false);
                await stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
        }

        static DateTimeOffset Now => DateTimeOffset.UtcNow;

        /// <summary>Closes the listener and every connection (pages see their stream end).</summary>
        public void Dispose()
        {
            IConnection[] open;
            lock (_gate)
            {
                if (_stop.IsCancellationRequested) return;
                _stop.Cancel();
                open = new IConnection[_connections.Count];
                _connections.CopyTo(open);
            }
            _listener?.Dispose();
            foreach (var c in open) c.Dispose();
            try { _acceptLoop?.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        }
    }
}
