using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Igd
{
    /// <summary>Drives one gateway's WANIPConnection or WANPPPConnection service over SOAP. Safe to use from many threads.</summary>
    public sealed class IgdClient
    {
        public IgdClient(UpnpGateway gateway, ITraceSink? trace = null, ISystemClock? clock = null)
        {
            Gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            Trace = trace ?? NullTraceSink.Instance;
            Clock = clock ?? SystemClock.Instance;
        }

        public UpnpGateway Gateway { get; }
        internal ITraceSink Trace { get; }
        internal ISystemClock Clock { get; }

        public Task<UpnpExternalAddress> GetExternalAddressAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

        /// <summary>Adds or renews a mapping (idempotent for the same client), following the lease rules of IGD v1 and v2.</summary>
        public Task<PortMappingResult> AddPortMappingAsync(PortMappingRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();

        /// <summary>IGD v2 AddAnyPortMapping: the router picks a free external port near the one asked for.</summary>
        public Task<PortMappingResult> AddAnyPortMappingAsync(PortMappingRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();

        public Task DeletePortMappingAsync(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken) => throw new NotImplementedException();

        /// <summary>Null when the router holds no such mapping.</summary>
        public Task<UpnpPortMapping?> GetSpecificPortMappingAsync(IPAddress? remoteHost, int externalPort, PortMappingProtocol protocol, CancellationToken cancellationToken) => throw new NotImplementedException();

        /// <summary>The whole table: GetListOfPortMappings on v2, else GetGenericPortMappingEntry until the end. Progress reports entries read so far.</summary>
        public Task<IReadOnlyList<UpnpPortMapping>> GetPortMappingsAsync(IProgress<int>? progress, CancellationToken cancellationToken) => throw new NotImplementedException();
    }
}
