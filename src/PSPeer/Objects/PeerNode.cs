using System;
using System.Management.Automation;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PeerEvent = PSPeer.Engine.Core.PeerEvent;

namespace PSPeer
{
    /// <summary>
    /// A node started in this session. Reads its live state from the engine node each time. Every public property is
    /// user-level (text, numbers, times), so the object converts cleanly with ConvertTo-Json and Export-Csv; the
    /// engine node is internal (cmdlets reach it; scripts use these properties, Watch-PeerEvent, Get-PeerEventStream
    /// and the EventReceived event).
    /// </summary>
    public sealed class PeerNode
    {
        internal PeerNode(PeerNodeBase engine) : this(engine, null) { }

        /// <param name="facet">What the cmdlet layer composed beside the engine node (a Chord node's file sharing), or null.</param>
        internal PeerNode(PeerNodeBase engine, NodeFacet facet)
        {
            Engine = engine ?? throw new ArgumentNullException(nameof(engine));
            Facet = facet;
            _eventReceived = new EventRelay(this, () => new[] { Events });
            // Watched from the start, because peers that sent data may be gone by the time anyone asks.
            if (engine is BitTorrentPeer swarm) SwarmSources = new SwarmSources(swarm);
        }

        /// <summary>For a seeder or leecher: the peers that have sent it data.</summary>
        internal SwarmSources SwarmSources { get; }

        public string Name => Engine.Name;
        public string Protocol => Engine.Protocol;
        public string Role => Engine.Role;
        /// <summary>"host:port" the node listens on (its HTTP file server for a Napster peer).</summary>
        public string EndPoint => Engine.EndPoint;
        public NodeState State => Engine.State;
        public int SharedFileCount => Facet?.Capability is ISharingNode sharing ? sharing.Shared.Files.Count : Engine.SharedFileCount;
        public DateTimeOffset StartTime => Engine.StartTime;
        /// <summary>The folder the node shares (a seeder's or leecher's data folder), or null.</summary>
        public string SharedPath => As<ISharingNode>()?.Shared?.Root ?? Swarm?.Directory;
        /// <summary>The index server a Napster peer is logged in to, or null.</summary>
        public string IndexServer => (Engine as global::PSPeer.Engine.Napster.NapsterPeer)?.IndexServer?.ToString();

        /// <summary>
        /// What strangers may hold of the node (connections, per address, deadlines, uploads), as one line; Start-PeerNode
        /// -ConnectionLimit sets it. Text, so a node nested in a hit or a network still converts to JSON whole.
        /// </summary>
        public string Limits => GetLimits().ToString();

        /// <summary>The node's limits as values to read or change while it runs (new connections follow the change).</summary>
        public PeerNodeLimits GetLimits() => new PeerNodeLimits(Engine.Limits);

        /// <summary>A BitTorrent tracker's announce URL ("http://host:port/announce"), for New-Torrent -Tracker; null for other nodes.</summary>
        public string AnnounceUrl => (Engine as BitTorrentTracker)?.AnnounceUrl;
        /// <summary>The same tracker over UDP (BEP 15, "udp://host:port/announce"): -Tracker $node gives the HTTP URL, this asks for UDP.</summary>
        public string UdpAnnounceUrl => (Engine as BitTorrentTracker)?.UdpAnnounceUrl;

        // BitTorrent seeders and leechers (null for every other node): what a user watches while a swarm runs.
        BitTorrentPeer Swarm => Engine as BitTorrentPeer;
        /// <summary>The torrent's info-hash (hex) for a seeder or leecher.</summary>
        public string InfoHash => Swarm?.Torrent.InfoHash.Hex;
        /// <summary>Share of the torrent's pieces verified on disk (0..1).</summary>
        public double? Progress => Swarm?.Progress;
        /// <summary>Peers connected now.</summary>
        public int? PeerCount => Swarm?.Peers.Count;
        /// <summary>Bytes/s received and sent over the last few seconds.</summary>
        public double? DownloadRate => Swarm?.DownloadRate;
        public double? UploadRate => Swarm?.UploadRate;
        /// <summary>Payload bytes received and sent since the node started.</summary>
        public long? Downloaded => Swarm?.Downloaded;
        public long? Uploaded => Swarm?.Uploaded;
        /// <summary>A seeder's or leecher's 20-byte peer id, in hex.</summary>
        public string PeerId => Swarm == null ? null : ToHex(Swarm.PeerId);
        /// <summary>The peer ids (hex) of <see cref="Sources"/>, in the same order: they tie a source to a node even when
        /// its endpoint shows the port it connected from rather than the one it listens on.</summary>
        public string[] SourcePeerIds
        {
            get
            {
                if (SwarmSources == null) return null;
                return SwarmSources.PeerIds();
            }
        }

        static string ToHex(byte[] bytes) => BitConverter.ToString(bytes).Replace("-", "").ToLowerInvariant();

        /// <summary>"host:port" of every peer that has sent this node data since it started.</summary>
        public string[] Sources
        {
            get
            {
                if (SwarmSources == null) return null;
                return SwarmSources.ToArray();
            }
        }

        /// <summary>Open connections to other nodes (Gnutella links, index-server clients, tracker requests); null for other nodes.</summary>
        public int? ConnectionCount =>
            Engine is global::PSPeer.Engine.Gnutella.GnutellaServent servent ? servent.ConnectionCount
            : Engine is global::PSPeer.Engine.Napster.NapsterIndexServer index ? index.ConnectionCount
            : Engine is BitTorrentTracker tracker ? tracker.ConnectionCount
            : (int?)null;

        /// <summary>A tracker's number of torrents with peers; null for other nodes.</summary>
        public int? SwarmCount => (Engine as BitTorrentTracker)?.SwarmCount;

        /// <summary>A seeder's or leecher's time its last piece was verified (its start time if it began complete); null until then.</summary>
        public DateTimeOffset? CompletedAt => Swarm?.CompletedAt;

        readonly EventRelay _eventReceived;

        /// <summary>
        /// Raised for every event of the node (Register-ObjectEvent $node -EventName EventReceived -Action { $Event.SourceEventArgs.Event }).
        /// Live nodes raise it on the task pool, never on the node's own thread; a handler that throws is unsubscribed.
        /// </summary>
        public event EventHandler<PeerEventArgs> EventReceived
        {
            add => _eventReceived.Add(value);
            remove => _eventReceived.Remove(value);
        }

        /// <summary>The engine node: internal, so that it never reaches JSON, CSV or Format-List (cmdlets use it).</summary>
        internal PeerNodeBase Engine { get; }

        /// <summary>Gnutella: whether the servent answers as firewalled now (its hits need a Push); null for other protocols.</summary>
        public bool? Firewalled => (Engine as global::PSPeer.Engine.Gnutella.GnutellaServent)?.IsFirewalled;

        /// <summary>What the cmdlet layer composed beside the engine node (a Chord node's file sharing), or null.</summary>
        internal NodeFacet Facet { get; }

        /// <summary>The engine node, or what was composed beside it, as <typeparamref name="T"/> (ISearchNode, ISharingNode); null when neither is.</summary>
        internal T As<T>() where T : class => Engine as T ?? Facet?.Capability as T;

        /// <summary>The node's events, and those of what was composed beside it.</summary>
        internal IObservable<PeerEvent> Events => Facet == null ? Engine.Events : System.Reactive.Linq.Observable.Merge(Engine.Events, Facet.Events);

        /// <summary>
        /// Stops what was composed beside the node, then the node. A Chord node leaves the ring gracefully first (hands
        /// its keys to its successor and tells its neighbours), for at most <see cref="ChordLeaveLimit"/> when live.
        /// </summary>
        internal async System.Threading.Tasks.Task StopAsync()
        {
            if (Facet != null) await Facet.StopAsync();
            if (Engine is global::PSPeer.Engine.Chord.ChordNode chord && chord.State == NodeState.Running)
            {
                var leave = chord.LeaveAsync();
                if (!Engine.Runtime.IsSimulated)
                    await System.Threading.Tasks.Task.WhenAny(leave, System.Threading.Tasks.Task.Delay(ChordLeaveLimit));
                else
                {
                    try { await leave; }
                    catch (Exception) { /* a leave that fails still ends in the stop below */ }
                }
            }
            await Engine.StopAsync();
        }

        /// <summary>How long a live Chord node may take to hand its keys on before it simply stops.</summary>
        static readonly TimeSpan ChordLeaveLimit = TimeSpan.FromSeconds(5);

        internal bool CanSearch => As<ISearchNode>() != null;
        internal bool CanShare => As<ISharingNode>() != null;
        internal bool HasSharedFolder
        {
            get
            {
                try { return As<ISharingNode>()?.Shared?.Root != null; }
                catch (NotImplementedException) { return false; }
            }
        }

        public override string ToString() => Name;
    }
}
