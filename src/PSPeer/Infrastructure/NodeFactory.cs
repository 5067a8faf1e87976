using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;
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
        /// <summary>Gnutella: servents to connect to at start.</summary>
        public HostPort[] Bootstrap;
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
                case PeerProtocol.Gnutella:
                    // Peer is the Gnutella default role: an ultrapeer (it routes); Leaf attaches to a few ultrapeers.
                    if (request.Role == PeerRole.Peer || request.Role == PeerRole.Ultrapeer || request.Role == PeerRole.Leaf)
                        return new GnutellaServent(runtime, request.Name, new GnutellaOptions
                        {
                            Role = request.Role == PeerRole.Leaf ? GnutellaRole.Leaf : GnutellaRole.Ultrapeer,
                            Port = request.Port,
                            SharedPath = request.SharedPath,
                            Bootstrap = new List<HostPort>(request.Bootstrap ?? new HostPort[0]),
                        });
                    break;
            }
            throw new PeerException(CmdletErrorIds.RoleNotSupported, $"{request.Protocol} has no role {request.Role}.");
        }

        /// <summary>Whether the role joins through an index server (and so needs -IndexServer or a running one).</summary>
        public static bool NeedsIndexServer(PeerProtocol protocol, PeerRole role) => protocol == PeerProtocol.Napster && role == PeerRole.Peer;

        /// <summary>Whether the role can share a folder.</summary>
        public static bool CanShare(PeerProtocol protocol, PeerRole role) =>
            role == PeerRole.Peer || (protocol == PeerProtocol.Gnutella && (role == PeerRole.Ultrapeer || role == PeerRole.Leaf));
    }
}
