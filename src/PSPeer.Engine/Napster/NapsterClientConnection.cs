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
    /// A peer's session with the index server: login, shares, searches and the read loop that routes results to the
    /// oldest unanswered search. Writers (searches, publishes, logout) share one connection, so each builds its frames
    /// and writes them under a gate; a search joins the queue under the same gate, so queue order is wire order.
    /// </summary>
    sealed class NapsterClientConnection : IDisposable
    {
        readonly NapsterPeer _peer;
        readonly IConnection _connection;
        readonly NapsterFrameReader _reader = new NapsterFrameReader();
        readonly SemaphoreSlim _writeGate = new SemaphoreSlim(1, 1);
        readonly NapsterFrameWriter _writer = new NapsterFrameWriter();
        readonly object _queueGate = new object();
        readonly HashSet<int> _sharedIndexes = new HashSet<int>();
        readonly Queue<PendingSearch> _searches = new Queue<PendingSearch>();
        volatile bool _closed;

        public NapsterClientConnection(NapsterPeer peer, IConnection connection)
        {
            _peer = peer;
            _connection = connection;
        }

        public string Remote => _connection.RemoteEndPoint;

        /// <summary>Sends the login and waits for its answer; throws PeerException when refused or the server hangs up.</summary>
        public async Task LoginAsync(NapsterLogin login, TimeSpan timeout, CancellationToken cancellationToken)
        {
            await SendAsync(w => w.WriteFrame(NapsterMessageType.Login, login.Format()), cancellationToken);
            // A server that never answers must not hang the start: closing the connection ends the read below.
            using (_peer.Runtime.Clock.Schedule(timeout, () => _connection.Dispose()))
            using (cancellationToken.Register(() => _connection.Dispose()))
            {
                while (true)
                {
                    NapsterFrame frame;
                    try { frame = await ReadFrameAsync(); }
                    catch (Exception e) when (!(e is NapsterProtocolException))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        throw new PeerException(PeerErrorIds.IndexServerUnreachable,
                            $"The Napster index server at {_peer.IndexServer} did not answer the login of '{login.Nick}' within {timeout.TotalSeconds:0} s: {e.Message}", e);
                    }
                    if (frame.Type == NapsterMessageType.LoginAck) return;
                    if (frame.Type == NapsterMessageType.Error)
                        throw new PeerException(NapsterPeer.LoginRejectedErrorId,
                            $"The Napster index server at {_peer.IndexServer} refused the login of '{login.Nick}': {frame.GetText()}. Choose another -Name.");
                    // Anything else before the acknowledgement (a notice) is not for us yet.
                }
            }
        }

        /// <summary>Tells the server about files, all in one write. Names the wire cannot carry are skipped.</summary>
        /// <summary>
        /// Shares the files this session has not shared yet, so the login's whole-folder share and a publish racing
        /// with it never send one file twice. The set is touched only inside SendAsync's builders, one at a time.
        /// </summary>
        public Task ShareAsync(IReadOnlyList<SharedFile> files, CancellationToken cancellationToken) =>
            SendAsync(w =>
            {
                foreach (var f in files)
                {
                    if (_sharedIndexes.Contains(f.Index)) continue;
                    if (NapsterShare.Write(w, WireName(f.Name), f.ContentHash, f.Size, f.Index)) _sharedIndexes.Add(f.Index);
                }
            }, cancellationToken);

        public Task UnshareAsync(SharedFile file, CancellationToken cancellationToken) =>
            SendAsync(w =>
            {
                if (_sharedIndexes.Remove(file.Index)) w.WriteFrame(NapsterMessageType.UnshareFile, NapsterUnshare.Format(WireName(file.Name)));
            }, cancellationToken);

        /// <summary>
        /// The name as announced: this wire quotes names and has no escape, so a double quote (legal in Unix file names)
        /// goes out as a single one. Downloads ask by content hash first, so the file is still found on the peer.
        /// </summary>
        static string WireName(string name) => name.Replace('"', '\'');

        public Task LogoutAsync(CancellationToken cancellationToken) =>
            SendAsync(w => w.WriteFrame(NapsterMessageType.Logout, null), cancellationToken);

        public Task SendSearchAsync(PendingSearch search, NapsterSearchRequest request, CancellationToken cancellationToken) =>
            SendAsync(w =>
            {
                if (!w.WriteFrame(NapsterMessageType.Search, request.Format()))
                    throw new ArgumentException("The search is too long for one Napster message.", nameof(request));
                lock (_queueGate)
                {
                    if (_closed) throw new PeerException(PeerErrorIds.IndexServerUnreachable, $"The connection to the Napster index server at {_peer.IndexServer} is closed.");
                    _searches.Enqueue(search);
                }
            }, cancellationToken);

        /// <remarks>
        /// Cancelling stops the wait for our turn to write, never a write already begun: half a frame on the wire, or a
        /// search queued for an answer whose request never left, would put every later frame out of step with the
        /// server. A write that fails closes the session (its outstanding searches end; the peer reconnects).
        /// </remarks>
        async Task SendAsync(Action<NapsterFrameWriter> build, CancellationToken cancellationToken)
        {
            await _writeGate.WaitAsync(cancellationToken);
            try
            {
                _writer.Clear();
                build(_writer);
                if (_writer.Length == 0) return;   // nothing to say (a share of files already shared)
                try
                {
                    await _writer.FlushToAsync(_connection.Stream, CancellationToken.None);
                }
                catch (Exception)
                {
                    Dispose();
                    throw;
                }
            }
            finally
            {
                _writer.Clear();
                _writeGate.Release();
            }
        }

        /// <summary>Reads until the connection ends; returns why. Never throws.</summary>
        public async Task<string> RunAsync()
        {
            string reason;
            try
            {
                while (true)
                {
                    var frame = await ReadFrameAsync();
                    string end = Handle(frame);
                    if (end != null) { reason = end; break; }
                }
            }
            catch (NapsterProtocolException e)
            {
                reason = "malformed message: " + e.Message;
                _peer.RaiseMalformed(Remote, e.Message);
            }
            catch (EndOfConnection e) { reason = e.Message; }
            catch (Exception e) { reason = "connection lost: " + e.Message; }
            Dispose();
            return reason;
        }

        string Handle(NapsterFrame frame)
        {
            switch (frame.Type)
            {
                case NapsterMessageType.SearchResult:
                    var result = NapsterSearchResult.Parse(frame.GetText());
                    var head = Head() ?? throw new NapsterProtocolException("a search result arrived with no search outstanding");
                    _peer.DeliverHit(head, result);
                    return null;
                case NapsterMessageType.SearchEnd:
                    PendingSearch done;
                    lock (_queueGate) done = _searches.Count > 0 ? _searches.Dequeue() : null;
                    if (done == null) throw new NapsterProtocolException("an end of search arrived with no search outstanding");
                    done.Finish();
                    return null;
                case NapsterMessageType.Error:
                    return "the server closed the session: " + frame.GetText();
                default:
                    // Notices (404) and anything newer servers send are not needed by this client.
                    return null;
            }
        }

        PendingSearch Head()
        {
            lock (_queueGate) return _searches.Count > 0 ? _searches.Peek() : null;
        }

        async Task<NapsterFrame> ReadFrameAsync()
        {
            while (true)
            {
                if (_reader.TryRead(out var frame)) return frame;
                var free = _reader.GetReceiveBuffer();
                int n = await _connection.Stream.ReadAsync(free.Array, free.Offset, free.Count, CancellationToken.None);
                if (n <= 0)
                {
                    if (_reader.Buffered > 0) throw new NapsterProtocolException("the server closed the connection in the middle of a frame");
                    throw new EndOfConnection("the index server closed the connection");
                }
                _reader.Commit(n);
            }
        }

        /// <summary>Ends every outstanding search (they return what they got) and closes the connection.</summary>
        public void Dispose()
        {
            PendingSearch[] pending;
            lock (_queueGate)
            {
                _closed = true;
                pending = _searches.ToArray();
                _searches.Clear();
            }
            foreach (var s in pending) s.Finish();
            _connection.Dispose();
        }

        sealed class EndOfConnection : Exception
        {
            public EndOfConnection(string message) : base(message) { }
        }
    }
}
