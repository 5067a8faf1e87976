using System;
using System.Collections.Generic;
using System.Linq;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// The wires between simulated hosts: name and address lookup, each host's uplink and the per-pair overrides
    /// set by <see cref="SetLink"/>, partitions, datagrams (SimulatedNetwork.Datagrams.cs), and the open connection
    /// ends of every host, so that a partition or crash can reset them.
    /// </summary>
    sealed partial class SimulatedNetwork
    {
        readonly Dictionary<string, SimulatedHost> _byName = new Dictionary<string, SimulatedHost>(StringComparer.OrdinalIgnoreCase);
        readonly Dictionary<long, SimulatedLink> _links = new Dictionary<long, SimulatedLink>();
        readonly List<NetworkPartition> _partitions = new List<NetworkPartition>();
        readonly SeededRandom _lossRandom;
        readonly SeededRandom _jitterRandom;
        readonly SeededRandom _datagramRandom;
        readonly SimulatedLink _loopback = new SimulatedLink(TimeSpan.Zero, 0, 0, TimeSpan.Zero);
        readonly List<SimulatedHost> _byIndex = new List<SimulatedHost>();
        long _nextStreamId;

        public SimulatedNetwork(SimulationOptions options, SimulationScheduler scheduler)
        {
            Options = options;
            Scheduler = scheduler;
            _lossRandom = new SeededRandom(SeedDerivation.Derive(options.Seed, "network/loss"));
            _jitterRandom = new SeededRandom(SeedDerivation.Derive(options.Seed, "network/jitter"));
            _datagramRandom = new SeededRandom(SeedDerivation.Derive(options.Seed, "network/datagrams"));
        }

        public SimulationOptions Options { get; }
        public SimulationScheduler Scheduler { get; }
        public SimulationStatistics Statistics { get; } = new SimulationStatistics();
        /// <summary>Buffers of stream segments in flight, reused once read.</summary>
        public SegmentBufferPool SegmentBuffers { get; } = new SegmentBufferPool();

        public void Register(SimulatedHost host)
        {
            if (_byName.ContainsKey(host.Name)) throw new ArgumentException($"A host named '{host.Name}' already exists in this simulation.", nameof(host));
            _byName.Add(host.Name, host);
            _byIndex.Add(host);
        }

        /// <summary>A host by its virtual address or its name; "localhost" and 127.0.0.1 are the asking host itself.</summary>
        public SimulatedHost Resolve(string hostOrAddress, SimulatedHost asking)
        {
            if (string.IsNullOrEmpty(hostOrAddress)) return null;
            if (asking != null && (hostOrAddress == "127.0.0.1" || hostOrAddress == "::1" || string.Equals(hostOrAddress, "localhost", StringComparison.OrdinalIgnoreCase)))
                return asking;
            var host = ByAddress(hostOrAddress);
            if (host != null) return host;
            return _byName.TryGetValue(hostOrAddress, out host) ? host : null;
        }

        /// <summary>
        /// The host whose address this is: every simulated address is numbered from its host's index (10.x.y.z, or
        /// 172.16-31.y.z behind a NAT; see SimulatedHost), so the index is read back from the text and checked, with no
        /// map from addresses to hosts (a million hosts would hold a million entries). Null for any other text.
        /// </summary>
        SimulatedHost ByAddress(string text)
        {
            int octet = 0, count = 0, digits = 0;
            int first = 0, second = 0, third = 0;
            foreach (char c in text)
            {
                if (c >= '0' && c <= '9')
                {
                    octet = octet * 10 + (c - '0');
                    if (++digits > 3 || octet > 255) return null;
                }
                else if (c == '.' && digits > 0 && count < 3)
                {
                    if (count == 0) first = octet; else if (count == 1) second = octet; else third = octet;
                    count++;
                    octet = digits = 0;
                }
                else return null;
            }
            if (count != 3 || digits == 0) return null;
            bool inside = first == 172 && second >= 16 && second < 32;
            if (first != 10 && !inside) return null;
            int index = ((inside ? second - 16 : second) << 16 | third << 8 | octet) - 1;
            var host = index >= 0 && index < _byIndex.Count ? _byIndex[index] : null;
            return host != null && host.HostAddress == text ? host : null;
        }

        /// <summary>
        /// The path from one host to another: the pair's override if <see cref="SetLink"/> made one, else the sending
        /// host's uplink with the options' latency, bandwidth, loss and jitter (every flow leaving a host shares its
        /// uplink, as on an access link), and instant loopback from a host to itself. Nothing is kept per pair that
        /// merely talked, so a million hosts cost a million uplinks at most, made on their first send.
        /// </summary>
        /// <remarks>
        /// Without a bandwidth limit an uplink's only state (when it is next free) never runs ahead of the clock, so
        /// every host shares one uplink then: the same delays, and no object per host.
        /// </remarks>
        public SimulatedLink GetLink(SimulatedHost from, SimulatedHost to)
        {
            if (_links.Count != 0 && _links.TryGetValue(PairKey(from, to), out var link)) return link;
            if (from == to) return _loopback;
            return from.Uplink ?? (from.Uplink = Options.BandwidthBytesPerSecond == 0 ? SharedUplink : NewUplink());
        }

        /// <summary>
        /// As <see cref="GetLink(SimulatedHost, SimulatedHost)"/> to the host with index <paramref name="toIndex"/>: the
        /// other host itself is only looked up when some pair has an override (a connection end knows its peer's host
        /// by index; without overrides the index alone tells loopback from the uplink, and looking the host up was
        /// one more cache miss per segment sent).
        /// </summary>
        internal SimulatedLink GetLink(SimulatedHost from, int toIndex)
        {
            if (_links.Count != 0) return GetLink(from, HostAt(toIndex));
            if (from.Index == toIndex) return _loopback;
            return from.Uplink ?? (from.Uplink = Options.BandwidthBytesPerSecond == 0 ? SharedUplink : NewUplink());
        }

        SimulatedLink _sharedUplink;
        SimulatedLink SharedUplink => _sharedUplink ?? (_sharedUplink = NewUplink());
        SimulatedLink NewUplink() => new SimulatedLink(Options.Latency, Options.BandwidthBytesPerSecond, Options.Loss, Options.Jitter);

        public int OverrideCount => _links.Count;

        static long PairKey(SimulatedHost from, SimulatedHost to) => ((long)from.Index << 32) | (uint)to.Index;

        public void SetLink(SimulatedHost a, SimulatedHost b, TimeSpan latency, long bandwidth, double loss, TimeSpan jitter)
        {
            Override(a, b).Set(latency, bandwidth, loss, jitter);
            Override(b, a).Set(latency, bandwidth, loss, jitter);
        }

        SimulatedLink Override(SimulatedHost from, SimulatedHost to)
        {
            long key = PairKey(from, to);
            if (!_links.TryGetValue(key, out var link))
            {
                link = new SimulatedLink(TimeSpan.Zero, 0, 0, TimeSpan.Zero);
                _links.Add(key, link);
            }
            return link;
        }

        /// <summary>A random extra delay from 0 up to the link's jitter; draws nothing when the link has none.</summary>
        public long JitterDelay(SimulatedLink link) =>
            link.JitterTicks == 0 ? 0 : (long)(_jitterRandom.NextDouble() * link.JitterTicks);

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
                    if (other.Contains(stream.RemoteHost))
                        stream.ResetBoth("The connection timed out: the network is partitioned.", "The connection timed out: the network is partitioned.");
            return partition;
        }

        public void Heal(NetworkPartition partition) => _partitions.Remove(partition);

        public void HealAll() => _partitions.Clear();

        /// <summary>Both ends of every open connection, where each finds the other (see ConnectionTable for why not by reference).</summary>
        public ConnectionTable Connections { get; } = new ConnectionTable();

        /// <summary>The host registered with this index (SimulatedHost.Index).</summary>
        internal SimulatedHost HostAt(int index) => _byIndex[index];

        void Connect(SimulatedStream client, SimulatedStream server)
        {
            if (server.Id != client.Id + 1) throw new InvalidOperationException("The two ends of a connection are numbered one after the other.");
            int end = Connections.Add(client, server);
            client.Join(end, server.Host);
            server.Join(end + 1, client.Host);
        }

        /// <summary>Both ends of a new connection, tracked on their hosts until they finish.</summary>
        public (SimulatedStream client, SimulatedStream server) CreateConnection(SimulatedHost client, SimulatedHost server, int serverPort)
        {
            var clientStream = new SimulatedStream(client, ++_nextStreamId);
            var serverStream = new SimulatedStream(server, ++_nextStreamId);
            Connect(clientStream, serverStream);
            client.Track(clientStream);
            server.Track(serverStream);
            int clientPort = client.NextEphemeralPort();
            clientStream.SetPorts(clientPort, serverPort);
            serverStream.SetPorts(serverPort, clientPort);
            return (clientStream, serverStream);
        }

        /// <summary>
        /// As <see cref="CreateConnection(SimulatedHost, SimulatedHost, int)"/> across a NAT, where each end sees the
        /// other at another address: the client the address it dialled, the server the NAT's public endpoint.
        /// </summary>
        public (SimulatedStream client, SimulatedStream server) CreateConnection(SimulatedHost client, SimulatedHost server,
            string clientLocal, string clientSeenAs, string serverLocal, string serverDialledAs)
        {
            var clientStream = new SimulatedStream(client, ++_nextStreamId);
            var serverStream = new SimulatedStream(server, ++_nextStreamId);
            Connect(clientStream, serverStream);
            client.Track(clientStream);
            server.Track(serverStream);
            clientStream.SetEndPoints(clientLocal, serverDialledAs);
            serverStream.SetEndPoints(serverLocal, clientSeenAs);
            return (clientStream, serverStream);
        }

        public void Untrack(SimulatedStream stream)
        {
            if (!stream.IsTracked) return;
            stream.Host.Untrack(stream);
            Connections.Release(stream.End);
        }

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
