using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;

namespace PSUpnp.Engine.Ways
{
    /// <summary>
    /// One way of asking a router (UPnP IGD, PCP, NAT-PMP) for what every way can do: the external address, a mapping
    /// added or renewed (returned with the lifetime the router really granted), a mapping removed. Listing the router's
    /// table is not here: only UPnP IGD can, and the engine says so for the others.
    /// </summary>
    internal interface IPortMappingWay
    {
        PortMappingMethod Method { get; }

        Task<UpnpExternalAddress> GetExternalAddressAsync(UpnpGateway gateway, CancellationToken cancellationToken);

        /// <summary>Adds or renews; the result's warnings say what the router changed or that a renewed mapping had vanished.</summary>
        Task<PortMappingResult> AddAsync(PreparedPortMapping mapping, CancellationToken cancellationToken);

        /// <summary>Removes one mapping; the value is the mapping as the router held it, null when it could not be known.</summary>
        Task<UpnpPortMapping?> RemoveAsync(UpnpGateway gateway, MappingKey key, CancellationToken cancellationToken);
    }
}
