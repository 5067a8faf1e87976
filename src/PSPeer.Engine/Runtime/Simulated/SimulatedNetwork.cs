using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// The wires between simulated hosts: name and address lookup, per-direction links (created on first use from
    /// the options, or set by <see cref="SetLink"/>), partitions, and the open connection ends of every host, so
    /// that a partition or crash can reset them.
    /// </summary>
    sealed class SimulatedNetwork
    {
        readonly Dictionary<string, SimulatedHost> _byAddress = new Dictionary<string, SimulatedHost>(StringComparer.OrdinalIgnoreCase);
        readonly Dictionary<string, SimulatedHost> _byName = new Dictionary<string, SimulatedHost>(StringComparer.OrdinalIgnoreCase);
        readonly Dictionary<long, SimulatedLink> _links = new Dictionary<long, SimulatedLink>();
        readonly List<NetworkPartition> _partitions = new List<NetworkPartition>();
        readonly SeededRandom _lossRandom;
        long _nextStreamId;

        public SimulatedNetwork(SimulationOptions options, SimulationScheduler scheduler)
        {
            Options = options;
            Scheduler = scheduler;
            _lossRandom = new SeededRandom(SeedDerivation.Derive(options.Seed, "network/loss"));
        }

        public SimulationOptions Options { get; }
        public SimulationScheduler Scheduler { get; }
        public SimulationStatistics Statistics { get; } = new SimulationStatistics();

        public void Register(SimulatedHost host)
        {
            if (_byName.ContainsKey(host.Name)) throw new ArgumentException($"A host named '{host.Name}' already exists in this simulation.", nameof(host));
            _byName.Add(host.Name, host);
            _byAddress.Add(host.HostAddress, host);
        }

        /// <summary>A host by its virtual address or its name; "localhost" and 127.0.0.1 are the asking host itself.</summary>
        public SimulatedHost Resolve(string hostOrAddress, SimulatedHost asking)
        {
            if (string.IsNullOrEmpty(hostOrAddress)) return null;
            if (asking != null && (hostOrAddress == "127.0.0.1" || hostOrAddress == "::1" || string.Equals(hostOrAddress, "localhost", StringComparison.OrdinalIgnoreCase)))
                return asking;
            if (_byAddress.TryGetValue(hostOrAddress, out var host)) return host;
            return _byName.TryGetValue(hostOrAddress, out host) ? host : null;
        }

        /// <summary>The link from one host to another; a host's link to itself is instant loopback unless set.</summary>
        public SimulatedLink GetLink(SimulatedHost from, SimulatedHost to)
        {
            long key = ((long)from.Index << 32) | (uint)to.Index;
            if (!_links.TryGetValue(key, out var link))
            {
                link = from == to
                    ? new SimulatedLink(TimeSpan.Zero, 0, 0)
                    : new SimulatedLink(Options.Latency, Options.BandwidthBytesPerSecond, Options.Loss);
                _links.Add(key, link);
            }
            return link;
        }

        public void SetLink(SimulatedHost a, SimulatedHost b, TimeSpan latency, long bandwidth, double loss)
        {
            GetLink(a, b).Set(latency, bandwidth, loss);
            GetLink(b, a).Set(latency, bandwidth, loss);
        }

        /// <summary>
        /// Extra delay a segment suffers from loss: each loss costs one retransmission timeout (3 x latency plus the
        /// minimum), and a retransmission may be lost again (at most 16 times, so a segment always arrives).
        /// </summary>
        public long RetransmissionDelay(SimulatedLink link)
        {
            if (link.Loss <= 0) return 0;
            long timeout = 3 * link.LatencyTicks + Options.MinRetransmitTimeout.Ticks;
            long delay = 0;
            for (int attempt = 0; attempt < 16 && _lossRandom.NextDouble() < link.Loss; attempt++)
            {
                delay += timeout;
                Statistics.retransmissions++;
            }
            return delay;
        }

        public bool CanReach(SimulatedHost a, SimulatedHost b)
        {
            if (a == b) return true;
            foreach (var partition in _partitions)
                if (partition.Separates(a, b)) return false;
            return true;
        }

        public IDisposable Partition(IEnumerable<SimulatedHost> sideA, IEnumerable<SimulatedHost> sideB)
        {
            var partition = new NetworkPartition(this, sideA, sideB);
            _partitions.Add(partition);
            // A connection across breaks as a TCP timeout would break it: both ends see a reset.
            var (small, other) = partition.A.Count <= partition.B.Count ? (partition.A, partition.B) : (partition.B, partition.A);
            foreach (var host in small.OrderBy(h => h.Index))
                foreach (var stream in host.OpenStreams())
                    if (other.Contains(stream.Peer.Host))
                    {
                        stream.Reset("The connection timed out: the network is partitioned.");
                        stream.Peer.Reset("The connection timed out: the network is partitioned.");
                    }
            return partition;
        }

        public void Heal(NetworkPartition partition) => _partitions.Remove(partition);

        public void HealAll() => _partitions.Clear();

        /// <summary>Both ends of a new connection, tracked on their hosts until they finish.</summary>
        public (SimulatedConnection client, SimulatedConnection server) CreateConnection(SimulatedHost client, SimulatedHost server, int serverPort)
        {
            var clientStream = new SimulatedStream(this, client, ++_nextStreamId);
            var serverStream = new SimulatedStream(this, server, ++_nextStreamId);
            clientStream.Peer = serverStream;
            serverStream.Peer = clientStream;
            clientStream.Outbound = GetLink(client, server);
            serverStream.Outbound = GetLink(server, client);
            client.Track(clientStream);
            server.Track(serverStream);
            string clientEndPoint = client.HostAddress + ":" + client.NextEphemeralPort();
            string serverEndPoint = server.HostAddress + ":" + serverPort;
            return (new SimulatedConnection(clientStream, clientEndPoint, serverEndPoint),
                    new SimulatedConnection(serverStream, serverEndPoint, clientEndPoint));
        }

        public void Untrack(SimulatedStream stream) => stream.Host.Untrack(stream);

        public static PeerException Unreachable(string host, int port, string why) =>
            new PeerException(PeerErrorIds.Unreachable, $"Cannot connect to {host}:{port}: {why}. Is the node running there?");
    }

    /// <summary>Two sets of hosts that cannot reach each other until the partition heals.</summary>
    sealed class NetworkPartition : IDisposable
    {
        readonly SimulatedNetwork _network;

        public NetworkPartition(SimulatedNetwork network, IEnumerable<SimulatedHost> sideA, IEnumerable<SimulatedHost> sideB)
        {
            _network = network;
            A = new HashSet<SimulatedHost>(sideA ?? throw new ArgumentNullException(nameof(sideA)));
            B = new HashSet<SimulatedHost>(sideB ?? throw new ArgumentNullException(nameof(sideB)));
            if (A.Overlaps(B)) throw new ArgumentException("A host cannot be on both sides of a partition.");
        }

        public HashSet<SimulatedHost> A { get; }
        public HashSet<SimulatedHost> B { get; }

        public bool Separates(SimulatedHost x, SimulatedHost y) => (A.Contains(x) && B.Contains(y)) || (B.Contains(x) && A.Contains(y));

        /// <summary>Heals this partition only.</summary>
        public void Dispose() => _network.Heal(this);
    }
}
