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
    /// <summary>
    /// The index server's side of one peer's connection: one read loop that decodes every frame a read brings,
    /// answers into one writer, and writes once per read (all results and the end marker together). Only this loop
    /// writes to the connection, so writes need no lock. A protocol violation ends this connection only.
    /// </summary>
    sealed class NapsterServerConnection
    {
        const int FlushThreshold = 256 * 1024;   // bound on answers queued while decoding one read
        const string LoginAckPayload = "anon@pspeer";

        readonly NapsterIndexServer _server;
        readonly IConnection _connection;
        // Small to start: strangers that never log in cost little (the reader must still hold one largest frame; the
        // writer grows once for a connection that asks for big result lists).
        readonly NapsterFrameReader _reader = new NapsterFrameReader(NapsterFrameReader.MaxPayload, 16 * 1024);
        readonly NapsterFrameWriter _writer = new NapsterFrameWriter(1024);
        readonly List<IndexedFile> _hits = new List<IndexedFile>();
        readonly List<byte[]> _suffixes = new List<byte[]>();
        readonly byte[] _hash = new byte[20];
        readonly string _ip;
        bool _loggedIn;
        string _closeReason;
        IDisposable _frameDeadline;   // armed while a frame is half received after login

        public NapsterServerConnection(NapsterIndexServer server, IConnection connection)
        {
            _server = server;
            _connection = connection;
            Remote = connection.RemoteEndPoint;
            _ip = HostPort.TryParse(Remote, out var hp) ? hp.Host : Remote;
        }

        public string Remote { get; }
        public string Nick { get; private set; }
        public int PeerId { get; private set; } = -1;
        /// <summary>" 0 0 0 nick ip link-speed data-port " — the part of every result that depends only on the owner.</summary>
        public byte[] ResultSuffix { get; private set; }

        /// <summary>Closes the connection from outside (server stopping); the read loop then ends.</summary>
        public void Abort()
        {
            _closeReason = _closeReason ?? "server stopping";
            _connection.Dispose();
        }

        public async Task RunAsync()
        {
            string reason;
            try
            {
                reason = await ServeAsync();
            }
            catch (NapsterProtocolException e)
            {
                reason = "malformed message: " + e.Message;
                _server.Raise(PeerEventTypes.MalformedMessage, Remote, e.Message, NapsterIndexServer.Data("Reason", e.Message));
            }
            catch (Exception e)
            {
                reason = _closeReason ?? "connection lost: " + e.Message;
            }
            _frameDeadline?.Dispose();
            _connection.Dispose();
            if (_loggedIn)
            {
                int removed = _server.Logout(this);
                _server.Raise(PeerEventTypes.LoggedOut, Remote, $"{Nick} left; {Plural.Of(removed, "file")} removed",
                    NapsterIndexServer.Data("Nick", Nick), NapsterIndexServer.Data("FilesRemoved", removed));
            }
            _server.Raise(PeerEventTypes.ConnectionClosed, Remote, reason, NapsterIndexServer.Data("Reason", reason));
            _server.Forget(this);
        }

        async Task<string> ServeAsync()
        {
            var stream = _connection.Stream;
            while (true)
            {
                var free = _reader.GetReceiveBuffer();
                int n = await stream.ReadAsync(free.Array, free.Offset, free.Count, CancellationToken.None);
                if (n <= 0)
                {
                    if (_closeReason != null) return _closeReason;   // we closed it (a deadline, the server stopping)
                    if (_reader.Buffered > 0) throw new NapsterProtocolException($"the connection closed in the middle of a frame ({_reader.Buffered} bytes of it arrived)");
                    return _closeReason ?? (_loggedIn ? "peer closed the connection" : "closed before login");
                }
                _reader.Commit(n);
                string endReason = null;
                int decoded = 0;
                try
                {
                    while (endReason == null && _reader.TryRead(out var frame))
                    {
                        decoded++;
                        endReason = Handle(frame);
                        if (_writer.Length >= FlushThreshold) await _writer.FlushToAsync(stream, CancellationToken.None);
                    }
                }
                catch (NapsterProtocolException)
                {
                    // The answers to the frames before the bad one were earned: send them, then close.
                    try { await _writer.FlushToAsync(stream, CancellationToken.None); } catch (Exception) { }
                    throw;
                }
                await _writer.FlushToAsync(stream, CancellationToken.None);
                if (endReason != null) return endReason;
                WatchHalfFrame(decoded > 0);
            }
        }

        /// <remarks>
        /// A logged-in peer may stay quiet for hours (its files stay indexed), but a frame it has begun must arrive whole
        /// within the limits' MessageTimeout: a half-sent frame, or one trickled a byte at a time, is cut. The deadline
        /// starts when a read ends inside a frame and restarts whenever a read completes a frame (the peer is making
        /// progress); before login the admission gate's login deadline applies instead.
        /// </remarks>
        void WatchHalfFrame(bool progressed)
        {
            if (!_loggedIn || _reader.Buffered == 0)
            {
                _frameDeadline?.Dispose();
                _frameDeadline = null;
                return;
            }
            if (_frameDeadline != null && !progressed) return;
            _frameDeadline?.Dispose();
            var timeout = _server.Limits.MessageTimeout;
            _frameDeadline = _server.Runtime.Clock.Schedule(timeout, () =>
            {
                _closeReason = _closeReason ?? $"a frame begun was not complete within {timeout.TotalSeconds:0.###} s";
                _connection.Dispose();
            });
        }

        /// <summary>Handles one frame; returns a reason when the connection must close after the answers are sent.</summary>
        string Handle(NapsterFrame frame)
        {
            if (!_loggedIn)
            {
                if (frame.Type != NapsterMessageType.Login)
                    throw new NapsterProtocolException($"message type {(ushort)frame.Type} before login");
                return HandleLogin(NapsterLogin.Parse(frame.GetText()));
            }
            switch (frame.Type)
            {
                case NapsterMessageType.ShareFile: HandleShare(NapsterShare.Parse(frame.GetText())); return null;
                case NapsterMessageType.UnshareFile: HandleUnshare(NapsterUnshare.Parse(frame.GetText())); return null;
                case NapsterMessageType.Search: HandleSearch(NapsterSearchRequest.Parse(frame.GetText())); return null;
                case NapsterMessageType.Logout: return "logged out";
                case NapsterMessageType.Login:
                    _writer.WriteFrame(NapsterMessageType.ServerMessage, "already logged in");
                    return null;
                default:
                    // Other OpenNap commands (chat, browse, ping) are not served; say so and keep the session.
                    _writer.WriteFrame(NapsterMessageType.ServerMessage, $"unsupported message type {(ushort)frame.Type}");
                    return null;
            }
        }

        string HandleLogin(NapsterLogin login)
        {
            if (!_server.TryLogin(this, login.Nick, out int peerId))
            {
                _writer.WriteFrame(NapsterMessageType.Error, $"nick {login.Nick} is already logged in");
                return $"nick {login.Nick} is already in use";
            }
            Nick = login.Nick;
            PeerId = peerId;
            ResultSuffix = Encoding.UTF8.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                " 0 0 0 {0} {1} {2} {3} ", login.Nick, NapsterSearchResult.EncodeIp(_ip), login.LinkSpeed, login.DataPort));
            _loggedIn = true;
            _connection.MarkEstablished();
            _writer.WriteFrame(NapsterMessageType.LoginAck, LoginAckPayload);
            _server.Raise(PeerEventTypes.LoggedIn, Remote, $"{login.Nick} logged in (data port {login.DataPort})",
                NapsterIndexServer.Data("Nick", login.Nick), NapsterIndexServer.Data("DataPort", login.DataPort));
            return null;
        }

        void HandleShare(NapsterShare share)
        {
            // Bounds what one peer can make the server hold: MaxFilesPerPeer names of at most MaxNameBytes each.
            if (System.Text.Encoding.UTF8.GetByteCount(share.Name) > NapsterIndexServer.MaxNameBytes)
            {
                _writer.WriteFrame(NapsterMessageType.ServerMessage, $"not indexed: file names are limited to {NapsterIndexServer.MaxNameBytes} bytes");
                return;
            }
            if (!_server.Share(PeerId, share))
            {
                _writer.WriteFrame(NapsterMessageType.ServerMessage, $"share limit of {NapsterIndexServer.MaxFilesPerPeer} files reached");
                return;
            }
            if (_server.IsWatched)
                _server.Raise(PeerEventTypes.FileShared, Remote, $"{Nick} shares {share.Name}",
                NapsterIndexServer.Data("Nick", Nick), NapsterIndexServer.Data("Name", share.Name),
                NapsterIndexServer.Data("Size", share.Size), NapsterIndexServer.Data("ContentHash", share.Hash.ToString()));
        }

        void HandleUnshare(string name)
        {
            if (!_server.Unshare(PeerId, name)) return;
            _server.Raise(PeerEventTypes.FileUnshared, Remote, $"{Nick} no longer shares {name}",
                NapsterIndexServer.Data("Nick", Nick), NapsterIndexServer.Data("Name", name));
        }

        void HandleSearch(NapsterSearchRequest request)
        {
            if (_server.IsWatched)
                _server.Raise(PeerEventTypes.SearchReceived, Remote, request.Keywords, NapsterIndexServer.Data("Query", request.Keywords));
            int max = Math.Min(request.MaxResults, NapsterIndexServer.MaxResultsCap);
            _hits.Clear();
            _suffixes.Clear();
            var keywords = KeywordTokenizer.Tokenize(request.Keywords);
            var excluded = request.Excluded.Length == 0 ? null : KeywordTokenizer.Tokenize(request.Excluded);
            _server.Search(keywords, excluded, max, _hits, _suffixes);
            int sent = 0;
            for (int i = 0; i < _hits.Count; i++)
            {
                if (_suffixes[i] == null) continue;
                var f = _hits[i];
                f.CopyHashTo(_hash, 0);
                _writer.Begin(NapsterMessageType.SearchResult)
                    .Append('"').Append(f.NameUtf8).Append('"').Append(' ')
                    .AppendSha1Urn(_hash, 0).Append(' ').Append(f.Size)
                    .Append(_suffixes[i]).Append((long)f.FileIndex);
                if (_writer.End()) sent++;
            }
            _writer.WriteFrame(NapsterMessageType.SearchEnd, null);
            if (_server.IsWatched)
                _server.Raise(PeerEventTypes.SearchAnswered, Remote, $"{Plural.Of(sent, "hit")} for {request.Keywords}",
                NapsterIndexServer.Data("Query", request.Keywords), NapsterIndexServer.Data("Hits", sent));
        }
    }
}
