using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using PSPeer.Engine.Core;
using PSPeer.Engine.Networks;

namespace PSPeer
{
    /// <summary>
    /// A network composed by New-PeerNetwork: many nodes of one protocol, simulated or live. Its nodes are PeerNode
    /// objects that Find-PeerFile -Via, Find-PeerKey -Via and Watch-PeerEvent accept; on a simulated network, cmdlets
    /// that wait run virtual time. The cmdlets talk to its protocol-neutral engine (<see cref="IPeerNetworkEngine"/>);
    /// the properties a protocol does not have (Topology on a Chord ring, VirtualNodes on Gnutella) are null.
    /// </summary>
    public sealed class PeerNetwork
    {
        readonly object _nodeObjectsGate = new object();
        PeerNode[] _nodeObjects = new PeerNode[0];
        readonly string _sharedRoot;
        readonly NetworkBuilder _builder;

        internal PeerNetwork(string name, IPeerNetworkEngine engine, string sharedRoot, NetworkBuilder builder, int seed)
        {
            Name = name;
            Engine = engine ?? throw new ArgumentNullException(nameof(engine));
            _builder = builder ?? throw new ArgumentNullException(nameof(builder));
            _sharedRoot = sharedRoot;
            Seed = seed;
            // The nodes as they are when the first handler subscribes (a node churn replaces later is not followed).
            _eventReceived = new EventRelay(this, () => System.Linq.Enumerable.Select(Nodes, n => n.Events));
        }

        public string Name { get; }
        public string Protocol => Engine.Protocol;
        public int Count => Engine.Nodes.Count;
        /// <summary>Gnutella: how ultrapeers are linked; null for other protocols.</summary>
        public TopologyKind? Topology => Gnutella?.Options.Topology;
        /// <summary>Gnutella: mean links per ultrapeer among ultrapeers; null for other protocols.</summary>
        public int? Degree => Gnutella?.Options.Degree;
        /// <summary>Gnutella: share of nodes that are ultrapeers; null for other protocols.</summary>
        public double? UltrapeerFraction => Gnutella?.Options.UltrapeerFraction;
        public int? UltrapeerCount => Gnutella?.Ultrapeers.Count;
        /// <summary>Chord: virtual nodes per host; null for other protocols.</summary>
        public int? VirtualNodes => (Engine as PSPeer.Engine.Networks.Chord.ChordNetwork)?.Options.VirtualNodes;
        public bool Simulated => Engine.IsSimulated;
        public int Seed { get; }
        /// <summary>Virtual time since the simulation began (simulated), or wall time since the network was built (live).</summary>
        public TimeSpan Elapsed => Engine.Elapsed;
        /// <summary>Gnutella: links made between nodes (ultrapeer links and leaf attachments); null for other protocols.</summary>
        public int? Links => Gnutella == null ? (int?)null : Gnutella.Links.Count - Gnutella.FailedLinks;
        public int? FailedLinks => Gnutella?.FailedLinks;
        public int NodesDown => Engine.IsSimulated ? Engine.NodesDown : 0;
        public bool IsStopped { get; private set; }

        /// <summary>The nodes by index. A node that churn replaced appears as its new servent.</summary>
        public PeerNode[] Nodes
        {
            get
            {
                // The PeerNode of each index is kept and made again only when the engine node there changed (churn), so
                // reading $ring.Nodes[i] of a million-node ring costs a pass of comparisons, not a million dictionary lookups.
                lock (_nodeObjectsGate)
                {
                    var engineNodes = Engine.Nodes;
                    if (_nodeObjects.Length != engineNodes.Count) Array.Resize(ref _nodeObjects, engineNodes.Count);
                    for (int i = 0; i < _nodeObjects.Length; i++)
                    {
                        var engineNode = engineNodes[i];
                        if (!ReferenceEquals(_nodeObjects[i]?.Engine, engineNode)) _nodeObjects[i] = new PeerNode(engineNode);
                    }
                    return (PeerNode[])_nodeObjects.Clone();
                }
            }
        }

        readonly EventRelay _eventReceived;

        /// <summary>
        /// Raised for every event of every node (Register-ObjectEvent $network -EventName EventReceived -Action { … }).
        /// A simulated network's nodes raise it only while virtual time runs (Invoke-PeerSimulation, Find-PeerFile).
        /// </summary>
        public event EventHandler<PeerEventArgs> EventReceived
        {
            add => _eventReceived.Add(value);
            remove => _eventReceived.Remove(value);
        }

        /// <summary>The engine network (internal: the cmdlets use it; scripts use the properties above and Measure-PeerNetwork).</summary>
        internal IPeerNetworkEngine Engine { get; }

        /// <summary>The engine network when it is a Gnutella network (for the Gnutella-only properties), else null.</summary>
        GnutellaNetwork Gnutella => Engine as GnutellaNetwork;

        /// <summary>The protocol's builder, which also turns the engine's measurement into the object Measure-PeerNetwork emits.</summary>
        internal NetworkBuilder Builder => _builder;

        /// <summary>Whether <paramref name="node"/> is one of this network's nodes.</summary>
        internal bool Owns(PeerNode node) => node?.Engine != null && Engine.Contains(node.Engine);

        /// <summary>Raised once when the network has stopped (a dashboard that shows only this network stops with it).</summary>
        internal event Action Stopped;

        /// <summary>Stops every node (driving a simulation until they have) and deletes a live network's files.</summary>
        internal void Stop()
        {
            if (IsStopped) return;
            IsStopped = true;
            Engine.Dispose();
            try { Stopped?.Invoke(); }
            catch (Exception) { /* whoever watched the network cannot stop it stopping */ }
            if (_sharedRoot != null)
            {
                try { Directory.Delete(_sharedRoot, recursive: true); }
                catch (IOException) { /* a file still open: the temp folder is cleaned up later */ }
                catch (UnauthorizedAccessException) { }
            }
        }

        public override string ToString() => Name;
    }
}
