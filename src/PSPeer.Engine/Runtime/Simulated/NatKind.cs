namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>The classic names for NAT behaviours (RFC 3489), each a mapping and a filtering of RFC 4787.</summary>
    public enum NatKind
    {
        /// <summary>Endpoint-independent mapping and filtering: once mapped, anyone reaches the inside port.</summary>
        FullCone,
        /// <summary>Endpoint-independent mapping, address-dependent filtering.</summary>
        Restricted,
        /// <summary>Endpoint-independent mapping, address-and-port-dependent filtering: what Linux masquerade does.</summary>
        PortRestricted,
        /// <summary>Address-and-port-dependent mapping and filtering: a new public port for every destination.</summary>
        Symmetric,
    }
}
