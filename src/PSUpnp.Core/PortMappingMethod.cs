namespace PSUpnp
{
    /// <summary>A way of asking a router for a port mapping.</summary>
    public enum PortMappingMethod
    {
        /// <summary>UPnP Internet Gateway Device (SSDP discovery, SOAP control).</summary>
        UpnpIgd,
        /// <summary>Port Control Protocol, RFC 6887 (UDP 5351).</summary>
        Pcp,
        /// <summary>NAT Port Mapping Protocol, RFC 6886 (UDP 5351), PCP's predecessor.</summary>
        NatPmp,
    }
}
