namespace PSUpnp
{
    /// <summary>The transport protocol of a port mapping, as NewProtocol spells it.</summary>
    public enum PortMappingProtocol
    {
        TCP,
        UDP,
    }
}
