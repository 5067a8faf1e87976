using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Chord
{
    /// <summary>
    /// One host running r virtual nodes (the paper's §6.2 load balancing): r ChordNodes on consecutive ports of the
    /// runtime's address, each its own endpoint and so its own id. Named "name" for the first and "name/v2"... for the
    /// rest.
    /// </summary>
    public sealed class ChordHost : IDisposable
    {
        readonly ChordNode[] _nodes;

        /// <summary>
        /// Makes <paramref name="options"/>.VirtualNodes nodes on ports <paramref name="firstPort"/>, +1, ... (with 0, the
        /// first port is any free one and the others follow it when the nodes start).
        /// </summary>
        public ChordHost(IPeerRuntime runtime, string name, int firstPort, ChordOptions options)
        {
            if (runtime == null) throw new ArgumentNullException(nameof(runtime));
            Options = options ?? new ChordOptions();
            Options.Validate();
            if (firstPort != 0 && firstPort + Options.VirtualNodes - 1 > 65535)
                throw new ArgumentOutOfRangeException(nameof(firstPort), firstPort, $"{Options.VirtualNodes} consecutive ports do not fit below 65536.");
            Name = name;
            _nodes = new ChordNode[Options.VirtualNodes];
            for (int i = 0; i < _nodes.Length; i++)
                _nodes[i] = new ChordNode(runtime, i == 0 ? name : name + "/v" + (i + 1), firstPort == 0 ? 0 : firstPort + i, Options);
        }

        public string Name { get; }
        public ChordOptions Options { get; }
        public IReadOnlyList<ChordNode> VirtualNodes => _nodes;

        /// <summary>Starts every virtual node as a ring of its own (the first; the others join it when <paramref name="joinEachOther"/>).</summary>
        public async Task StartAsync(bool joinEachOther = true, CancellationToken cancellationToken = default)
        {
            await _nodes[0].StartAsync(cancellationToken).ConfigureAwait(_nodes[0].Runtime.IsSimulated);
            for (int i = 1; i < _nodes.Length; i++)
            {
                var node = Rebind(i);
                if (joinEachOther) await node.JoinAsync(_nodes[0].Self.EndPoint, cancellationToken).ConfigureAwait(node.Runtime.IsSimulated);
                else await node.StartAsync(cancellationToken).ConfigureAwait(node.Runtime.IsSimulated);
            }
        }

        /// <summary>Joins every virtual node to the ring <paramref name="bootstrap"/> belongs to (starting them first).</summary>
        public async Task JoinAsync(IPEndPoint bootstrap, CancellationToken cancellationToken = default)
        {
            for (int i = 0; i < _nodes.Length; i++)
            {
                var node = i == 0 ? _nodes[0] : Rebind(i);
                await node.JoinAsync(bootstrap, cancellationToken).ConfigureAwait(node.Runtime.IsSimulated);
            }
        }

        /// <summary>Every virtual node leaves (keys handed on) and stops.</summary>
        public async Task LeaveAsync(CancellationToken cancellationToken = default)
        {
            foreach (var node in _nodes) await node.LeaveAsync(cancellationToken).ConfigureAwait(node.Runtime.IsSimulated);
        }

        // With a first port of 0 the later nodes can only get their port once the first has bound.
        ChordNode Rebind(int i)
        {
            var node = _nodes[i];
            if (node.State != Core.NodeState.Stopped || _nodes[0].Self == null) return node;
            int wanted = _nodes[0].Self.EndPoint.Port + i;
            if (node.RequestedPort != 0 || wanted > 65535) return node;
            return _nodes[i] = new ChordNode(node.Runtime, node.Name, wanted, Options);
        }

        public void Dispose()
        {
            foreach (var node in _nodes) node.Dispose();
        }
    }
}
