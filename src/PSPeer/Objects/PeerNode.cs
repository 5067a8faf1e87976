using System;
using System.Management.Automation;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>A node started in this session. Reads its live state from the engine node each time.</summary>
    public sealed class PeerNode
    {
        internal PeerNode(PeerNodeBase engine) => Engine = engine ?? throw new ArgumentNullException(nameof(engine));

        public string Name => Engine.Name;
        public string Protocol => Engine.Protocol;
        public string Role => Engine.Role;
        /// <summary>"host:port" the node listens on (its HTTP file server for a Napster peer).</summary>
        public string EndPoint => Engine.EndPoint;
        public NodeState State => Engine.State;
        public int SharedFileCount => Engine.SharedFileCount;
        public DateTimeOffset StartTime => Engine.StartTime;
        /// <summary>The folder the node shares, or null.</summary>
        public string SharedPath => (Engine as ISharingNode)?.Shared?.Root;
        /// <summary>The index server a Napster peer is logged in to, or null.</summary>
        public string IndexServer => (Engine as global::PSPeer.Engine.Napster.NapsterPeer)?.IndexServer?.ToString();

        /// <summary>The engine node, for advanced use (its Events stream, protocol-specific members).</summary>
        [Hidden]
        public PeerNodeBase Engine { get; }

        internal bool CanSearch => Engine is ISearchNode;
        internal bool CanShare => Engine is ISharingNode;
        internal bool HasSharedFolder
        {
            get
            {
                try { return (Engine as ISharingNode)?.Shared?.Root != null; }
                catch (NotImplementedException) { return false; }
            }
        }

        public override string ToString() => Name;
    }
}
