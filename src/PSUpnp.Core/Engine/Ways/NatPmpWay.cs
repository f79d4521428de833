using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.NatPmp;

namespace PSUpnp.Engine.Ways
{
    /// <summary>NAT-PMP (RFC 6886) as a way: the router at the gateway's address, UDP 5351, each request bounded by the engine's timeout.</summary>
    internal sealed class NatPmpWay : IPortMappingWay
    {
        private readonly UpnpEngine _engine;

        public NatPmpWay(UpnpEngine engine)
        {
            _engine = engine;
        }

        public PortMappingMethod Method => PortMappingMethod.NatPmp;

        public Task<UpnpExternalAddress> GetExternalAddressAsync(UpnpGateway gateway, CancellationToken cancellationToken) =>
            _engine.AskAsync(gateway, async ct =>
            {
                var answer = await Client(gateway).GetExternalAddressAsync(ct).ConfigureAwait(false);
                _engine.ObserveEpoch(gateway, Method, answer.Epoch, answer.ReceivedAt);
                var address = answer.ExternalAddress.Equals(System.Net.IPAddress.Any) ? null : answer.ExternalAddress;
                // NAT-PMP says nothing of the connection but its address: an address is a connection that is up.
                return new UpnpExternalAddress(gateway, address, address == null ? "Unknown" : "Connected", TimeSpan.FromSeconds(answer.Epoch), string.Empty);
            }, cancellationToken);

        public Task<PortMappingResult> AddAsync(PreparedPortMapping mapping, CancellationToken cancellationToken)
        {
            GrantedMapping.Check(mapping);
            var warnings = new List<string>();
            var lifetime = GrantedMapping.Asked(mapping, warnings);
            return _engine.AskAsync(mapping.Gateway, async ct =>
            {
                var target = mapping.Target;
                var answer = await Client(mapping.Gateway).MapAsync(target.Protocol, target.InternalPort, target.ExternalPort, lifetime, ct).ConfigureAwait(false);
                var restarted = _engine.ObserveEpoch(mapping.Gateway, Method, answer.Epoch, answer.ReceivedAt);
                return GrantedMapping.Result(mapping, answer.ExternalPort, answer.Lifetime, answer.ReceivedAt, restarted, null, warnings, _engine.Trace);
            }, cancellationToken);
        }

        /// <summary>
        /// Deletes this host's mapping of the internal port. The router answers a deletion of a mapping it does not hold
        /// with success too (RFC 6886 3.4), and NAT-PMP cannot look first, so the value is null (not known).
        /// </summary>
        public Task<UpnpPortMapping?> RemoveAsync(UpnpGateway gateway, MappingKey key, CancellationToken cancellationToken) =>
            _engine.AskAsync(gateway, async ct =>
            {
                var answer = await Client(gateway).DeleteAsync(key.Protocol, key.InternalPort, ct).ConfigureAwait(false);
                _engine.ObserveEpoch(gateway, Method, answer.Epoch, answer.ReceivedAt);
                return (UpnpPortMapping?)null;
            }, cancellationToken);

        private NatPmpClient Client(UpnpGateway gateway) =>
            new NatPmpClient(gateway.Address!, _engine.Timeout, _engine.Trace, null, gateway.LocalAddress);
    }
}
