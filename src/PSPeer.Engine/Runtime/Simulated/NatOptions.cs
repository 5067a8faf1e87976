using System;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>How a simulated NAT behaves: mapping and filtering chosen separately, a mapping timeout, hairpinning.</summary>
    public sealed class NatOptions
    {
        public NatDependence Mapping { get; set; } = NatDependence.EndpointIndependent;
        public NatDependence Filtering { get; set; } = NatDependence.AddressAndPortDependent;
        /// <summary>
        /// A mapping unused outbound for this long is forgotten (RFC 4787 REQ-5 asks at least 2 minutes for UDP).
        /// Only outbound traffic refreshes it (REQ-6); an open simulated stream keeps its path whatever the timeout.
        /// </summary>
        public TimeSpan MappingTimeout { get; set; } = TimeSpan.FromMinutes(2);
        /// <summary>Inside hosts reach each other through the NAT's public address (RFC 4787 REQ-9); Linux masquerade does not by default.</summary>
        public bool Hairpinning { get; set; }

        /// <summary>The options of a classic kind, with the default timeout and no hairpinning.</summary>
        public static NatOptions For(NatKind kind)
        {
            switch (kind)
            {
                case NatKind.FullCone: return new NatOptions { Mapping = NatDependence.EndpointIndependent, Filtering = NatDependence.EndpointIndependent };
                case NatKind.Restricted: return new NatOptions { Mapping = NatDependence.EndpointIndependent, Filtering = NatDependence.AddressDependent };
                case NatKind.PortRestricted: return new NatOptions { Mapping = NatDependence.EndpointIndependent, Filtering = NatDependence.AddressAndPortDependent };
                case NatKind.Symmetric: return new NatOptions { Mapping = NatDependence.AddressAndPortDependent, Filtering = NatDependence.AddressAndPortDependent };
                default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a NAT kind.");
            }
        }

        internal NatOptions Validated()
        {
            if (MappingTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MappingTimeout), MappingTimeout, "A mapping lives for some time.");
            return new NatOptions { Mapping = Mapping, Filtering = Filtering, MappingTimeout = MappingTimeout, Hairpinning = Hairpinning };
        }

        public override string ToString() => $"mapping {Mapping}, filtering {Filtering}, timeout {MappingTimeout}, hairpinning {(Hairpinning ? "on" : "off")}";
    }
}
