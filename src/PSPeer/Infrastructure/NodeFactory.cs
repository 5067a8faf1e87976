using System;
using System.Collections.Generic;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
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
        /// <summary>BitTorrent Seeder/Leecher: the torrent, and the announce URLs to use (null = the torrent's own).</summary>
        public TorrentMetainfo Torrent;
        public IList<string> Trackers;
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
                        case PeerRole.Tracker: return new BitTorrentTracker(runtime, request.Name, request.Port);
                        // The engine decides from the data on disk whether it starts as a seeder; the cmdlet checks a Seeder's data.
                        case PeerRole.Seeder:
                        case PeerRole.Leecher:
                            return new BitTorrentPeer(runtime, request.Name, request.Torrent, request.SharedPath,
                                new SwarmOptions { Port = request.Port, Trackers = request.Trackers });
                    }
                    break;
            }
            throw new PeerException(CmdletErrorIds.RoleNotSupported, $"{request.Protocol} has no role {request.Role}.");
        }

        /// <summary>Whether the role joins through an index server (and so needs -IndexServer or a running one).</summary>
        public static bool NeedsIndexServer(PeerProtocol protocol, PeerRole role) => protocol == PeerProtocol.Napster && role == PeerRole.Peer;

        /// <summary>Whether the role can share a folder.</summary>
        public static bool CanShare(PeerProtocol protocol, PeerRole role) => role == PeerRole.Peer;

        /// <summary>Whether the role serves or fetches one torrent (and so needs -Torrent).</summary>
        public static bool NeedsTorrent(PeerProtocol protocol, PeerRole role) =>
            protocol == PeerProtocol.BitTorrent && (role == PeerRole.Seeder || role == PeerRole.Leecher);
    }
}
