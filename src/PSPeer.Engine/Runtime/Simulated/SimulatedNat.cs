using System;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// A NAT box: a host on the public side (<see cref="PublicHost"/>) with a private network behind it. Hosts added
    /// behind it get private addresses (172.16.0.0/12) that only hosts of the same network can reach; what they send
    /// out leaves from the box's public address on a port the NAT maps, and what comes back is let in or not by the
    /// NAT's filtering. TCP and UDP have separate tables, as their ports are separate.
    /// </summary>
    /// <remarks>
    /// Only the box holds state: a table of mappings per protocol, made as inside hosts send and forgotten after the
    /// mapping timeout. Hosts, links and the public side keep nothing about the NAT, so NATed hosts cost a field.
    /// </remarks>
    public sealed class SimulatedNat
    {
        NatTable _udp;
        NatTable _tcp;

        internal SimulatedNat(SimulatedHost publicHost, NatOptions options)
        {
            PublicHost = publicHost;
            Options = options;
        }

        /// <summary>The box itself, on the public side: its address is the one peers outside see.</summary>
        public SimulatedHost PublicHost { get; }
        public string PublicAddress => PublicHost.HostAddress;
        public NatOptions Options { get; }
        /// <summary>Hosts behind this NAT.</summary>
        public int InsideHostCount { get; internal set; }
        /// <summary>Mappings alive or not yet swept, UDP and TCP together.</summary>
        public int MappingCount => (_udp?.Count ?? 0) + (_tcp?.Count ?? 0);
        /// <summary>Datagrams and connection attempts this NAT dropped (filtered, no mapping, hairpinning off, out of ports).</summary>
        public long Dropped { get; internal set; }

        internal NatTable Table(bool datagram) =>
            datagram ? _udp ?? (_udp = new NatTable(this)) : _tcp ?? (_tcp = new NatTable(this));

        public override string ToString() => $"NAT {PublicHost.Name} ({PublicAddress}; {Options})";
    }
}
