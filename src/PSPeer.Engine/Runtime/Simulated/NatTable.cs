using System.Collections.Generic;
using System.Net;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// One protocol's mappings on a NAT box: inside endpoint (and, by the mapping rule, destination) to public port,
    /// and public port back to the mapping with the remote endpoints it may hear from (by the filtering rule).
    /// </summary>
    /// <remarks>
    /// Remote endpoints are keyed by the host's index (a public host has one address) and port, so no address text
    /// or object is made per packet. Public ports: the inside port when free (Linux masquerade preserves ports too),
    /// else the next free one from 1024, in a fixed order, so the same run gives the same ports.
    /// Expired mappings are dropped when met, and all of them when the table has doubled since the last sweep.
    /// </remarks>
    sealed class NatTable
    {
        const int FirstPort = 1024;
        readonly SimulatedNat _nat;
        readonly Dictionary<(long inside, long destination), NatMapping> _outbound = new Dictionary<(long, long), NatMapping>();
        readonly Dictionary<int, NatMapping> _byPublicPort = new Dictionary<int, NatMapping>();
        int _nextPort = FirstPort;
        int _sweepAt = 64;

        public NatTable(SimulatedNat nat) => _nat = nat;

        public int Count => _byPublicPort.Count;

        static long Remote(int hostIndex, int port) => ((long)hostIndex << 16) | (uint)port;

        long DestinationKey(int hostIndex, int port)
        {
            switch (_nat.Options.Mapping)
            {
                case NatDependence.EndpointIndependent: return -1;
                case NatDependence.AddressDependent: return hostIndex;
                default: return Remote(hostIndex, port);
            }
        }

        long FilterKey(int hostIndex, int port) =>
            _nat.Options.Filtering == NatDependence.AddressDependent ? hostIndex : Remote(hostIndex, port);

        /// <summary>
        /// The mapping an inside endpoint's packet to (destination host, port) leaves by: found or made, refreshed, and
        /// opened for answers from that destination. Null when the NAT has no public port left.
        /// </summary>
        public NatMapping Outbound(SimulatedHost inside, int insidePort, SimulatedHost destination, int destinationPort, long now)
        {
            var key = (Remote(inside.Index, insidePort), DestinationKey(destination.Index, destinationPort));
            if (_outbound.TryGetValue(key, out var mapping) && mapping.ExpiresAt <= now)
            {
                Remove(mapping);
                mapping = null;
            }
            if (mapping == null)
            {
                if (_byPublicPort.Count >= _sweepAt) Sweep(now);
                int port = FreePort(insidePort, now);
                if (port == 0) return null;
                mapping = new NatMapping(inside, insidePort, port, key);
                _outbound.Add(key, mapping);
                _byPublicPort.Add(port, mapping);
            }
            mapping.ExpiresAt = now + _nat.Options.MappingTimeout.Ticks;
            if (_nat.Options.Filtering != NatDependence.EndpointIndependent) mapping.Permit(FilterKey(destination.Index, destinationPort));
            return mapping;
        }

        /// <summary>The mapping a packet from (source host, port) to the public port may enter by, or null (none, expired, or filtered).</summary>
        public NatMapping Inbound(int publicPort, SimulatedHost source, int sourcePort, long now)
        {
            if (!_byPublicPort.TryGetValue(publicPort, out var mapping)) return null;
            if (mapping.ExpiresAt <= now)
            {
                Remove(mapping);
                return null;
            }
            if (_nat.Options.Filtering != NatDependence.EndpointIndependent && !mapping.Permits(FilterKey(source.Index, sourcePort)))
                return null;
            return mapping;
        }

        /// <summary>Whether a public port has a mapping (alive or not yet swept).</summary>
        public bool IsMapped(int publicPort) => _byPublicPort.ContainsKey(publicPort);

        int FreePort(int preferred, long now)
        {
            if (preferred >= FirstPort && Available(preferred, now)) return preferred;
            for (int tries = 0; tries < 65536 - FirstPort; tries++)
            {
                int port = _nextPort;
                _nextPort = port == 65535 ? FirstPort : port + 1;
                if (Available(port, now)) return port;
            }
            return 0;
        }

        bool Available(int port, long now)
        {
            if (!_byPublicPort.TryGetValue(port, out var held)) return true;
            if (held.ExpiresAt > now) return false;
            Remove(held);
            return true;
        }

        void Remove(NatMapping mapping)
        {
            _outbound.Remove(mapping.Key);
            _byPublicPort.Remove(mapping.PublicPort);
        }

        void Sweep(long now)
        {
            var expired = new List<NatMapping>();
            foreach (var mapping in _byPublicPort.Values)
                if (mapping.ExpiresAt <= now) expired.Add(mapping);
            foreach (var mapping in expired) Remove(mapping);
            _sweepAt = System.Math.Max(64, 2 * _byPublicPort.Count);
        }
    }

    /// <summary>One NAT mapping: inside endpoint to public port, until it expires; the remotes it may hear from.</summary>
    sealed class NatMapping
    {
        IPEndPoint _publicEndPoint;

        public NatMapping(SimulatedHost inside, int insidePort, int publicPort, (long, long) key)
        {
            Inside = inside;
            InsidePort = insidePort;
            PublicPort = publicPort;
            Key = key;
        }

        public readonly SimulatedHost Inside;
        public readonly int InsidePort;
        public readonly int PublicPort;
        public readonly (long, long) Key;
        public long ExpiresAt;
        // Remote keys let in (by the filtering rule): most mappings talk to one remote, so the first is kept inline
        // and a set is made only for a second one (endpoint-independent filtering keeps none).
        long _firstPermitted = -1;
        HashSet<long> _morePermitted;

        public void Permit(long remote)
        {
            if (_firstPermitted == -1) _firstPermitted = remote;
            else if (_firstPermitted != remote) (_morePermitted ?? (_morePermitted = new HashSet<long>())).Add(remote);
        }

        public bool Permits(long remote) => remote == _firstPermitted || (_morePermitted != null && _morePermitted.Contains(remote));

        /// <summary>The public endpoint receivers see, made once per mapping.</summary>
        public IPEndPoint PublicEndPoint(SimulatedNat nat) => _publicEndPoint ?? (_publicEndPoint = new IPEndPoint(nat.PublicHost.IPAddress, PublicPort));
    }
}
