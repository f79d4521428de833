namespace PSUpnp
{
    /// <summary>The classic names of RFC 3489, derived from the RFC 5780 mapping and filtering behaviour.</summary>
    public enum NatType
    {
        /// <summary>The tests could not decide; the result's Reason says why.</summary>
        Unknown,
        OpenInternet,
        FullCone,
        RestrictedCone,
        PortRestrictedCone,
        Symmetric,
        SymmetricUdpFirewall,
        UdpBlocked,
    }

    /// <summary>How the NAT chooses the public address and port for a local socket (RFC 4787, RFC 5780 section 4.3).</summary>
    public enum MappingBehavior
    {
        NotTested,
        Unknown,
        EndpointIndependent,
        AddressDependent,
        AddressAndPortDependent,
    }

    /// <summary>Which inbound packets the NAT lets through to a mapping (RFC 4787, RFC 5780 section 4.4).</summary>
    public enum FilteringBehavior
    {
        NotTested,
        Unknown,
        EndpointIndependent,
        AddressDependent,
        AddressAndPortDependent,
    }
}
