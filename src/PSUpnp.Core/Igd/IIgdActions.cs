using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Soap;

namespace PSUpnp.Igd
{
    /// <summary>
    /// What the operations of several actions (<see cref="PortMappingAddition"/>, <see cref="PortMappingTableReader"/>,
    /// <see cref="PortMappingRemoval"/>) need of one gateway's connection service: one action sent as the action table
    /// says, and the two single-action lookups they build on. <see cref="IgdClient"/> implements it and starts the
    /// operations; they know only this, so the dependency runs one way.
    /// </summary>
    internal interface IIgdActions
    {
        UpnpGateway Gateway { get; }

        ITraceSink Trace { get; }

        ISystemClock Clock { get; }

        /// <summary>One action, resent after a lost answer only as the action table allows.</summary>
        Task<SoapResponse> SendAsync(IgdAction action, IReadOnlyList<KeyValuePair<string, string>> arguments, CancellationToken cancellationToken);

        /// <summary>Null when the router holds no such mapping.</summary>
        Task<UpnpPortMapping?> GetSpecificPortMappingAsync(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken);

        /// <summary>The DeletePortMapping action alone (routers differ when they hold no such mapping).</summary>
        Task DeletePortMappingAsync(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken);
    }
}
