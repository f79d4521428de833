using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Igd;
using PSUpnp.Pcp;

namespace PSUpnp.Engine.Ways
{
    /// <summary>PCP (RFC 6887) as a way: MAP to the router at the gateway's address, UDP 5351, with the mapping's derived or carried nonce.</summary>
    internal sealed class PcpWay : IPortMappingWay
    {
        /// <summary>
        /// The discard port: PCP has no request for the external address alone, so it is read from a MAP of this UDP
        /// port, deleted at once. Nothing listens on it, so the moment the mapping exists forwards nothing.
        /// </summary>
        private const int ProbePort = 9;

        private readonly UpnpEngine _engine;

        public PcpWay(UpnpEngine engine)
        {
            _engine = engine;
        }

        public PortMappingMethod Method => PortMappingMethod.Pcp;

        public Task<UpnpExternalAddress> GetExternalAddressAsync(UpnpGateway gateway, CancellationToken cancellationToken) =>
            _engine.AskAsync(gateway, async ct =>
            {
                var client = Client(gateway);
                var nonce = DerivedNonce.Of(gateway.LocalAddress, ProbePort, PortMappingProtocol.UDP, null);
                var answer = await client.MapAsync(PortMappingProtocol.UDP, ProbePort, ProbePort, TimeSpan.FromSeconds(30), nonce, ct).ConfigureAwait(false);
                _engine.ObserveEpoch(gateway, Method, answer.Epoch, answer.ReceivedAt);
                await client.DeleteAsync(PortMappingProtocol.UDP, ProbePort, nonce, ct).ConfigureAwait(false);
                var address = Net.MappedAddress.Unmap(answer.ExternalAddress);
                var known = !address.Equals(System.Net.IPAddress.Any) && !address.Equals(System.Net.IPAddress.IPv6Any);
                // PCP says nothing of the connection but its address: an address is a connection that is up.
                return new UpnpExternalAddress(gateway, known ? address : null, known ? "Connected" : "Unknown", TimeSpan.FromSeconds(answer.Epoch), string.Empty);
            }, cancellationToken);

        public Task<PortMappingResult> AddAsync(PreparedPortMapping mapping, CancellationToken cancellationToken)
        {
            GrantedMapping.Check(mapping);
            var warnings = new List<string>();
            var lifetime = GrantedMapping.Asked(mapping, warnings);
            var target = mapping.Target;
            var nonce = DerivedNonce.Of(target.InternalClient, target.InternalPort, target.Protocol, null);
            return _engine.AskAsync(mapping.Gateway, async ct =>
            {
                var answer = await Client(mapping.Gateway).MapAsync(target.Protocol, target.InternalPort, target.ExternalPort, lifetime, nonce, ct).ConfigureAwait(false);
                var restarted = _engine.ObserveEpoch(mapping.Gateway, Method, answer.Epoch, answer.ReceivedAt);
                return GrantedMapping.Result(mapping, answer.ExternalPort, answer.Lifetime, answer.ReceivedAt, restarted, nonce.ToString(), warnings, _engine.Trace);
            }, cancellationToken);
        }

        /// <summary>
        /// Deletes the mapping of the internal port with its nonce (lifetime 0). PCP cannot look a mapping up first, so
        /// the value is null (not known); a router that says it holds no such mapping gives UpnpMappingNotFound.
        /// </summary>
        public Task<UpnpPortMapping?> RemoveAsync(UpnpGateway gateway, MappingKey key, CancellationToken cancellationToken)
        {
            var nonce = DerivedNonce.Of(gateway.LocalAddress, key.InternalPort, key.Protocol, key.PcpNonce);
            return _engine.AskAsync(gateway, async ct =>
            {
                try
                {
                    var answer = await Client(gateway).DeleteAsync(key.Protocol, key.InternalPort, nonce, ct).ConfigureAwait(false);
                    _engine.ObserveEpoch(gateway, Method, answer.Epoch, answer.ReceivedAt);
                    return (UpnpPortMapping?)null;
                }
                catch (PcpException ex) when (ex.ResultCode == (int)PcpResultCode.NoResources)
                {
                    // miniupnpd 2.3.1 answers the deletion of a mapping it does not hold with NO_RESOURCES, which a
                    // deletion cannot otherwise mean (it frees resources): the same answer as every way gives.
                    throw new UpnpException(
                        UpnpErrors.MappingNotFound,
                        "The router " + gateway.Label + " holds no PCP mapping of " + key.Protocol + " internal port " + key.InternalPort + " for this host; nothing was removed.",
                        gateway.Host,
                        ex);
                }
            }, cancellationToken);
        }

        private PcpClient Client(UpnpGateway gateway) =>
            new PcpClient(gateway.Address!, _engine.Timeout, _engine.Trace, null, gateway.LocalAddress);
    }
}
