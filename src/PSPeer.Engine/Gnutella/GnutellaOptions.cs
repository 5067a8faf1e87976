using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>How a <see cref="GnutellaServent"/> behaves; defaults follow the Gnutella 0.6 seeds.</summary>
    public sealed class GnutellaOptions
    {
        public GnutellaRole Role { get; set; } = GnutellaRole.Ultrapeer;
        /// <summary>Port of the servent's one listener (Gnutella, HTTP and GIV share it); 0 = any free port.</summary>
        public int Port { get; set; }
        /// <summary>Folder to share, or null to share nothing.</summary>
        public string SharedPath { get; set; }
        /// <summary>Servents to connect to at start (and again when links are lost, with AutoConnect).</summary>
        public IList<HostPort> Bootstrap { get; set; } = new List<HostPort>();
        /// <summary>
        /// Keep links up from <see cref="Bootstrap"/> and hosts learned through Pongs and X-Try-Ultrapeers. False: only
        /// explicit <see cref="GnutellaServent.ConnectAsync"/> calls make links (network builders and tests).
        /// </summary>
        public bool AutoConnect { get; set; } = true;
        /// <summary>Ultrapeer: most links to other ultrapeers (accepted or made).</summary>
        public int MaxUltrapeerLinks { get; set; } = 32;
        /// <summary>
        /// Ultrapeer: the ultrapeer links it aims for, which it announces as X-Degree. With AutoConnect it dials until it
        /// has them (it accepts up to MaxUltrapeerLinks). 32, as gtk-gnutella and LimeWire run: their leaves refuse an
        /// ultrapeer that announces fewer than 16 ("High Outdegree and Dynamic Querying Required").
        /// </summary>
        public int UltrapeerLinkTarget { get; set; } = 32;
        /// <summary>Ultrapeer: most leaves it shields.</summary>
        public int MaxLeaves { get; set; } = 30;
        /// <summary>Leaf: how many ultrapeers it keeps links to.</summary>
        public int LeafUltrapeerLinks { get; set; } = 3;
        /// <summary>The servent cannot accept connections: its QueryHits carry the push flag and downloads come by Push + GIV.</summary>
        public bool Firewalled { get; set; }
        /// <summary>TTL + hops of any descriptor is clamped to this on receipt; also the widest ring of a search.</summary>
        public int MaxTtl { get; set; } = 7;
        /// <summary>How long a query/ping id remembers the link it came from (for reverse-path routing and duplicates).</summary>
        public TimeSpan RouteLifetime { get; set; } = TimeSpan.FromMinutes(10);
        /// <summary>Most ids each routing table remembers.</summary>
        public int RouteCapacity { get; set; } = 100_000;
        /// <summary>Queries a link may send per second (also the burst allowance); beyond it they are dropped and counted.</summary>
        public int QueriesPerSecondPerLink { get; set; } = 20;
        /// <summary>Largest descriptor payload accepted; a longer one closes the link.</summary>
        public int MaxPayloadLength { get; set; } = 64 * 1024;
        /// <summary>This servent's GUID (QueryHits carry it; Pushes are routed to it); null = a random one from the runtime.</summary>
        public GnutellaGuid? ServentId { get; set; }
        /// <summary>Bits of the QRP table a leaf sends (2^bits slots); the QRP default is 16.</summary>
        public int QrpTableBits { get; set; } = 16;
        /// <summary>
        /// Link compression (Accept-Encoding / Content-Encoding: deflate in the handshake, then a zlib stream each way
        /// the other servent agrees to). Null, the default: on for live servents, off in a simulation, where a
        /// compressor's ~300 KiB per link end would dwarf the few kilobytes a simulated node may cost. Off wherever the
        /// runtime's deflate cannot sync-flush (.NET Framework, so Windows PowerShell 5.1), whatever this says.
        /// </summary>
        public bool? CompressLinks { get; set; }

        /// <summary>
        /// A new link is never evicted, nor trusted as proven, during this time after its handshake: it has this long to
        /// carry its first Query or QueryHit.
        /// </summary>
        public TimeSpan LinkGrace { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>
        /// A link that carried no fresh Query nor routed QueryHit for this long (Pings alone never count) is useless: when
        /// its slots are full, a new servent takes its place (gtk-gnutella does the same with useless leaves and ultrapeers).
        /// </summary>
        public TimeSpan UselessAfter { get; set; } = TimeSpan.FromMinutes(5);
        /// <summary>
        /// Most links from one remote IP address (by the connection, not by what the handshake claims); 0 = no limit. A few,
        /// so one host cannot take every slot. Null (the default): half the node's Limits.MaxConnectionsPerAddress (8, so
        /// 4 links; the other half stays for uploads and handshakes in flight), so the one knob users have
        /// (Start-PeerNode -ConnectionLimit) raises both for local setups that put many servents on one address.
        /// </summary>
        public int? MaxLinksPerAddress { get; set; }
        /// <summary>
        /// Ultrapeer: leaves' queries (and, without -Ttl, its own searches) go out by dynamic querying — a low-TTL probe,
        /// then one ultrapeer link at a time with a TTL chosen from the results so far — and it says X-Dynamic-Querying.
        /// Off: every query is flooded with its TTL (simulated networks keep this, so their flood figures stay as published).
        /// </summary>
        public bool DynamicQuerying { get; set; } = true;
        /// <summary>Dynamic querying stops once this many results came back for a leaf's query.</summary>
        public int DynamicQueryResults { get; set; } = 50;
        /// <summary>
        /// Ultrapeer: exchange last-hop QRP tables with ultrapeers that say X-Ultrapeer-Query-Routing (our files and our
        /// leaves' tables merged), and skip a neighbour on a query's last hop when its table cannot match.
        /// </summary>
        public bool UltrapeerQueryRouting { get; set; } = true;
        /// <summary>
        /// Firewalled until a peer from outside connects in (gtk-gnutella's rule: an incoming connection from a peer
        /// that is neither loopback nor this host's own address), then not. <see cref="Firewalled"/> true wins.
        /// </summary>
        public bool DetectFirewall { get; set; }
        /// <summary>
        /// When set, a servent that no peer from outside has reached this long after it started says so once, in a
        /// NotReachedFromOutside event (a node told it is reachable at an address it is not reachable at).
        /// </summary>
        public TimeSpan? ReachabilityCheckAfter { get; set; }

        /// <summary>
        /// Whether <paramref name="other"/> says the same in every property (Bootstrap by its hosts, in order): the
        /// servents of a network that are configured alike share one options object (one per kind of node, not one per
        /// node). Every property must be compared here; a test changes each one in turn to make sure.
        /// </summary>
        internal bool SameAs(GnutellaOptions other) =>
            other != null && Role == other.Role && Port == other.Port && SharedPath == other.SharedPath
            && SameHosts(Bootstrap, other.Bootstrap) && AutoConnect == other.AutoConnect
            && MaxUltrapeerLinks == other.MaxUltrapeerLinks && UltrapeerLinkTarget == other.UltrapeerLinkTarget
            && MaxLeaves == other.MaxLeaves && LeafUltrapeerLinks == other.LeafUltrapeerLinks && Firewalled == other.Firewalled
            && MaxTtl == other.MaxTtl && RouteLifetime == other.RouteLifetime && RouteCapacity == other.RouteCapacity
            && QueriesPerSecondPerLink == other.QueriesPerSecondPerLink && MaxPayloadLength == other.MaxPayloadLength
            && Nullable.Equals(ServentId, other.ServentId) && QrpTableBits == other.QrpTableBits && CompressLinks == other.CompressLinks
            && LinkGrace == other.LinkGrace && UselessAfter == other.UselessAfter && MaxLinksPerAddress == other.MaxLinksPerAddress
            && DynamicQuerying == other.DynamicQuerying && DynamicQueryResults == other.DynamicQueryResults
            && UltrapeerQueryRouting == other.UltrapeerQueryRouting && DetectFirewall == other.DetectFirewall
            && ReachabilityCheckAfter == other.ReachabilityCheckAfter;

        /// <summary>A hash consistent with <see cref="SameAs"/> (from the properties that tell a network's nodes apart).</summary>
        internal int ShapeHash() =>
            (((int)Role * 31 + MaxUltrapeerLinks) * 31 + UltrapeerLinkTarget) * 31 + MaxLeaves + (SharedPath?.Length ?? 0) * 7919;

        static bool SameHosts(IList<HostPort> a, IList<HostPort> b)
        {
            if (ReferenceEquals(a, b)) return true;
            int n = a?.Count ?? 0;
            if (n != (b?.Count ?? 0)) return false;
            for (int i = 0; i < n; i++)
                if (!Equals(a[i], b[i])) return false;
            return true;
        }
    }

    /// <summary>Compares options by <see cref="GnutellaOptions.SameAs"/>, to find one a network's node can share.</summary>
    sealed class SameGnutellaOptions : IEqualityComparer<GnutellaOptions>
    {
        public static readonly SameGnutellaOptions Instance = new SameGnutellaOptions();
        public bool Equals(GnutellaOptions x, GnutellaOptions y) => ReferenceEquals(x, y) || (x != null && x.SameAs(y));
        public int GetHashCode(GnutellaOptions o) => o?.ShapeHash() ?? 0;
    }
}
