using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;

namespace PSPeer.Engine.BitTorrent
{
    // Connections: accepting and dialling, the handshake, registration (self, duplicate and ban checks), closing,
    // and each connection's read and send loops.
    public sealed partial class BitTorrentPeer
    {
        readonly List<HostPort> _candidates = new List<HostPort>();        // from trackers, not yet dialled
        readonly HashSet<HostPort> _known = new HashSet<HostPort>();        // ever queued, to queue each once
        readonly HashSet<HostPort> _dialling = new HashSet<HostPort>();
        readonly HashSet<HostPort> _bannedEndPoints = new HashSet<HostPort>();
        readonly HashSet<string> _bannedPeerIds = new HashSet<string>(StringComparer.Ordinal);
        readonly RedialBook _redial = new RedialBook();                    // addresses to dial again after a drop
        HostPort _self;
        static readonly TimeSpan SimultaneousDialWindow = TimeSpan.FromSeconds(10);

        // The admission gate accepts (connection caps, per-address limit, descriptor budget, handshake deadline).
        Task AcceptLoopAsync() => CreateAdmissionGate().RunAsync(_listener, connection => Track(AcceptAsync(connection)), Stopping);

        void Track(Task task)
        {
            lock (_loopsGate)
            {
                _loops.RemoveAll(t => t.IsCompleted);
                _loops.Add(task);
            }
        }

        /// <summary>
        /// Handshakes an accepted connection and registers it. The admission gate owns everything before that: how many
        /// strangers may be mid-handshake (its cap, making room by closing the oldest of them) and how long each may
        /// take (its deadline, Limits.HandshakeTimeout, cut from the accept until MarkEstablished).
        /// </summary>
        async Task AcceptAsync(IConnection connection)
        {
            try
            {
                var reader = new PeerWireReader(connection.Stream) { PieceCount = Torrent.PieceCount };
                var writer = new PeerWireWriter(connection.Stream);
                // aria2 (and others, by setting) open with an encrypted handshake: answered, not refused, so they need not
                // dial again with a plain one (aria2 does so a second later). The stream stays plaintext after it.
                if (!await reader.StartsWithPlainHandshakeAsync(Stopping))
                    await EncryptedHandshake.AcceptAsync(reader, connection.Stream, Torrent.InfoHash, Runtime.Random, Stopping);
                var theirs = await reader.ReadHandshakeAsync(Stopping);
                if (!theirs.InfoHash.Equals(Torrent.InfoHash)) { connection.Dispose(); return; }   // another torrent: not ours to serve
                await writer.WriteHandshakeAsync(OurHandshake(), Stopping);
                connection.MarkEstablished();
                Register(connection, reader, writer, false, null, theirs);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                if (e is PeerWireException && HasEventObservers)
                    Emit(PeerEventTypes.MalformedMessage, connection.RemoteEndPoint, "bad handshake: " + e.Message);
                connection.Dispose();
            }
        }

        /// <summary>Dials, handshakes and registers; throws PeerException Unreachable when that fails.</summary>
        async Task DialAsync(HostPort peer, CancellationToken cancellationToken)
        {
            IConnection connection = null;
            try
            {
                using (var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stopping))
                {
                    connection = await Runtime.Transport.ConnectAsync(peer.Host, peer.Port, both.Token);
                    var reader = new PeerWireReader(connection.Stream) { PieceCount = Torrent.PieceCount };
                    var writer = new PeerWireWriter(connection.Stream);
                    Handshake theirs;
                    // A connection we dialled passes no gate; it gets the same deadline from the same place, the node's limits.
                    using (Runtime.Clock.Schedule(Limits.HandshakeTimeout, connection.Dispose))
                    {
                        await writer.WriteHandshakeAsync(OurHandshake(), both.Token);
                        theirs = await reader.ReadHandshakeAsync(both.Token);
                    }
                    if (!theirs.InfoHash.Equals(Torrent.InfoHash))
                        throw new PeerWireException($"the peer answered for another torrent ({theirs.InfoHash.Hex})");
                    if (!Register(connection, reader, writer, true, peer, theirs))
                        connection = null;   // closed by Register (self, duplicate, banned, full)
                }
            }
            catch (PeerException) { connection?.Dispose(); throw; }
            catch (Exception e) when (!(e is OutOfMemoryException) && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                connection?.Dispose();
                if (e is PeerWireException && HasEventObservers) Emit(PeerEventTypes.MalformedMessage, peer.ToString(), "bad handshake: " + e.Message);
                throw new PeerException(PeerErrorIds.Unreachable, $"BitTorrent handshake with {peer} failed: {e.Message}", e);
            }
        }

        /// <summary>Adds a handshaken connection, or closes it (self, duplicate, banned, full); true when added.</summary>
        bool Register(IConnection connection, PeerWireReader reader, PeerWireWriter writer, bool outgoing, HostPort dialled, Handshake theirs)
        {
            SwarmConnection c;
            string refusal = null;
            lock (_gate)
            {
                string hex = PeerIdentity.Hex(theirs.PeerId);
                if (Stopping.IsCancellationRequested) refusal = "stopping";
                else if (PeerIdEquals(theirs.PeerId, _peerId)) { refusal = "connected to ourselves"; if (dialled != null) _self = dialled; }
                else if (_bannedPeerIds.Contains(hex)) refusal = "banned";
                else
                {
                    var existing = _connections.Find(x => x.PeerIdHex == hex);
                    if (existing != null)
                    {
                        // An established connection stays (a tracker naming a peer that dialled us must not churn it).
                        // Two fresh ones mean both ends dialled at once: both keep the one the smaller peer id dialled.
                        bool simultaneous = Runtime.Clock.Now - existing.ConnectedAt < SimultaneousDialWindow && existing.IsOutgoing != outgoing;
                        bool keepNew = simultaneous && (outgoing == (Compare(_peerId, theirs.PeerId) < 0));
                        if (!keepNew) refusal = "already connected";
                        else Close(existing, "replaced by a connection in the other direction", false);
                    }
                }
                string remoteHost = HostPort.TryParse(connection.RemoteEndPoint, out var remote) ? remote.Host : dialled?.Host;
                if (refusal == null && (refusal = MakeRoom(remoteHost)) != null && HasEventObservers)
                    Emit(PeerEventTypes.PeerEvicted, dialled?.ToString() ?? connection.RemoteEndPoint, "refused: " + refusal,
                        D("Action", "Refused"), D("Address", remoteHost), D("PeerId", hex), D("Reason", refusal));
                if (refusal != null)
                {
                    connection.Dispose();
                    return false;
                }
                c = new SwarmConnection(++_nextConnectionId, connection, reader, writer, outgoing, dialled, theirs.PeerId, Torrent.PieceCount, Runtime.Clock.Now);
                reader.BlockBuffer = (index, begin, length) => new ArraySegment<byte>(c.ReceiveBlock, 0, length);
                _connections.Add(c);
                if (dialled != null) _redial.Learn(dialled);   // by hand or from a tracker: worth dialling again if it drops
                if (_picker.Have.SetCount > 0) c.Send(PeerMessage.BitfieldOf(_picker.Have));
                if (theirs.SupportsExtensionProtocol) c.Send(s_extensionHandshake);
                if (HasEventObservers)
                    Emit(PeerEventTypes.PeerConnected, c.Remote, $"{(outgoing ? "connected to" : "accepted")} {c.Client}",
                        D("PeerId", hex), D("Client", c.Client), D("Outgoing", outgoing));
            }
            Track(ReadLoopAsync(c));
            Track(SendLoopAsync(c));
            return true;
        }

        /// <summary>
        /// Ours says we speak BEP 10, so that peers that do too (libtorrent, aria2, qBittorrent, Transmission) read our
        /// extension handshake and queue as many requests as it allows (<see cref="ExtensionHandshake"/>).
        /// </summary>
        Handshake OurHandshake() => new Handshake(Torrent.InfoHash, _peerId) { SupportsExtensionProtocol = true };

        // Sent to every peer whose handshake has the BEP 10 bit, right after our bitfield: reqq is what OnRequest keeps
        // before it refuses (MaxQueuedUploads). Shared: the writer copies a message when it is enqueued.
        static readonly PeerMessage s_extensionHandshake = ExtensionHandshakeMessage();

        static PeerMessage ExtensionHandshakeMessage()
        {
            var payload = ExtensionHandshake.Encode(MaxQueuedUploads, PeerIdentity.ClientVersion);
            return PeerMessage.Extended(ExtensionHandshake.MessageId, payload, 0, payload.Length);
        }

        static bool PeerIdEquals(byte[] a, byte[] b) => Compare(a, b) == 0;

        static int Compare(byte[] a, byte[] b)
        {
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
                if (a[i] != b[i]) return a[i].CompareTo(b[i]);
            return a.Length.CompareTo(b.Length);
        }

        /// <summary>Closes one connection: its requests go back to the picker, its pieces leave the availability counts.</summary>
        void Close(SwarmConnection c, string reason, bool malformed)
        {
            lock (_gate)
            {
                if (c.Closed) return;
                c.Closed = true;
                _connections.Remove(c);
                foreach (var r in c.Outstanding.Values) _picker.Release(r.Piece, r.Begin);
                c.Outstanding.Clear();
                _picker.ReleaseOwner(c.Id);
                c.ClearUploads();
                _picker.RemovePeer(c.PeerHas);
                if (c.Dialled != null)
                {
                    _known.Remove(c.Dialled);   // a later announce may bring it back
                    if (!Stopping.IsCancellationRequested) _redial.Dropped(c.Dialled, Runtime.Clock.Now, Runtime.Clock.Now - c.ConnectedAt);
                }
                if (malformed && HasEventObservers) Emit(PeerEventTypes.MalformedMessage, c.Remote, reason, D("PeerId", c.PeerIdHex));
                if (HasEventObservers) Emit(PeerEventTypes.PeerDisconnected, c.Remote, reason, D("PeerId", c.PeerIdHex), D("Reason", reason));
                // Blocks it held can go to the others now, and its upload slot to a waiting peer.
                if (!Stopping.IsCancellationRequested)
                {
                    foreach (var other in _connections) FillRequests(other);
                    if (!c.AmChoking) FillFreeSlots();
                }
            }
            c.Connection.Dispose();
            c.SendSignal.Set();
        }

        async Task ReadLoopAsync(SwarmConnection c)
        {
            string reason = "closed by the peer";
            bool malformed = false;
            try
            {
                var completed = new List<PieceAssembly>(2);
                while (true)
                {
                    var message = await c.Reader.ReadMessageAsync(Stopping);
                    if (message == null) break;
                    int blockBytes = 0;
                    completed.Clear();
                    lock (_gate)
                    {
                        if (c.Closed) return;
                        // Every message already whole in the receive buffer is handled under this one lock, and the
                        // pipeline topped up once after them: a lock and a request burst per read, not per block.
                        do
                        {
                            blockBytes += Handle(c, message, out int completedPiece);
                            var assembly = completedPiece >= 0 ? TakeAssembly(completedPiece) : null;
                            if (assembly != null) completed.Add(assembly);
                        }
                        while (!c.Closed && c.Reader.TryReadBuffered(out message));
                        if (blockBytes > 0) FillRequests(c, inBatches: true);
                    }
                    foreach (var assembly in completed) Track(VerifyAsync(assembly));
                    if (blockBytes > 0 && !_downloadLimit.IsUnlimited)
                    {
                        var wait = _downloadLimit.Reserve(blockBytes);
                        if (wait > TimeSpan.Zero) await Runtime.Clock.Delay(wait, Stopping);
                    }
                }
            }
            catch (PeerWireException e) { reason = e.Message; malformed = true; }
            catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is OperationCanceledException || e is PeerException)
            {
                reason = Stopping.IsCancellationRequested ? "the node is stopping" : e.Message;
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // A bug of ours, not the peer's: still, it ends this connection only, and says so.
                reason = "internal error: " + e;
            }
            Close(c, reason, malformed);
        }
    }
}
