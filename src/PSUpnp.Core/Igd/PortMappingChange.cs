namespace PSUpnp.Igd
{
    /// <summary>What an add did to the router's table.</summary>
    internal enum PortMappingChange
    {
        /// <summary>No such mapping existed; it was created.</summary>
        Created,
        /// <summary>The same mapping existed for the same client; its lease was refreshed.</summary>
        Renewed,
        /// <summary>Another client held the port; with Force, the mapping was taken over.</summary>
        Replaced,
    }
}
