using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// A Gnutella 0.6 servent: one listener for Gnutella links, HTTP downloads and GIV callbacks; floods queries with
    /// TTL and routes QueryHits back along the reverse path; an ultrapeer or a leaf.
    /// </summary>
    /// <remarks>
    /// This file holds the lifecycle, the links and the accept side. Routing of descriptors is in
    /// GnutellaServent.Routing.cs, searching in GnutellaServent.Search.cs, downloads and Push/GIV in
    /// GnutellaServent.Transfer.cs, the handshake in GnutellaServent.Handshake.cs.
    /// Live, descriptors arrive on many threads: the links are added to in place and replaced whole when one goes
    /// (<see cref="LinkList"/>: routing reads without locking and never meets half a change), and the routing tables are
    /// used under <see cref="_gate"/>.
    /// </remarks>
    public sealed partial class GnutellaServent : PeerNodeBase, ISearchNode, ISharingNode, ILinkOwner
    {
        public const string UserAgent = "PSPeer/0.1";
        static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
        static readonly TimeSpan ByeTimeout = TimeSpan.FromSeconds(2);
        static readonly TimeSpan PingSilentAfter = TimeSpan.FromSeconds(15);
        static readonly TimeSpan CloseSilentAfter = TimeSpan.FromSeconds(45);

        readonly object _gate = new object();
        // False in a simulation, whose one loop runs every servent: the routing hot paths then take no locks (Locked).
        readonly bool _locks;
        // Runtime.Clock, kept for the routing hot paths: asking the runtime for it is an interface call on an object of
        // the host's, one more cache miss per descriptor in a large simulation.
        readonly IClock _clock;
        readonly HostCache _hosts;
        // Marks routes that end here (our own queries and pings) in the route tables.
        static readonly object Self = new object();

        LinkList _links = LinkList.Empty;       // added to in place under _gate, a new list per removal (AddLink, RemoveLink)
        // The same links by kind, in the same order: a query goes on to the ultrapeers and down to the leaves, and each
        // loop then reads only the links it sends to (every link read is a cache miss in a large simulation). The array
        // holds the links, then nulls (a reader stops at the first null or at its end): it is added to in place, as
        // _links is. Where every link is an ultrapeer's, it is _links' own array. The leaf links are kept with their
        // QRP tables' folds (_leaves, GnutellaServent.LeafFolds.cs).
        GnutellaLink[] _ultrapeerLinks = NoLinks;
        static readonly GnutellaLink[] NoLinks = new GnutellaLink[0];
        // Room a servent's first link array is made with: a leaf's ultrapeers fit exactly; an ultrapeer's arrays double.
        const int FirstUltrapeerRoom = 8;
        int _runningLinks;                          // read loops not yet ended, under _gate (no task kept per link)
        IListener _listener;
        HostPort _listenEndPoint;
        // What few servents of a simulated network ever need, made when first needed (RareState).
        RareState _rare;
        Task _acceptLoop;
        Task _maintenance;
        volatile LocalFileMatcher _local = LocalFileMatcher.Empty;
        volatile QueryRouteTable _ownTable;
        long _rttTicks = TimeSpan.FromMilliseconds(100).Ticks;     // smoothed link round trip, for the search's rings
        int _rttSamples;

        public GnutellaServent(IPeerRuntime runtime, string name, GnutellaOptions options)
            : base(runtime, name, "Gnutella", (options ?? new GnutellaOptions()).Role == GnutellaRole.Leaf ? "Leaf" : "Ultrapeer")
        {
            Options = options ?? new GnutellaOptions();
            if (Options.Port < 0 || Options.Port > 65535) throw new ArgumentOutOfRangeException(nameof(options), Options.Port, "A port is 0 to 65535.");
            if (Options.MaxTtl < 1 || Options.MaxTtl > 255) throw new ArgumentOutOfRangeException(nameof(options), Options.MaxTtl, "MaxTtl is 1 to 255.");
            GnutellaRole = Options.Role;
            // A simulation runs every servent on its one loop: no thread ever meets another here (see _locks).
            _locks = !runtime.IsSimulated;
            _clock = runtime.Clock;
            Counters = new GnutellaCounters(singleThreaded: runtime.IsSimulated);
            Shared = new SharedFolder(runtime, Options.SharedPath);
            ServentId = Options.ServentId ?? GnutellaGuid.New(runtime.Random);
            // The route tables are made on first use (GnutellaServent.RouteTables.cs), aged from now. The host cache's
            // calls are short: it takes _gate rather than a lock object of its own (a simulated network holds millions).
            _madeUtcTicks = _clock.Now.UtcTicks;
            _tracksQueryTtls = Options.DynamicQuerying && Options.Role != GnutellaRole.Leaf;
            _hosts = new HostCache(1000, _gate);
            if (Options.Bootstrap != null) foreach (var b in Options.Bootstrap) _hosts.Add(b, knownUltrapeer: true);
        }

        public GnutellaOptions Options { get; }
        public GnutellaRole GnutellaRole { get; }
        public GnutellaGuid ServentId { get; }
        public GnutellaCounters Counters { get; }
        public SharedFolder Shared { get; }
        public override int SharedFileCount => Shared.Files.Count;
        bool IsLeaf => GnutellaRole == GnutellaRole.Leaf;

        /// <summary>Live Gnutella links (after the handshake).</summary>
        public int ConnectionCount => Volatile.Read(ref _links).Length;

        /// <summary>Remote listening endpoints ("host:port") of the live links.</summary>
        public IReadOnlyList<string> Neighbors => Volatile.Read(ref _links).Select(l => l.Remote).ToList();

        /// <summary>Links to ultrapeers (for a leaf: its ultrapeers).</summary>
        public int UltrapeerLinkCount => CountLinks(ultrapeers: true);
        /// <summary>Links to leaves (an ultrapeer's shielded leaves).</summary>
        public int LeafLinkCount => CountLinks(ultrapeers: false);

        // A loop over the list's own enumerator (a struct): LINQ would box it, and every handshake asks (X-Ultrapeer-Needed).
        int CountLinks(bool ultrapeers)
        {
            int n = 0;
            foreach (var l in Volatile.Read(ref _links)) if (l.RemoteIsUltrapeer == ultrapeers) n++;
            return n;
        }

        /// <summary>The live links, as an array of their own (for tests and measurements in this assembly's friends).</summary>
        internal IReadOnlyList<GnutellaLink> Links => Volatile.Read(ref _links).ToArray();
        /// <summary>The links to ultrapeers, in the order of <see cref="Links"/> (what a query is forwarded on).</summary>
        internal IReadOnlyList<GnutellaLink> UltrapeerLinks => Volatile.Read(ref _ultrapeerLinks).TakeWhile(l => l != null).ToList();
        /// <summary>The links to leaves, in the order of <see cref="Links"/> (what a query is passed down to).</summary>
        internal IReadOnlyList<GnutellaLink> LeafLinks => Volatile.Read(ref _leaves).TakeWhile(l => l.Link != null).Select(l => l.Link).ToList();
        /// <summary>The array the links are kept in, nulls after them (for tests: it grows in place).</summary>
        internal GnutellaLink[] LinkArray => Volatile.Read(ref _links).Items;
        /// <summary>The array of ultrapeer links is the array of all links (every link is an ultrapeer's; for tests).</summary>
        internal bool UltrapeerLinksShareArray => ReferenceEquals(Volatile.Read(ref _ultrapeerLinks), Volatile.Read(ref _links).Items);
        /// <summary>Links compressed in at least one direction.</summary>
        public int CompressedLinkCount => Volatile.Read(ref _links).Count(l => l.SendsCompressed || l.ReceivesCompressed);
        /// <summary>Where this servent listens, as it says in Listen-IP (null before it started).</summary>
        internal HostPort ListenAddress => _listenEndPoint;

        /// <summary>Hosts known from Bootstrap, Pongs and X-Try-Ultrapeers.</summary>
        public int KnownHostCount => _hosts.Count;

        protected override async Task OnStartAsync(CancellationToken cancellationToken)
        {
            if (Shared.Root != null) await Shared.ScanAsync(cancellationToken);
            RebuildLocalIndex();
            _listener = await Runtime.Transport.ListenAsync(Options.Port, cancellationToken);
            EndPoint = _listener.EndPoint;
            // The object other servents' Listen-IP headers and lists resolve to when they name us (one HostPort per host).
            _listenEndPoint = HostCache.Shared(ListenEndPointOf(EndPoint, _listener.Port));
            _acceptLoop = AcceptLoopAsync();
            StartReachabilityCheck();
            if (Options.AutoConnect) _maintenance = MaintainLinksAsync();
            // Without AutoConnect there is no maintenance round to free quiet links' compressors: a sweep of its own.
            else if (CompressionEnabled) _maintenance = SweepCompressorsAsync();
        }

        async Task SweepCompressorsAsync()
        {
            while (!Stopping.IsCancellationRequested)
            {
                try { await Runtime.Clock.Delay(TimeSpan.FromSeconds(5), Stopping); } catch (OperationCanceledException) { return; }
                foreach (var link in Volatile.Read(ref _links)) link.ReleaseCompressorIfIdle();
            }
        }

        protected override async Task OnStopAsync()
        {
            _listener?.Dispose();
            _reachabilityCheck?.Dispose();
            GnutellaLink[] links;
            Task linksEnded;
            lock (_gate)
            {
                links = _links.ToArray();   // a snapshot: the list itself may still grow
                if (_runningLinks > 0) Rare.LinksEnded = new TaskCompletionSource<bool>();
                linksEnded = _rare?.LinksEnded?.Task ?? Task.CompletedTask;
            }
            CloseHandshakes();
            // A Bye tells the others this is a departure, not a crash; a link that cannot take it at once is just closed.
            var byes = links.Select(l => l.SayByeAndCloseAsync(200, "servent stopping")).ToArray();
            using (Runtime.Clock.Schedule(ByeTimeout, () => { foreach (var l in links) l.Close("servent stopping"); }))
            {
                try { await Task.WhenAll(byes); } catch (Exception) { }
            }
            FailPendingTransfers();
            if (_acceptLoop != null) { try { await _acceptLoop; } catch (Exception) { } }
            if (_maintenance != null) { try { await _maintenance; } catch (Exception) { } }
            await linksEnded;
            // Made now if it never was, so that a request arriving late meets a stopped server and is closed at once.
            await Http.StopAsync();
        }

        /// <summary>
        /// Where we listen, as a HostPort that shares the host's own address string (one address string per host). Our
        /// own "address:port" is taken as it is, without parsing it into a HostPort and a copy of the address first.
        /// </summary>
        HostPort ListenEndPointOf(string endPoint, int port)
        {
            string own = Runtime.HostAddress;
            if (own != null && ReferenceEquals(HostOf(endPoint, own), own) && DecimalAt(endPoint, own.Length + 1) == port)
                return new HostPort(own, port);
            var listen = HostPort.TryParse(endPoint, out var ep) ? ep : new HostPort(own, port);
            return listen.Host == own ? new HostPort(own, listen.Port) : listen;
        }

        // The number written in digits from text[from] to the end (HostOf checked they are digits of a port).
        static int DecimalAt(string text, int from)
        {
            int n = 0;
            for (int i = from; i < text.Length; i++) n = n * 10 + (text[i] - '0');
            return n;
        }

        /// <summary>Opens a link to <paramref name="peer"/>; completes after the 0.6 handshake.
        /// PeerException PeerUnreachable / HandshakeRefused.</summary>
        public Task ConnectAsync(HostPort peer, CancellationToken cancellationToken = default)
        {
            if (peer == null) return Task.FromException(new ArgumentNullException(nameof(peer)));
            // Starting counts once the listener is up: AutoConnect dials its bootstrap hosts from there.
            var state = State;
            if ((state != NodeState.Running && state != NodeState.Starting) || _listenEndPoint == null || Stopping.IsCancellationRequested)
                return Task.FromException(new PeerException(PeerErrorIds.NodeNotRunning, $"Gnutella servent '{Name}' is not running: start it before connecting it to others."));
            // The handshake starts the link itself: one async method per dial, not two.
            return HandshakeOutgoingAsync(peer, cancellationToken);
        }

        // The admission gate accepts (connection caps, per-address limit, descriptor budget, handshake deadline).
        Task AcceptLoopAsync() => CreateAdmissionGate().RunAsync(_listener, connection => { _ = DispatchIncomingAsync(connection); }, Stopping);

        /// <summary>
        /// Reads the first four bytes of a new connection to tell what it is: a Gnutella handshake, an HTTP request
        /// (GET/HEAD, served from the shared folder), or a GIV for a push download we asked for.
        /// </summary>
        async Task DispatchIncomingAsync(IConnection connection)
        {
            // The remote endpoint is read where an event needs it: a simulated end makes the "host:port" string anew each
            // time it is asked, and most handshakes report nothing.
            // Its deadline and the servent's stop end the handshake by closing the connection (see HandshakeDeadline).
            var deadline = BeginHandshake(connection);
            if (deadline == null) { connection.Dispose(); return; }
            bool handedOver = false;
            Task serving = null;
            try
            {
                // One reader for the sniff and the handshake heads; where it needs a buffer of its own, 512 bytes hold
                // a whole CONNECT of ours.
                var reader = new HandshakeHeadReader(connection.Stream, GnutellaHandshake.DefaultMaxHeadBytes, 512);
                while (!reader.Has(4))
                {
                    if (reader.Ended) return;
                    await reader.WaitAsync(CancellationToken.None);
                }
                NoteIncoming(connection);
                if (reader.StartsWith("GET ") || reader.StartsWith("HEAD"))
                {
                    // Served outside the handshake's deadline: a download may take much longer than a handshake.
                    if (!EndHandshake(deadline)) return;
                    handedOver = true;
                    serving = Http.ServeAsync(connection, reader.TakeBuffered());
                    return;
                }
                if (reader.StartsWith("GIV "))
                {
                    handedOver = await AcceptGivAsync(connection, reader.TakeBuffered(), deadline);
                    if (handedOver) connection.MarkEstablished();
                    return;
                }

                // The Gnutella 0.6 handshake, accepting side: CONNECT, our 200 (or 4xx/503 with X-Try-Ultrapeers),
                // the confirmation. Each refusal is answered, and the connection closed below. (Few locals live across
                // its awaits, and no await sits in a catch: a network build holds one of these frames per link it makes.)
                // "GNUT" is the only start a 0.6 handshake can have; anything else would only make us wait for a blank line.
                if (!reader.StartsWith("GNUT"))
                {
                    await RefuseAsync(connection.Stream, 400, "Not a Gnutella 0.6 handshake", null, CancellationToken.None);
                    Emit(PeerEventTypes.MalformedMessage, connection.RemoteEndPoint, "not a Gnutella handshake", D("Reason", "not a Gnutella handshake"));
                    return;
                }
                HandshakeHead head;
                try { while (!reader.TryTakeHead(out head)) await reader.WaitAsync(CancellationToken.None); }
                catch (GnutellaProtocolException e) when (!ClosedUnder(deadline))
                {
                    Emit(PeerEventTypes.MalformedMessage, connection.RemoteEndPoint, e.Message, D("Reason", e.Message));
                    head = null;
                }
                if (head == null || !head.IsConnect)
                {
                    if (head != null)
                        Emit(PeerEventTypes.MalformedMessage, connection.RemoteEndPoint, "handshake is not GNUTELLA CONNECT/0.6: " + head.StartLine, D("Reason", head.StartLine));
                    await RefuseAsync(connection.Stream, 400, head == null ? "Bad handshake" : "Gnutella 0.6 required", null, CancellationToken.None);
                    return;
                }
                // The gate already took the address from the endpoint.
                string remoteAddress = connection is AdmittedConnection admitted ? admitted.Address : HostOf(connection.RemoteEndPoint, null);
                var hello = TakeHello(head, remoteAddress);
                HandshakeHeadReader.Release(ref head);
                string refusal = TakeSlot(hello.RemoteUltrapeer, hello.Listen, remoteAddress, connection);
                if (refusal != null)
                {
                    await RefuseAsync(connection.Stream, 503, refusal, _hosts.TryUltrapeersHeader(MaxTryUltrapeers, hello.Listen), CancellationToken.None);
                    return;
                }
                var answer = Answer(hello, remoteAddress);
                long sentAt = Runtime.Clock.Now.UtcTicks;
                await SendHeadAsync(connection.Stream, answer, CancellationToken.None);

                // Whatever came in behind the CONNECT head (an eager peer's confirmation, even its first messages) is read first.
                while (!reader.TryTakeHead(out head)) await reader.WaitAsync(CancellationToken.None);
                var confirmation = TakeConfirmation(head, hello);
                HandshakeHeadReader.Release(ref head);
                if (!confirmation.Accepted) return;   // the initiator changed its mind
                if (confirmation.Unreadable != null)
                {
                    string unreadable = confirmation.Unreadable;
                    Emit(PeerEventTypes.MalformedMessage, connection.RemoteEndPoint, $"Content-Encoding '{unreadable}' is not supported", D("Reason", "Content-Encoding " + unreadable));
                    return;
                }
                RecordRtt(TimeSpan.FromTicks(Runtime.Clock.Now.UtcTicks - sentAt));
                bool remoteUltrapeer = hello.RemoteUltrapeer;
                if (remoteUltrapeer && confirmation.StaysLeaf)
                {
                    remoteUltrapeer = false;
                    string full = TakeSlot(remoteUltrapeer, hello.Listen, remoteAddress, connection);
                    if (full != null)
                    {
                        if (hello.AcceptsBye) await SayByeAsync(connection.Stream, 503, full, CancellationToken.None);
                        return;
                    }
                }
                // The connection is the link's only once the deadline can no longer take it.
                if (!EndHandshake(deadline)) return;
                var link = IncomingLink(connection, hello, remoteUltrapeer, confirmation.Inflate, remoteAddress, reader.TakeBuffered());
                connection.MarkEstablished();
                handedOver = true;
                StartLink(link);
            }
            catch (GnutellaProtocolException e) when (!ClosedUnder(deadline))
            {
                Emit(PeerEventTypes.MalformedMessage, connection.RemoteEndPoint, e.Message, D("Reason", e.Message));
            }
            catch (Exception) { /* timed out, reset or stopping: nothing to tell anyone */ }
            finally
            {
                EndHandshake(deadline);
                if (!handedOver) connection.Dispose();
            }
            if (serving != null) await serving;
        }

        /// <summary>
        /// The HTTP server for GETs on the servent's port and push uploads, made when first needed: most servents of a
        /// simulated network never serve one, and it would cost each a server and a delegate.
        /// </summary>
        HttpFileServer Http
        {
            get
            {
                var rare = Rare;
                var http = Volatile.Read(ref rare.Http);
                if (http != null) return http;
                var made = new HttpFileServer(Runtime, Shared, (type, remote, message) => Emit(type, remote, message)) { Limits = Limits };
                return Interlocked.CompareExchange(ref rare.Http, made, null) ?? made;
            }
        }

        /// <summary>Whether the HTTP server was made yet (for tests: a servent that served nothing holds none).</summary>
        internal bool HoldsHttpServer => Volatile.Read(ref _rare)?.Http != null;

        /// <summary>
        /// What few servents of a simulated network ever need: an HTTP server, the wait for the read loops when it stops,
        /// the state of its last-hop QRP table for other ultrapeers (its lock is this object). Five fields on every servent
        /// were 40 bytes of every node; this is one, and the object is made by whichever thread first needs it.
        /// </summary>
        sealed class RareState
        {
            public HttpFileServer Http;                       // made by the first HTTP request or push upload (see Http)
            public TaskCompletionSource<bool> LinksEnded;     // under _gate: made by OnStopAsync when it has read loops to wait for
            public QueryRouteTable UpTableSent;               // what the ultrapeers have from us (null until the first is built)
            public IDisposable UpTableTimer;
        }

        /// <summary>Whether the rare state was made yet (for tests: a simulated servent that routes and searches holds none).</summary>
        internal bool HoldsRareState => Volatile.Read(ref _rare) != null;

        RareState Rare
        {
            get
            {
                var rare = Volatile.Read(ref _rare);
                if (rare != null) return rare;
                var made = new RareState();
                return Interlocked.CompareExchange(ref _rare, made, null) ?? made;
            }
        }

        /// <summary>Registers a link that finished its handshake and starts its read loop.</summary>
        void StartLink(GnutellaLink link)
        {
            lock (_gate)
            {
                if (Stopping.IsCancellationRequested) { link.Close("servent stopping"); return; }
                AddLink(link);
                _runningLinks++;
            }
            // Known, but not yet proven: a servent that drops us right after the handshake keeps its dial back-off
            // (JudgeDialledHost decides when the link ends).
            if (link.ListenEndPoint != null)
                _hosts.Add(link.ListenEndPoint, knownUltrapeer: link.RemoteIsUltrapeer, knownLeaf: link.RemoteIsLeaf);
            link.ConnectedAt = Runtime.Clock.Now;   // and the last heard of it, until keepalive records a descriptor
            // Asked first: the arguments alone (the link's name, boxed flags) cost every link of a big simulation.
            if (HasEventObservers)
                Emit(PeerEventTypes.Connected, link.Remote, link.RemoteIsUltrapeer ? "ultrapeer link" : "leaf link",
                    D("Ultrapeer", link.RemoteIsUltrapeer), D("Outgoing", link.Outgoing),
                    D("SendsCompressed", link.SendsCompressed), D("ReceivesCompressed", link.ReceivesCompressed));
            // Nobody awaits the loop: it reports its end to OnLinkEnded, and OnStopAsync counts the loops still running.
            link.Start(this);
            // What a new link needs first: our QRP table if it is our ultrapeer; a Ping to learn more hosts.
            if (IsLeaf && link.RemoteIsUltrapeer) SendQueryRouteTable(link);
            if (SpeaksUltrapeerQrp(link)) SendUltrapeerTable(link);
            if (Options.AutoConnect) SendPing(link, 2);
        }

        /// <summary>
        /// Locks <paramref name="gate"/> for a <c>using</c> where live threads may meet (routing state, a leaf's QRP table);
        /// a simulated servent is only ever run by its simulation's loop and locks nothing.
        /// </summary>
        OptionalLock Locked(object gate) => new OptionalLock(_locks ? gate : null);

        void ILinkOwner.OnMessage(GnutellaLink link, Wire.GnutellaMessage message) => OnMessage(link, message);

        /// <summary>A link's read loop ended: close it (with a Bye when the other servent broke the protocol) and forget it.</summary>
        Task ILinkOwner.OnLinkEnded(GnutellaLink link, LinkEnd end)
        {
            if (end.Malformed && end.Error == null) return EndMalformedLinkAsync(link, end.Reason);
            try
            {
                link.Close(end.Reason);
                ForgetLink(link, end.Reason, end.Error?.Message ?? end.Reason);
            }
            catch (Exception e) { ForgetLinkAfterError(link, e); }
            finally { LinkLoopEnded(); }
            return Task.CompletedTask;
        }

        async Task EndMalformedLinkAsync(GnutellaLink link, string reason)
        {
            try
            {
                Emit(PeerEventTypes.MalformedMessage, link.Remote, reason, D("Reason", reason));
                await link.SayByeAndCloseAsync(400, reason);
                ForgetLink(link, reason, reason);
            }
            catch (Exception e) { ForgetLinkAfterError(link, e); }
            finally { LinkLoopEnded(); }
        }

        void ForgetLink(GnutellaLink link, string reason, string reasonData)
        {
            RemoveLink(link);
            JudgeDialledHost(link);
            // link.Remote formats an address: only worth it when someone watches (a 10^5 build closes links by the thousand).
            if (HasEventObservers) Emit(PeerEventTypes.ConnectionClosed, link.Remote, reason, D("Reason", reasonData));
        }

        // A bug in the end handling itself still costs one link, never the servent.
        void ForgetLinkAfterError(GnutellaLink link, Exception e)
        {
            try
            {
                link.Close("internal error: " + e.Message);
                ForgetLink(link, "internal error: " + e.Message, e.Message);
            }
            catch (Exception) { }
        }

        void LinkLoopEnded()
        {
            TaskCompletionSource<bool> all = null;
            lock (_gate) if (--_runningLinks == 0) all = _rare?.LinksEnded;
            all?.TrySetResult(true);
        }

        /// <summary>
        /// Under _gate: <paramref name="link"/> joins the links and the array of its kind, at their ends, in place where
        /// there is room (see <see cref="LinkList"/>). The other kind's array does not change. Live, a reader may see one
        /// array changed before the other, which is what it would see of a link that came a moment later.
        /// </summary>
        void AddLink(GnutellaLink link)
        {
            var links = _links;
            bool shared = ReferenceEquals(_ultrapeerLinks, links.Items);
            int room = IsLeaf ? Math.Max(1, Options.LeafUltrapeerLinks) : FirstUltrapeerRoom;
            if (link.RemoteIsUltrapeer)
            {
                links = links.With(link, room);
                // Every link still an ultrapeer's: the one array serves both (it may be new, having grown).
                if (shared || links.Count == 1) Volatile.Write(ref _ultrapeerLinks, links.Items);
                else Volatile.Write(ref _ultrapeerLinks, Appended(_ultrapeerLinks, link));
            }
            else
            {
                if (shared && links.Count > 0)
                {
                    // The first leaf: the ultrapeers get an array of their own before the leaf goes into the shared one
                    // (in a new list, so a reader still walking the shared array as ultrapeer links never meets it).
                    Volatile.Write(ref _ultrapeerLinks, OfKind(links, Math.Max(4, links.Count + 1)));
                    links = links.With(link, room, inPlace: false);
                }
                else links = links.With(link, room);
                AddLeaf(link);
            }
            Volatile.Write(ref _links, links);
        }

        /// <summary>
        /// <paramref name="items"/> (links, then nulls) with <paramref name="link"/> at the end of its links: written in
        /// place when there is room, else into a copy with twice the room.
        /// </summary>
        static GnutellaLink[] Appended(GnutellaLink[] items, GnutellaLink link)
        {
            int count = LinksIn(items);
            if (count < items.Length)
            {
                Volatile.Write(ref items[count], link);
                return items;
            }
            var grown = new GnutellaLink[Math.Max(4, count * 2)];
            Array.Copy(items, grown, count);
            grown[count] = link;
            return grown;
        }

        /// <summary>How many links <paramref name="items"/> holds before its first null.</summary>
        static int LinksIn(GnutellaLink[] items)
        {
            int n = 0;
            while (n < items.Length && items[n] != null) n++;
            return n;
        }

        /// <summary>The ultrapeer links of <paramref name="links"/>, in order, in an array of their own (nulls after them).</summary>
        static GnutellaLink[] OfKind(LinkList links, int room)
        {
            int count = 0;
            foreach (var l in links) if (l.RemoteIsUltrapeer) count++;
            if (count == 0) return NoLinks;
            var ultrapeers = new GnutellaLink[Math.Max(count, room)];
            int n = 0;
            foreach (var l in links) if (l.RemoteIsUltrapeer) ultrapeers[n++] = l;
            return ultrapeers;
        }

        /// <summary>
        /// Under _gate: <paramref name="link"/> leaves the links and the array of its kind. Both are made anew (a reader
        /// walking the old ones keeps them whole); the other kind's array does not change.
        /// </summary>
        void DropLink(GnutellaLink link)
        {
            var links = _links.Without(link);
            if (ReferenceEquals(links, _links)) return;
            if (link.RemoteIsLeaf) DropLeaf(link);
            int ultrapeers = 0;
            foreach (var l in links) if (l.RemoteIsUltrapeer) ultrapeers++;
            // An ultrapeer gone, or the last leaf (the links are all ultrapeers' again, and share one array).
            if (link.RemoteIsUltrapeer || ultrapeers == links.Count)
                Volatile.Write(ref _ultrapeerLinks, ultrapeers == links.Count ? links.Items : OfKind(links, ultrapeers));
            Volatile.Write(ref _links, links);
        }

        void RemoveLink(GnutellaLink link)
        {
            lock (_gate)
            {
                DropLink(link);
                // Routes through a link that is gone lead nowhere: hits for them are dropped as unknown.
                ForgetRoutesThrough(link);
            }
            if (link.RemoteIsLeaf && link.QueryRouteTable != null) UltrapeerTableChanged();   // its keywords leave with it
        }

        /// <summary>AutoConnect: keeps the links this role wants, dialling known hosts when some are lost.</summary>
        async Task MaintainLinksAsync()
        {
            bool first = true;
            while (!Stopping.IsCancellationRequested)
            {
                int want = WantedLinks();
                if (!first)
                {
                    // Short rounds while links are missing (a leaf that lost its ultrapeers), long ones otherwise.
                    var wait = TimeSpan.FromMilliseconds((want > 0 ? 1000 : 5000) * (0.75 + 0.5 * Runtime.Random.NextDouble()));
                    try { await Runtime.Clock.Delay(wait, Stopping); } catch (OperationCanceledException) { return; }
                    want = WantedLinks();
                }
                first = false;
                CheckSilentLinks();
                if (want <= 0) continue;
                var exclude = new HashSet<HostPort>(Volatile.Read(ref _links).Where(l => l.ListenEndPoint != null).Select(l => l.ListenEndPoint));
                exclude.Add(_listenEndPoint);
                var candidates = _hosts.Candidates(Runtime.Clock.Now, want, exclude);
                var attempts = candidates.Select(async host =>
                {
                    try { await ConnectAsync(host, Stopping); }
                    catch (Exception) when (!Stopping.IsCancellationRequested) { _hosts.Failed(host, Runtime.Clock.Now); }
                    catch (Exception) { }
                }).ToList();
                await Task.WhenAll(attempts);
            }
        }

        /// <summary>
        /// AutoConnect keepalive: a link silent for <see cref="PingSilentAfter"/> gets a one-hop Ping (its Pong is
        /// traffic); one silent for <see cref="CloseSilentAfter"/> is taken for dead (a pulled cable or a partition
        /// sends no reset) and closed, so a leaf goes looking for another ultrapeer.
        /// </summary>
        void CheckSilentLinks()
        {
            var now = Runtime.Clock.Now;
            foreach (var link in Volatile.Read(ref _links))
            {
                var silent = now - link.LastHeard;
                if (silent >= CloseSilentAfter) link.Close($"silent for {silent.TotalSeconds:0} s");
                else if (silent >= PingSilentAfter) SendPing(link, 1);
                link.ReleaseCompressorIfIdle();   // a quiet compressed link gives its ~300 KiB compressor back
            }
        }

        int WantedLinks()
        {
            int ultrapeers = UltrapeerLinkCount;
            return IsLeaf ? Options.LeafUltrapeerLinks - ultrapeers : Math.Min(Options.UltrapeerLinkTarget, Options.MaxUltrapeerLinks) - ultrapeers;
        }

        void RebuildLocalIndex()
        {
            var files = Shared.Files;
            _local = files.Count == 0 ? LocalFileMatcher.Empty : new LocalFileMatcher(files);
            if (IsLeaf)
            {
                // Built straight into its compact form: a leaf that shares a few files keeps a few dozen slots.
                _ownTable = QueryRouteTable.OfFiles(Options.QrpTableBits, files);
            }
            else UltrapeerTableChanged();
        }

        void RecordRtt(TimeSpan sample)
        {
            if (sample <= TimeSpan.Zero) return;
            // The first sample replaces the prior; then an exponential average, 1/4 weight for the new sample.
            // Races between threads only lose a sample.
            long old = Interlocked.Read(ref _rttTicks);
            bool first = Interlocked.Exchange(ref _rttSamples, 1) == 0;
            Interlocked.Exchange(ref _rttTicks, first ? sample.Ticks : (old * 3 + sample.Ticks) / 4);
        }

        TimeSpan RoundTrip => TimeSpan.FromTicks(Interlocked.Read(ref _rttTicks));
    }
}
