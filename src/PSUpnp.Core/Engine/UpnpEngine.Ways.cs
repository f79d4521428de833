using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine.Ways;
using PSUpnp.Igd;
using PSUpnp.Pcp;

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
        private IPortMappingWay? _pcpWay;

        // Routers seen to restart during this run (one pipeline): every renewal of theirs in the run re-creates a vanished
        // mapping, also when the restart showed first in discovery's probe rather than in the renewal's own answer.
        private readonly HashSet<string> _restartedThisRun = new HashSet<string>(StringComparer.Ordinal);

        private EpochBook Epochs => Cache.Epochs;

        /// <summary>The way of <paramref name="method"/>, made once per run.</summary>
        internal IPortMappingWay WayOf(PortMappingMethod method) => method switch
        {
            PortMappingMethod.UpnpIgd => _igdWay ??= new IgdWay(this),
            PortMappingMethod.Pcp => _pcpWay ??= new PcpWay(this),
            PortMappingMethod.NatPmp => _natPmpWay ??= new NatPmpWay(this),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Not a way of asking a router."),
        };

        /// <summary>
        /// One operation by the chosen way. When the caller named none and PCP was chosen, a router that answers PCP
        /// with UNSUPP_VERSION as a NAT-PMP server (RFC 6887 9) is asked again by NAT-PMP, as PCP's version
        /// negotiation says; a way the caller named is never replaced.
        /// </summary>
        private async Task<T> ByWayAsync<T>(UpnpGateway gateway, PortMappingMethod? asked, Func<IPortMappingWay, Task<T>> work)
        {
            var method = WayChoice.Choose(gateway, asked);
            try
            {
                return await work(WayOf(method)).ConfigureAwait(false);
            }
            catch (PcpUnsupportedVersionException ex) when (asked == null && ex.SpeaksNatPmp)
            {
                Trace.Trace("PCP: " + gateway.Label + " answers as a NAT-PMP server; asking it by NAT-PMP");
                return await work(WayOf(PortMappingMethod.NatPmp)).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Records a PCP or NAT-PMP answer's epoch; true (and traced) when the router restarted since this session last
        /// heard from it, which means every mapping made before is gone (RFC 6886 3.6, RFC 6887 8.5).
        /// </summary>
        internal bool ObserveEpoch(UpnpGateway gateway, PortMappingMethod method, uint epoch, DateTimeOffset receivedAt)
        {
            var router = gateway.Address!.ToString();
            lock (_restartedThisRun)
            {
                if (!Epochs.Observe(gateway.Address!, method, epoch, receivedAt))
                {
                    return _restartedThisRun.Contains(router);
                }

                _restartedThisRun.Add(router);
            }

            Trace.Trace(GrantedMapping.RestartWarning(gateway, method));
            return true;
        }

        /// <summary>Get-UpnpExternalAddress by the chosen way, and a warning when the address is itself behind a NAT.</summary>
        public async Task<OperationResult<UpnpExternalAddress>> GetExternalAddressAsync(UpnpGateway gateway, PortMappingMethod? method, CancellationToken cancellationToken)
        {
            var address = await CheckedExternalAddressAsync(gateway, method, cancellationToken).ConfigureAwait(false);
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
            new OperationResult<UpnpPortMapping?>(await ByWayAsync(gateway, method, way => way.RemoveAsync(gateway, key, cancellationToken)).ConfigureAwait(false));

        /// <summary>Add-UpnpPortMapping by the prepared mapping's way (PCP falling back to NAT-PMP as <see cref="ByWayAsync"/> says).</summary>
        private Task<PortMappingResult> AddByWayAsync(PreparedPortMapping mapping, CancellationToken cancellationToken) =>
            ByWayAsync(mapping.Gateway, mapping.MethodAsked, way => way.AddAsync(way.Method == mapping.Method ? mapping : mapping.By(way.Method), cancellationToken));
    }
}
