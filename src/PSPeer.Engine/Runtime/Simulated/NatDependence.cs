namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// What a NAT's mapping or filtering depends on, in RFC 4787's terms (section 4.1 for mapping, 5 for filtering).
    /// </summary>
    public enum NatDependence
    {
        /// <summary>Mapping: one public port per inside endpoint, whatever the destination. Filtering: anyone may send in.</summary>
        EndpointIndependent,
        /// <summary>Mapping: a public port per destination address. Filtering: only addresses the inside host sent to.</summary>
        AddressDependent,
        /// <summary>Mapping: a public port per destination address and port. Filtering: only address:port pairs the inside host sent to.</summary>
        AddressAndPortDependent,
    }
}
