using System.Collections.Generic;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// QueryHit (0x81): hit count, port (u16 LE), IPv4, speed (u32 LE), the result set, a trailer (vendor code, open
    /// data with the push and busy flags) and the 16-byte servent GUID last.
    /// </summary>
    public sealed class QueryHit : GnutellaPayload
    {
        public override GnutellaPayloadType Type => GnutellaPayloadType.QueryHit;
        public int Port { get; set; }
        public string Address { get; set; } = "0.0.0.0";
        /// <summary>Kilobits per second, as the spec has it.</summary>
        public uint Speed { get; set; }
        public IReadOnlyList<QueryHitResult> Results { get; set; } = new QueryHitResult[0];
        /// <summary>Four characters; null or empty when the hit came without a trailer.</summary>
        public string VendorCode { get; set; } = "PSPR";
        /// <summary>The answering servent is firewalled: downloading needs a Push.</summary>
        public bool Push { get; set; }
        public bool Busy { get; set; }
        public GnutellaGuid ServentId { get; set; }
    }
}
