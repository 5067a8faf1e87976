using System;
using System.Collections.Generic;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Chord;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Napster;
using PSPeer.Engine.Runtime;

namespace PSPeer
{
    /// <summary>What Start-PeerNode asked for, protocol-neutral.</summary>
    internal sealed class NodeRequest
    {
        public PeerProtocol Protocol;
        public PeerRole Role;
        public string Name;
        public int Port;
        public string SharedPath;
        public HostPort IndexServer;
        /// <summary>BitTorrent Seeder/Leecher: the torrent to serve or fetch.</summary>
        public TorrentMetainfo Torrent { get; set; }
        /// <summary>BitTorrent Seeder/Leecher: announce URLs instead of the torrent's own (null = the torrent's).</summary>
        public IList<string> Trackers { get; set; }
        /// <summary>BitTorrent Seeder/Leecher: bytes/s over all peers, 0 = unlimited.</summary>
        public long UploadLimit { get; set; }
        public long DownloadLimit { get; set; }
        /// <summary>Gnutella: servents to connect to at start.</summary>
        public HostPort[] Bootstrap;
        /// <summary>BitTorrent Tracker: honour the "ip" announces name (TrackerOptions.AllowClientAddress).</summary>
        public bool AllowClientAddress;
        /// <summary>Gnutella: reachable, firewalled, or find out.</summary>
        public PeerReachability Reachability;
        /// <summary>Gnutella: say so in an event when no peer from outside has connected in this long after the start; null = never.</summary>
        public System.TimeSpan? ReachabilityCheckAfter;
        /// <summary>BitTorrent Leecher: the verified download replaces a file at the final name (SwarmOptions.ReplaceExisting).</summary>
        public bool ReplaceExisting;
        /// <summary>Chord: the ring's settings for this node (ClientOnly for the Client role).</summary>
        public ChordOptions Chord;
    }

    /// <summary>The one place that knows which engine class runs which protocol and role; new systems slot in here.</summary>
    internal static class NodeFactory
    {
        public static PeerNodeBase Create(IPeerRuntime runtime, NodeRequest request)
        {
            switch (request.Protocol)
            {
                case PeerProtocol.Napster:
                    switch (request.Role)
                    {
                        case PeerRole.IndexServer: return new NapsterIndexServer(runtime, request.Name, request.Port);
                        case PeerRole.Peer: return new NapsterPeer(runtime, request.Name, request.IndexServer, request.SharedPath, request.Port);
                    }
                    break;
                case PeerProtocol.BitTorrent:
                    switch (request.Role)
                    {
                        case PeerRole.Tracker:
                            return new BitTorrentTracker(runtime, request.Name, request.Port, new TrackerOptions { AllowClientAddress = request.AllowClientAddress });
                        case PeerRole.Seeder:
                        case PeerRole.Leecher: return CreateSwarmPeer(runtime, request);
                    }
                    break;
                case PeerProtocol.Gnutella:
                    // Peer is the Gnutella default role: an ultrapeer (it routes); Leaf attaches to a few ultrapeers.
                    if (request.Role == PeerRole.Peer || request.Role == PeerRole.Ultrapeer || request.Role == PeerRole.Leaf)
                        return new GnutellaServent(runtime, request.Name, new GnutellaOptions
                        {
                            Role = request.Role == PeerRole.Leaf ? GnutellaRole.Leaf : GnutellaRole.Ultrapeer,
                            Port = request.Port,
                            SharedPath = request.SharedPath,
                            Bootstrap = new List<HostPort>(request.Bootstrap ?? new HostPort[0]),
                            Firewalled = request.Reachability == PeerReachability.Firewalled,
                            DetectFirewall = request.Reachability == PeerReachability.Detect,
                            ReachabilityCheckAfter = request.ReachabilityCheckAfter,
                        });
                    break;
                case PeerProtocol.Chord:
                    // One virtual node; Start-PeerNode -VirtualNodes r asks for r of them, one port each.
                    if (request.Role == PeerRole.Peer || request.Role == PeerRole.Client)
                    {
                        var options = request.Chord ?? new ChordOptions();
                        options.ClientOnly = request.Role == PeerRole.Client;
                        return new ChordNode(runtime, request.Name, request.Port, options);
                    }
                    break;
            }
            throw new PeerException(CmdletErrorIds.RoleNotSupported, $"{request.Protocol} has no role {request.Role}.");
        }

        /// <summary>
        /// A BitTorrent peer: -SharedPath is the folder that holds the torrent's data (a seeder's content, or where a
        /// leecher writes). The engine decides Seeder or Leecher from what is on disk; asking for a Seeder whose data
        /// is missing is a user error, caught here before anything listens.
        /// </summary>
        static PeerNodeBase CreateSwarmPeer(IPeerRuntime runtime, NodeRequest request)
        {
            if (request.Torrent == null)
                throw new PeerException(PeerErrorIds.TorrentNotFound, $"A BitTorrent {request.Role} needs a torrent: give -Torrent with a .torrent path or a TorrentInfo.");
            string directory = request.SharedPath ?? runtime.Storage.GetFullPath(".");
            var options = new SwarmOptions
            {
                Port = request.Port, Trackers = request.Trackers,
                UploadLimitBytesPerSecond = request.UploadLimit, DownloadLimitBytesPerSecond = request.DownloadLimit,
                AnnounceAddress = (runtime as LiveRuntime)?.ExternalAddress,
                ReplaceExisting = request.ReplaceExisting,
                // A Seeder verifies its data before it touches the network and never fetches what it lacks.
                SeedOnly = request.Role == PeerRole.Seeder,
            };
            var peer = new BitTorrentPeer(runtime, request.Name, request.Torrent, directory, options);
            if (request.Role == PeerRole.Seeder && peer.Role != "Seeder")
            {
                // Start-PeerNode checked the files already; they changed since. Same id as that check.
                string missing = TorrentDataCheck.DescribeMissing(request.Torrent, directory) ?? $"its data under '{directory}' is not complete";
                throw new PeerException(CmdletErrorIds.TorrentDataMissing, TorrentDataCheck.SeederMessage(missing) + " " + TorrentDataCheck.SeederHint);
            }
            return peer;
        }

        /// <summary>Whether the role joins through an index server (and so needs -IndexServer or a running one).</summary>
        public static bool NeedsIndexServer(PeerProtocol protocol, PeerRole role) => protocol == PeerProtocol.Napster && role == PeerRole.Peer;

        /// <summary>Whether the role can share a folder.</summary>
        public static bool CanShare(PeerProtocol protocol, PeerRole role) =>
            role == PeerRole.Peer
            || (protocol == PeerProtocol.BitTorrent && (role == PeerRole.Seeder || role == PeerRole.Leecher))
            || (protocol == PeerProtocol.Gnutella && (role == PeerRole.Ultrapeer || role == PeerRole.Leaf));

        /// <summary>Whether the role serves or fetches one torrent (and so needs -Torrent).</summary>
        public static bool NeedsTorrent(PeerProtocol protocol, PeerRole role) =>
            protocol == PeerProtocol.BitTorrent && (role == PeerRole.Seeder || role == PeerRole.Leecher);

        /// <summary>The roles a protocol has, in the order completion offers them (Gnutella's Peer means Ultrapeer).</summary>
        public static IReadOnlyList<PeerRole> RolesOf(PeerProtocol protocol)
        {
            switch (protocol)
            {
                case PeerProtocol.Napster: return new[] { PeerRole.IndexServer, PeerRole.Peer };
                case PeerProtocol.Gnutella: return new[] { PeerRole.Ultrapeer, PeerRole.Leaf, PeerRole.Peer };
                case PeerProtocol.BitTorrent: return new[] { PeerRole.Tracker, PeerRole.Seeder, PeerRole.Leecher };
                case PeerProtocol.Chord: return new[] { PeerRole.Peer, PeerRole.Client };
                default: return new PeerRole[0];
            }
        }

        /// <summary>
        /// Start-PeerNode parameters that only some protocols and roles take: the parameter, whether this protocol and
        /// role take it, and who does (in words, for the error that names it). -Name, -Port, -Protocol and -Role apply to all.
        /// </summary>
        public static readonly IReadOnlyList<(string Parameter, Func<PeerProtocol, PeerRole, bool> Applies, string TakenBy)> RoleParameters = new (string, Func<PeerProtocol, PeerRole, bool>, string)[]
        {
            ("IndexServer", NeedsIndexServer, "a Napster Peer"),
            ("Bootstrap", (p, r) => p == PeerProtocol.Gnutella || p == PeerProtocol.Chord, "a Gnutella Ultrapeer or Leaf and a Chord Peer or Client"),
            ("SharedPath", CanShare, "a Napster Peer, a Gnutella Ultrapeer or Leaf, a BitTorrent Seeder or Leecher, and a Chord Peer"),
            ("Torrent", NeedsTorrent, "a BitTorrent Seeder or Leecher"),
            ("Tracker", NeedsTorrent, "a BitTorrent Seeder or Leecher"),
            ("UploadLimit", NeedsTorrent, "a BitTorrent Seeder or Leecher"),
            ("DownloadLimit", NeedsTorrent, "a BitTorrent Seeder or Leecher"),
            ("AllowClientAddress", (p, r) => p == PeerProtocol.BitTorrent && r == PeerRole.Tracker, "a BitTorrent Tracker"),
            ("Reachability", (p, r) => p == PeerProtocol.Gnutella, "a Gnutella Ultrapeer or Leaf"),
            ("ReachabilityTimeoutSec", (p, r) => p == PeerProtocol.Gnutella, "a Gnutella Ultrapeer or Leaf"),
            ("Force", (p, r) => p == PeerProtocol.BitTorrent && r == PeerRole.Leecher, "a BitTorrent Leecher"),
            ("VirtualNodes", (p, r) => p == PeerProtocol.Chord && r == PeerRole.Peer, "a Chord Peer"),
        };

        /// <summary>Why <paramref name="name"/> cannot name a node of this protocol and role, or null when it can.</summary>
        public static string NameProblem(PeerProtocol protocol, PeerRole role, string name)
        {
            // A Napster peer logs in with its name as the nick: one word on the wire, without quotes.
            if (NeedsIndexServer(protocol, role)
                && (name.IndexOf(' ') >= 0 || name.IndexOf('"') >= 0 || name.Length > NapsterLogin.MaxNickLength))
                return $"A Napster Peer logs in with its name as nick, which has no spaces or quotes and at most {NapsterLogin.MaxNickLength} characters: '{name}' cannot be used.";
            return null;
        }
    }
}
