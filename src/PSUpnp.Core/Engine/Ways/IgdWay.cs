using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;

namespace PSUpnp.Engine.Ways
{
    /// <summary>UPnP IGD as a way: the IgdClient operations as before, each through the engine's one call (timeout, eviction).</summary>
    internal sealed class IgdWay : IPortMappingWay
    {
        private readonly UpnpEngine _engine;

        public IgdWay(UpnpEngine engine)
        {
            _engine = engine;
        }

        public PortMappingMethod Method => PortMappingMethod.UpnpIgd;

        public Task<UpnpExternalAddress> GetExternalAddressAsync(UpnpGateway gateway, CancellationToken cancellationToken) =>
            _engine.CallAsync(gateway, (igd, ct) => igd.GetExternalAddressAsync(ct), cancellationToken);

        public Task<PortMappingResult> AddAsync(PreparedPortMapping mapping, CancellationToken cancellationToken) =>
            _engine.CallAsync(mapping.Gateway, (igd, ct) => PortMappingAddition.RunAsync(igd, mapping, ct), cancellationToken);

        public Task<UpnpPortMapping?> RemoveAsync(UpnpGateway gateway, MappingKey key, CancellationToken cancellationToken) =>
            _engine.CallAsync(gateway, (igd, ct) => igd.RemovePortMappingAsync(key.RemoteHost, key.ExternalPort, key.Protocol, ct), cancellationToken);
    }
}
