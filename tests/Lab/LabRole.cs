namespace PSUpnp.Lab
{
    /// <summary>The lab's namespaces, by what they play.</summary>
    public enum LabRole
    {
        /// <summary>The client: the xunit host runs here.</summary>
        Lan,

        /// <summary>A second LAN client (for conflicts between clients).</summary>
        Lan2,

        /// <summary>The NAT router: miniupnpd, nftables.</summary>
        Router,

        /// <summary>The internet: coturn on two addresses, probe listeners.</summary>
        Wan,

        /// <summary>The carrier NAT or the provider's box in front of the router; exists only in those field modes.</summary>
        Edge,
    }
}
