using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using PSPeer.Engine.Gnutella;
using PSPeer.Engine.Networks;

namespace PSPeer
{
    /// <summary>
    /// A network composed by New-PeerNetwork: many nodes, simulated or live. Its nodes are PeerNode objects that
    /// Find-PeerFile -Via and Watch-PeerEvent accept; on a simulated network, cmdlets that wait run virtual time.
    /// </summary>
    public sealed class PeerNetwork
    {
        readonly Dictionary<GnutellaServent, PeerNode> _nodeObjects = new Dictionary<GnutellaServent, PeerNode>();
        readonly string _sharedRoot;

        internal PeerNetwork(string name, GnutellaNetwork engine, string sharedRoot)
        {
            Name = name;
            Engine = engine ?? throw new ArgumentNullException(nameof(engine));
            _sharedRoot = sharedRoot;
            // The nodes as they are when the first handler subscribes (a node churn replaces later is not followed).
            _eventReceived = new EventRelay(this, () => System.Linq.Enumerable.Select(Nodes, n => n.Engine.Events));
        }

        public string Name { get; }
        public string Protocol => "Gnutella";
        public int Count => Engine.Nodes.Count;
        public TopologyKind Topology => Engine.Options.Topology;
        public int Degree => Engine.Options.Degree;
        public double UltrapeerFraction => Engine.Options.UltrapeerFraction;
        public int UltrapeerCount => Engine.Ultrapeers.Count;
        public bool Simulated => Engine.IsSimulated;
        public int Seed => Engine.Options.Seed;
        /// <summary>Virtual time since the simulation began (simulated), or wall time since the network was built (live).</summary>
        public TimeSpan Elapsed => Engine.Elapsed;
        /// <summary>Links made between nodes (ultrapeer links and leaf attachments).</summary>
        public int Links => Engine.Links.Count - Engine.FailedLinks;
        public int FailedLinks => Engine.FailedLinks;
        public int NodesDown => Engine.IsSimulated ? Engine.NodesDown : 0;
        public bool IsStopped { get; private set; }

        /// <summary>The nodes by index. A node that churn replaced appears as its new servent.</summary>
        public PeerNode[] Nodes
        {
            get
            {
                var nodes = new PeerNode[Engine.Nodes.Count];
                lock (_nodeObjects)
                    for (int i = 0; i < nodes.Length; i++)
                    {
                        var servent = Engine.Nodes[i];
                        if (!_nodeObjects.TryGetValue(servent, out var node)) _nodeObjects[servent] = node = new PeerNode(servent);
                        nodes[i] = node;
                    }
                return nodes;
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
        internal GnutellaNetwork Engine { get; }

        /// <summary>Whether <paramref name="node"/> is one of this network's nodes.</summary>
        internal bool Owns(PeerNode node) => node?.Engine is GnutellaServent s && Engine.Contains(s);

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
