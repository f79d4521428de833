using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine.Ways;
using PSUpnp.Igd;

namespace PSUpnp.Engine
{
    /// <summary>
    /// The ways of asking a router (UPnP IGD, PCP, NAT-PMP) behind the same operations: each operation takes the way the
    /// caller named (-Method), else the first the gateway answered (<see cref="WayChoice"/>).
    /// </summary>
    internal sealed partial class UpnpEngine
    {
        private IPortMappingWay? _igdWay;
        private IPortMappingWay? _natPmpWay;

        private EpochBook Epochs => Cache.Epochs;

        /// <summary>The way of <paramref name="method"/>, made once per run.</summary>
        internal IPortMappingWay WayOf(PortMappingMethod method) => method switch
        {
            PortMappingMethod.UpnpIgd => _igdWay ??= new IgdWay(this),
            PortMappingMethod.NatPmp => _natPmpWay ??= new NatPmpWay(this),
            _ => throw new UpnpException(UpnpErrors.MethodUnavailable, method + " is not available in this build of PSUpnp.", method),
        };

        /// <summary>
        /// Records a PCP or NAT-PMP answer's epoch; true (and traced) when the router restarted since this session last
        /// heard from it, which means every mapping made before is gone (RFC 6886 3.6, RFC 6887 8.5).
        /// </summary>
        internal bool ObserveEpoch(UpnpGateway gateway, PortMappingMethod method, uint epoch, DateTimeOffset receivedAt)
        {
            if (!Epochs.Observe(gateway.Address!, method, epoch, receivedAt))
            {
                return false;
            }

            Trace.Trace(GrantedMapping.RestartWarning(gateway, method));
            return true;
        }

        /// <summary>Get-UpnpExternalAddress by the chosen way, and a warning when the address is itself behind a NAT.</summary>
        public async Task<OperationResult<UpnpExternalAddress>> GetExternalAddressAsync(UpnpGateway gateway, PortMappingMethod? method, CancellationToken cancellationToken)
        {
            var address = await WayOf(WayChoice.Choose(gateway, method)).GetExternalAddressAsync(gateway, cancellationToken).ConfigureAwait(false);
            return new OperationResult<UpnpExternalAddress>(address, address.DoubleNatWarning() is string warning ? new[] { warning } : null);
        }

        /// <summary>Get-UpnpPortMapping: as <see cref="GetPortMappingsAsync(UpnpGateway, PortMappingFilter?, IProgress{int}?, CancellationToken)"/>, or UpnpMappingListNotSupported when the way is PCP or NAT-PMP.</summary>
        public Task<OperationResult<IReadOnlyList<UpnpPortMapping>>> GetPortMappingsAsync(UpnpGateway gateway, PortMappingFilter? filter, IProgress<int>? progress, PortMappingMethod? method, CancellationToken cancellationToken)
        {
            WayChoice.RequireListing(gateway, method);
            return GetPortMappingsAsync(gateway, filter, progress, cancellationToken);
        }

        /// <summary>
        /// Remove-UpnpPortMapping by the chosen way (a mapping object's own Method unless the caller names another);
        /// one that is not there is UpnpMappingNotFound where the way can tell.
        /// </summary>
        public async Task<OperationResult<UpnpPortMapping?>> RemovePortMappingAsync(UpnpGateway gateway, MappingKey key, PortMappingMethod? method, CancellationToken cancellationToken) =>
            new OperationResult<UpnpPortMapping?>(await WayOf(WayChoice.Choose(gateway, method)).RemoveAsync(gateway, key, cancellationToken).ConfigureAwait(false));
    }
}
