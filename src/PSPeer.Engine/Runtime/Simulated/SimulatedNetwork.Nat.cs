namespace PSPeer.Engine.Runtime.Simulated
{
    /// <remarks>
    /// Address translation, in two halves that streams and datagrams share. Outbound, where a packet leaves its
    /// sender: a private address is reachable only from its own network; an inside host's packet to anywhere else
    /// leaves through its NAT's mapping, so the receiver sees the NAT's public address and port. Inbound, where a
    /// packet reaches a NAT box: a mapped public port lets it in to the inside host only if the filtering allows
    /// it (hairpinning, a packet from inside back through the public address, only if the NAT does it); an unmapped
    /// port is the box's own. Hosts with no NAT on either side never come here, so a plain simulation pays nothing.
    /// </remarks>
    sealed partial class SimulatedNetwork
    {
        /// <summary>Whether a packet between these hosts may meet a NAT (cheap: two field reads).</summary>
        internal static bool MayTranslate(SimulatedHost source, SimulatedHost addressed) =>
            source != addressed && (source.Nat != null || addressed.Nat != null);

        /// <summary>
        /// The outbound half: false (with why) when the packet cannot leave for that address; else the endpoint the
        /// receiver will see (the source itself, or its NAT's public address and the mapping's port).
        /// </summary>
        internal bool TranslateOut(SimulatedHost source, int sourcePort, SimulatedHost addressed, int port, bool datagram,
            out SimulatedHost seenHost, out int seenPort, out NatMapping mapping, out string why)
        {
            seenHost = source;
            seenPort = sourcePort;
            mapping = null;
            why = null;
            if (addressed.IsBehindNat && addressed.Nat != source.Nat)
            {
                why = $"{addressed.HostAddress} is a private address behind a NAT, not routed from outside its network";
                return false;
            }
            // Same private network, or a host with no NAT: no translation.
            if (!source.IsBehindNat || addressed.IsBehindNat) return true;
            var nat = source.Nat;
            mapping = nat.Table(datagram).Outbound(source, sourcePort, addressed, port, Scheduler.Now);
            if (mapping == null)
            {
                nat.Dropped++;
                why = $"the NAT at {nat.PublicAddress} has no public port left";
                return false;
            }
            seenHost = nat.PublicHost;
            seenPort = mapping.PublicPort;
            return true;
        }

        /// <summary>
        /// The inbound half, where the packet reaches the host it was addressed to: false (with why) when a NAT drops
        /// it; else the host and port it is for (an inside host when a mapping lets it in).
        /// </summary>
        internal bool TranslateIn(SimulatedHost source, SimulatedHost addressed, int port, SimulatedHost seenHost, int seenPort, bool datagram,
            out SimulatedHost target, out int targetPort, out string why)
        {
            target = addressed;
            targetPort = port;
            why = null;
            var nat = addressed.Nat;
            if (nat == null || nat.PublicHost != addressed) return true;
            var table = nat.Table(datagram);
            if (!table.IsMapped(port)) return true;
            if (source.Nat == nat && source != addressed && !nat.Options.Hairpinning)
            {
                nat.Dropped++;
                why = $"the NAT at {nat.PublicAddress} does not hairpin (a host behind it used its public address)";
                return false;
            }
            var mapping = seenHost == null ? null : table.Inbound(port, seenHost, seenPort, Scheduler.Now);
            if (mapping == null)
            {
                nat.Dropped++;
                why = $"the NAT at {nat.PublicAddress} filtered it (no mapping of port {port} lets that sender in)";
                return false;
            }
            target = mapping.Inside;
            targetPort = mapping.InsidePort;
            return true;
        }
    }
}
